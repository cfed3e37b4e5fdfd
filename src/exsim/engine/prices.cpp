// Price paths: a seeded random walk per market, one bar per minute of clock time, with volatility regimes
// that switch now and then and a weak pull back to the start price so months of walk stay plausible.
// Doubles only compute a step; every stored price is an exact multiple of the market's tick (or digits).
#include <algorithm>
#include <cmath>
#include <sstream>

#include "exsim/engine/state.hpp"

namespace tb::exsim::detail {
namespace {

constexpr double kSigma[3] = {0.0004, 0.0009, 0.0022};  // per-minute volatility: calm, normal, wild
constexpr double kRegimeSwitch = 1.0 / 240;             // chance per minute to draw a new regime
constexpr double kPull = 1.0 / 4320;                    // mean reversion to the start price per minute

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Box-Muller on our own uniforms: the same numbers on every standard library.
double normal(std::mt19937_64& rng) {
  double u1 = std::max(uniform01(rng), 1e-300);
  double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

// A price from the walk to the market's grid, as an integer count of 1e-8: the tick's multiple nearest to
// it (or the significant digits of a venue that rounds so). Integer arithmetic on the grid, so every stored price is exact.
int64_t grid_units(const SimMarket& m, int64_t tick_units, double p) {
  int64_t step = tick_units;
  if (m.price_significant_digits > 0) {
    int magnitude = static_cast<int>(std::floor(std::log10(p))) + 1;  // digits before the point
    int decimals = std::min(kPriceScale, m.price_significant_digits - magnitude);
    step = 1;
    for (int i = decimals; i < kPriceScale; ++i) step *= 10;
  }
  int64_t n = std::llround(p * 1e8 / static_cast<double>(step));
  return std::max<int64_t>(1, n) * step;
}

// One minute's move from `from` (forward: from = open; backward: from = close).
Bar walk(const SimMarket& m, int64_t tick_units, int64_t step_units, double start, std::mt19937_64& rng, int& regime, double from,
         bool forward) {
  if (uniform01(rng) < kRegimeSwitch) regime = static_cast<int>(rng() % 3);
  double sigma = kSigma[regime];
  double r = sigma * normal(rng) - kPull * std::log(from / start);
  double to = from * std::exp(r);
  double o = forward ? from : to;
  double c = forward ? to : from;
  double hi = std::max(o, c) * (1 + std::fabs(normal(rng)) * sigma * 0.6);
  double lo = std::min(o, c) * (1 - std::fabs(normal(rng)) * sigma * 0.6);
  double notional = 150000.0 * std::exp(0.8 * normal(rng)) * (1 + regime);
  Bar b;
  b.open = grid_units(m, tick_units, o);
  b.close = grid_units(m, tick_units, c);
  b.high = std::max({grid_units(m, tick_units, hi), b.open, b.close});
  b.low = std::min({grid_units(m, tick_units, lo), b.open, b.close});
  b.volume = static_cast<int64_t>(notional / c * 1e8 / static_cast<double>(step_units)) * step_units;
  return b;
}

double as_double(int64_t units) { return static_cast<double>(units) / 1e8; }

}  // namespace

Decimal from_units8(int64_t units) { return Decimal::from_units(units, kPriceScale).normalized(); }

int64_t to_units8(const Decimal& d) { return static_cast<int64_t>(d.rescale(kPriceScale, Rounding::HalfEven).units()); }

void set_grid(PricePath& p) {
  p.tick_units = p.market.tick.is_positive() ? to_units8(p.market.tick) : 1;
  p.step_units = std::max<int64_t>(1, to_units8(p.market.step));
  p.start = p.market.start_price.to_double();
}

void init_path(PricePath& p, uint64_t seed, int64_t now_minute) {
  set_grid(p);
  p.seed = seed;
  p.rng.seed(seed ^ fnv1a(path_key(p.market.venue, p.market.id)));
  p.regime = 1;
  int64_t start = to_units8(p.market.start_price);
  Bar now{start, start, start, start, 0};
  p.bars.assign(1, now);
  p.first_minute = now_minute;
  restart_history(p);
}

void restart_history(PricePath& p) {
  p.origin_minute = p.first_minute;
  p.blocks_back = 0;
}

// Each day of history is walked backwards from the open of the bar after it, with its own generator, so the
// made-up past is the same whichever request first reaches into it.
void ensure_history(PricePath& p, int64_t from_minute) {
  while (p.first_minute > from_minute && p.blocks_back < kHistoryMinutes / kHistoryBlock) {
    ++p.blocks_back;
    std::mt19937_64 rng(p.seed ^ fnv1a(path_key(p.market.venue, p.market.id) + "|history") ^
                        (static_cast<uint64_t>(p.origin_minute) * 0x9e3779b97f4a7c15ull) ^ (static_cast<uint64_t>(p.blocks_back) << 48));
    int regime = 1;
    for (int64_t i = 0; i < kHistoryBlock; ++i) {
      Bar b = walk(p.market, p.tick_units, p.step_units, p.start, rng, regime, as_double(p.bars.front().open), false);
      b.close = p.bars.front().open;
      b.high = std::max(b.high, b.close);
      b.low = std::min(b.low, b.close);
      p.bars.push_front(b);
      --p.first_minute;
    }
  }
}

Bar next_bar(PricePath& p, const Bar& prev) {
  if (!p.replay.empty()) {
    Bar b = p.replay.front();
    p.replay.pop_front();
    return b;
  }
  Bar b = walk(p.market, p.tick_units, p.step_units, p.start, p.rng, p.regime, as_double(prev.close), true);
  b.open = prev.close;
  b.high = std::max(b.high, b.open);
  b.low = std::min(b.low, b.open);
  return b;
}

void trim_history(PricePath& p) {
  if (static_cast<int64_t>(p.bars.size()) <= kHistoryMinutes + kHistoryBlock) return;
  while (static_cast<int64_t>(p.bars.size()) > kHistoryMinutes) {
    p.bars.pop_front();
    ++p.first_minute;
  }
  p.blocks_back = kHistoryMinutes / kHistoryBlock;  // what was dropped is not made up again
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace tb::exsim::detail

namespace tb::exsim {

using namespace detail;

std::vector<SimMarket> Exchange::markets(const std::string& venue) const {
  std::lock_guard lock(mu_);
  std::vector<SimMarket> out;
  const SimVenue* v = this->venue(venue);
  if (!v) return out;
  for (const auto& m : v->markets)  // the venue's own order
    out.push_back(state_->paths.at(path_key(venue, m.id)).market);
  return out;
}

std::optional<SimMarket> Exchange::market(const std::string& venue, const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = state_->paths.find(path_key(venue, id));
  if (it == state_->paths.end()) return std::nullopt;
  return it->second.market;
}

Decimal Exchange::price(const std::string& venue, const std::string& id) {
  std::lock_guard lock(mu_);
  PricePath* p = advance(*state_, venue, id, clock_.now_ms());
  return p ? from_units8(p->bars.back().close) : Decimal();
}

std::vector<SimCandle> Exchange::candles(const std::string& venue, const std::string& id, int64_t timeframe_ms,
                                         std::optional<int64_t> since_ms, int limit) {
  std::lock_guard lock(mu_);
  PricePath* p = advance(*state_, venue, id, clock_.now_ms());
  if (!p) return {};
  int64_t tf = std::max<int64_t>(1, timeframe_ms / kMinuteMs) * kMinuteMs;
  // Weeks open on Monday 00:00 UTC as on the venues; the epoch was a Thursday.
  int64_t offset = tf == 7 * 24 * 60 * kMinuteMs ? 4 * 24 * 60 * kMinuteMs : 0;
  auto bucket = [&](int64_t t) { return floor_div(t - offset, tf) * tf + offset; };
  if (limit <= 0) limit = 500;
  limit = std::min(limit, 5000);

  int64_t current_ms = bucket(p->last_minute() * kMinuteMs);
  int64_t want_from = since_ms ? bucket(*since_ms) : current_ms - (limit - 1) * tf;
  ensure_history(*p, floor_div(want_from, kMinuteMs));
  int64_t path_start = p->first_minute * kMinuteMs;
  int64_t first_full = bucket(path_start) == path_start ? path_start : bucket(path_start) + tf;
  int64_t current = bucket(p->last_minute() * kMinuteMs);
  int64_t from;
  if (since_ms) {
    int64_t b = bucket(*since_ms);
    from = std::max(first_full, b == *since_ms ? b : b + tf);
  } else {
    from = std::max(first_full, current - (limit - 1) * tf);
  }
  std::vector<SimCandle> out;
  for (int64_t b = from; b <= current && static_cast<int>(out.size()) < limit; b += tf) {
    int64_t m0 = b / kMinuteMs - p->first_minute;
    int64_t m1 = std::min<int64_t>((b + tf) / kMinuteMs - p->first_minute, static_cast<int64_t>(p->bars.size()));
    if (m0 < 0 || m0 >= m1) continue;
    const Bar& first = p->bars[static_cast<size_t>(m0)];
    Bar agg = first;
    for (int64_t i = m0 + 1; i < m1; ++i) {
      const Bar& x = p->bars[static_cast<size_t>(i)];
      agg.high = std::max(agg.high, x.high);
      agg.low = std::min(agg.low, x.low);
      agg.close = x.close;
      agg.volume += x.volume;
    }
    out.push_back(
        SimCandle{b, from_units8(agg.open), from_units8(agg.high), from_units8(agg.low), from_units8(agg.close), from_units8(agg.volume)});
  }
  return out;
}

Status Exchange::set_price(const std::string& venue, const std::string& id, const Decimal& price) {
  std::lock_guard lock(mu_);
  PricePath* p = advance(*state_, venue, id, clock_.now_ms());
  if (!p) return Error::make(ErrorKind::InvalidArgument, "unknown market " + venue + " " + id);
  if (!price_fits(p->market, price) || price > Decimal::from_int(10'000'000'000))
    return Error::make(ErrorKind::InvalidArgument, "price " + price.to_string() + " does not fit " + id + "'s tick");
  Bar& now = p->bars.back();
  now.close = to_units8(price);
  now.high = std::max(now.high, now.close);
  now.low = std::min(now.low, now.close);
  fill_resting(*state_, *p, price, price, clock_.now_ms());
  return ok_status();
}

Status Exchange::load_candles_csv(const std::string& venue, const std::string& id, const std::string& csv_text) {
  std::deque<Bar> bars;
  std::istringstream in(csv_text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ls(line);
    for (std::string cell; std::getline(ls, cell, ',');) f.push_back(cell);
    if (f.size() != 6) return Error::make(ErrorKind::InvalidArgument, "line " + std::to_string(line_no) + ": want 6 fields");
    if (line_no == 1 && !Decimal::parse(f[0])) continue;  // a header row
    std::optional<Decimal> v[5];
    for (int i = 0; i < 5; ++i) v[i] = Decimal::parse(f[static_cast<size_t>(i) + 1]);
    bool ok = v[0] && v[1] && v[2] && v[3] && v[4] && v[0]->is_positive() && v[3]->is_positive() && !v[4]->is_negative() &&
              *v[1] >= std::max(*v[0], *v[3]) && *v[2] <= std::min(*v[0], *v[3]) && v[2]->is_positive() &&
              *v[1] < Decimal::from_int(10'000'000'000) && *v[4] < Decimal::from_int(10'000'000'000);
    if (!ok) return Error::make(ErrorKind::InvalidArgument, "line " + std::to_string(line_no) + ": bad candle");
    bars.push_back(Bar{to_units8(*v[0]), to_units8(*v[1]), to_units8(*v[2]), to_units8(*v[3]), to_units8(*v[4])});
  }
  if (bars.empty()) return Error::make(ErrorKind::InvalidArgument, "no candles in the CSV");
  std::lock_guard lock(mu_);
  PricePath* p = advance(*state_, venue, id, clock_.now_ms());
  if (!p) return Error::make(ErrorKind::InvalidArgument, "unknown market " + venue + " " + id);
  // The first row is this minute; the rest follow one a minute, then the walk goes on from the last close.
  p->bars.back() = bars.front();
  bars.pop_front();
  p->replay = std::move(bars);
  fill_resting(*state_, *p, from_units8(p->bars.back().low), from_units8(p->bars.back().high), clock_.now_ms());
  return ok_status();
}

}  // namespace tb::exsim
