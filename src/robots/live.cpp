#include "robots/live.hpp"

#include <algorithm>
#include <utility>  // before Asio's awaitable header: Boost 1.74 misses it

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "robots/candles.hpp"
#include "venues/registry.hpp"

namespace tb::robots {

namespace {

// The venue's own candles of `tf`, closed, page by page.
net::Task<Result<std::vector<Candle>>> fetch_pages(venues::Venue& venue, std::string symbol, Timeframe tf, int64_t since_ms,
                                                   int64_t until_ms, int64_t now_ms, int per_call) {
  const int64_t width = timeframe_ms(tf);
  std::vector<Candle> out;
  // Page by page up to the last closed candle: a restart after a long stop catches up.
  while (since_ms < until_ms && since_ms + width <= now_ms) {
    venues::CandleQuery query{symbol, tf, since_ms, per_call};  // a named local: GCC 12 destroys a temporary in co_await twice
    auto page = co_await venue.candles(std::move(query));
    if (!page) co_return page.error();
    int64_t last = since_ms - 1;
    for (const auto& c : *page)
      if (c.open_time_ms >= since_ms && c.open_time_ms < until_ms && c.open_time_ms + width <= now_ms &&
          (out.empty() || c.open_time_ms > out.back().open_time_ms)) {
        out.push_back(c);
        last = c.open_time_ms;
      }
    if (last < since_ms) break;  // nothing more closed
    since_ms = last + width;
  }
  co_return out;
}

// The largest timeframe the venue serves that divides `tf`; `tf` itself when it serves it (or says nothing).
Timeframe source_of(const venues::Venue& venue, Timeframe tf) {
  const venues::VenueDescription* d = venues::find_venue(venue.id());
  if (!d || d->timeframes.empty() || std::find(d->timeframes.begin(), d->timeframes.end(), tf) != d->timeframes.end()) return tf;
  Timeframe best = tf;
  for (Timeframe t : d->timeframes)
    if (timeframe_ms(t) < timeframe_ms(tf) && timeframe_ms(tf) % timeframe_ms(t) == 0 &&
        (best == tf || timeframe_ms(t) > timeframe_ms(best)))
      best = t;
  return best;
}

}  // namespace

net::Task<Result<std::vector<Candle>>> fetch_closed_candles(venues::Venue& venue, std::string symbol, Timeframe tf, int64_t since_ms,
                                                            int64_t until_ms, int64_t now_ms, int per_call) {
  const Timeframe source = source_of(venue, tf);
  if (source == tf) co_return co_await fetch_pages(venue, std::move(symbol), tf, since_ms, until_ms, now_ms, per_call);
  // A timeframe the venue lacks (some have no 4h) is built from a smaller one; only whole, closed buckets.
  const int64_t width = timeframe_ms(tf);
  const int64_t from = since_ms / width * width, to = std::min(until_ms, now_ms / width * width);
  auto parts = co_await fetch_pages(venue, std::move(symbol), source, from, to, now_ms, per_call);
  if (!parts) co_return parts.error();
  auto built = build_timeframe(*parts, timeframe_ms(source), tf);
  if (!built) co_return built.error();
  std::vector<Candle> out;
  for (auto& c : *built)
    if (c.open_time_ms >= since_ms && c.open_time_ms + width <= now_ms) out.push_back(std::move(c));
  co_return out;
}

net::Task<Result<Advance>> LiveRobots::advance(const store::Robot& r) {
  const int64_t tf = timeframe_ms(r.timeframe);
  auto state = store_.robot_state(r.id);
  if (!state) co_return state.error();
  int64_t since = 0;
  if (state->has_value()) {
    since = (*state)->last_candle_ms + tf;
    if (since + tf > clock_.now_ms()) co_return Advance{};  // its next candle has not closed yet
  } else {
    auto warmup = runner_.warmup_bars(r);
    if (!warmup) co_return warmup.error();
    since = (r.starts_ms / tf - std::max<int64_t>(*warmup + 1, options_.history_bars)) * tf;
  }
  venues::Venue* venue = venues_(r.venue);
  if (!venue) co_return Error::invalid("venue", "robot " + std::to_string(r.id) + ": no venue " + r.venue + " is configured");
  const int64_t now = clock_.now_ms();
  auto candles = co_await fetch_closed_candles(*venue, r.symbol, r.timeframe, since, now, now, options_.max_candles);
  if (!candles) co_return candles.error();
  if (candles->empty()) co_return Advance{};
  if (auto st = store_.save_candles(r.venue, r.symbol, r.timeframe, *candles); !st) co_return st.error();
  co_return runner_.advance(r, *candles, r.starts_ms);
}

net::Task<int64_t> LiveRobots::run_once() {
  int64_t signals = 0;
  auto robots = store_.list_robots();
  if (!robots) {
    log_ << "tradebridge: robots: reading the catalogue failed: " << robots.error().message << "\n";
    co_return 0;
  }
  for (const auto& r : *robots) {
    if (stopping_) break;
    if (r.status != store::RobotStatus::Active || r.kind == "signal") continue;  // signal robots are fed from outside
    auto done = co_await advance(r);
    if (!done) log_ << "tradebridge: robots: robot " << r.id << " (" << r.name << "): " << done.error().message << "\n";
    else signals += done->signals;
  }
  co_return signals;
}

net::Task<void> LiveRobots::run() {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  while (!stopping_) {
    co_await run_once();
    timer.expires_after(options_.interval);
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

}  // namespace tb::robots
