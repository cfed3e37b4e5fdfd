#include "robots/live.hpp"

#include <algorithm>
#include <map>
#include <utility>  // before Asio's awaitable header: Boost 1.74 misses it

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "robots/candles.hpp"
#include "robots/time_text.hpp"
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
  const int64_t width = timeframe_ms(tf), part = timeframe_ms(source);
  const int64_t from = since_ms / width * width, to = std::min(until_ms, now_ms / width * width);
  auto parts = co_await fetch_pages(venue, std::move(symbol), source, from, to, now_ms, per_call);
  if (!parts) co_return parts.error();
  auto built = build_timeframe(*parts, part, tf);
  if (!built) co_return built.error();
  std::map<int64_t, int64_t> parts_in;  // by bucket
  for (const auto& p : *parts) ++parts_in[p.open_time_ms - p.open_time_ms % width];
  const int64_t last_part = parts->empty() ? 0 : parts->back().open_time_ms;
  std::vector<Candle> out;
  for (auto& c : *built) {
    // A bucket the venue has not given every part of is not final yet, unless it has parts after it (then
    // the missing ones are minutes it has no candle for): it is asked for again on the next pass.
    const bool whole = parts_in[c.open_time_ms] == width / part || last_part >= c.open_time_ms + width;
    if (whole && c.open_time_ms >= since_ms && c.open_time_ms + width <= now_ms) out.push_back(std::move(c));
  }
  co_return out;
}

net::Task<Result<Advance>> LiveRobots::advance(const store::Robot& r) {
  const int64_t tf = timeframe_ms(r.timeframe);
  auto state = store_.robot_state(r.id);
  if (!state) co_return state.error();
  std::optional<int64_t> last;  // the last candle it processed
  int64_t since = 0;
  if (state->has_value()) {
    last = (*state)->last_candle_ms;
    since = *last + tf;
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
  auto steps = without_holes(r, *candles, last);
  if (!steps) co_return steps.error();
  if (steps->empty()) co_return Advance{};
  co_return runner_.advance(r, *steps, r.starts_ms);
}

Result<std::vector<Candle>> LiveRobots::without_holes(const store::Robot& r, const std::vector<Candle>& fetched,
                                                      std::optional<int64_t> last_ms) {
  const int64_t tf = timeframe_ms(r.timeframe);
  std::vector<Candle> previous;  // the candle it processed last, as kept
  if (last_ms) {
    auto kept = store_.candles(r.venue, r.symbol, r.timeframe, *last_ms, *last_ms + 1);
    if (!kept) return kept.error();
    previous = std::move(*kept);
  }
  GapWatch& watch = gaps_[r.id];
  const int64_t seen = watch.gap_ms;
  Steppable s = steppable(fetched, last_ms ? *last_ms + tf : fetched.front().open_time_ms, previous.empty() ? nullptr : &previous.front(),
                          tf, clock_.now_ms(), options_.gap_tries, watch);
  if (watch.gap_ms >= 0 && watch.gap_ms != seen)
    log_ << "tradebridge: robots: robot " << r.id << " (" << r.name << "): the venue gave no candle at " << iso_utc(watch.gap_ms)
         << "; it waits and asks again\n";
  if (!s.filled.empty()) {
    if (auto st = store_.save_candles(r.venue, r.symbol, r.timeframe, s.filled); !st) return st.error();
    log_ << "tradebridge: robots: robot " << r.id << " (" << r.name << "): " << s.filled.size() << " candle(s) from "
         << iso_utc(s.filled.front().open_time_ms) << " the venue has none of after " << options_.gap_tries
         << " passes, filled flat at the close before with volume 0\n";
  }
  return std::move(s.candles);
}

net::Task<Result<int64_t>> LiveRobots::watch_alerts(const store::Robot& r, Tickers& seen) {
  const int64_t now = clock_.now_ms();
  auto candle = runner_.watched_candle(r, now);
  if (!candle) co_return candle.error();
  if (!candle->has_value()) co_return 0;  // no alert waits on an open candle
  venues::Venue* venue = venues_(r.venue);
  if (!venue) co_return Error::invalid("venue", "robot " + std::to_string(r.id) + ": no venue " + r.venue + " is configured");
  const std::string key = r.venue + "/" + r.symbol;
  auto it = seen.find(key);
  if (it == seen.end()) {
    auto ticker = co_await venue->ticker(r.symbol);
    if (!ticker) co_return ticker.error();
    it = seen.emplace(key, std::move(*ticker)).first;
  }
  const Ticker& t = it->second;
  const int64_t at = t.time_ms > 0 ? t.time_ms : now, open = **candle;
  // A price from another candle than the alerts' says nothing about them (the candle's range will).
  if (!t.last.is_positive() || at < open || at >= open + timeframe_ms(r.timeframe)) co_return 0;
  co_return runner_.check_alerts(r, t.last, open);
}

net::Task<int64_t> LiveRobots::run_once() {
  int64_t signals = 0;
  auto robots = store_.list_robots();
  if (!robots) {
    log_ << "tradebridge: robots: reading the catalogue failed: " << robots.error().message << "\n";
    co_return 0;
  }
  Tickers tickers;
  for (const auto& r : *robots) {
    if (stopping_) break;
    if (r.status != store::RobotStatus::Active || r.kind == "signal") continue;  // signal robots are fed from outside
    auto done = co_await advance(r);
    if (!done) log_ << "tradebridge: robots: robot " << r.id << " (" << r.name << "): " << done.error().message << "\n";
    else signals += done->signals;
    auto crossed = co_await watch_alerts(r, tickers);
    if (!crossed) log_ << "tradebridge: robots: robot " << r.id << " (" << r.name << "): the ticker: " << crossed.error().message << "\n";
    else signals += *crossed;
  }
  co_return signals;
}

net::Task<void> LiveRobots::run() {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  boost::system::error_code ec;
  while (running_) {  // the loop of before a stop is still in its pass or its wait
    timer.expires_after(std::chrono::milliseconds(50));
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
  stopping_ = false;
  running_ = true;
  while (!stopping_) {
    co_await run_once();
    if (stopping_) break;
    timer.expires_after(options_.interval);
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) break;
  }
  running_ = false;
}

}  // namespace tb::robots
