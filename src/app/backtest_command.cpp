#include "app/backtest_command.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "core/symbol.hpp"
#include "exsim/engine/exchange.hpp"
#include "exsim/venues.hpp"
#include "robots/backtest.hpp"
#include "robots/candles.hpp"
#include "robots/registry.hpp"
#include "robots/report.hpp"
#include "robots/time_text.hpp"
#include "venues/registry.hpp"

namespace tb::app {
namespace {

using robots::parse_utc;

struct MarketChoice {
  exsim::SimMarket market;
  bool shorts = false;
};

int fail(std::ostream& err, const Error& e) {
  nlohmann::json j = e;
  if (!e.field.empty()) j["field"] = e.field;
  err << nlohmann::json{{"error", j}}.dump(2) << "\n";
  return e.kind == ErrorKind::InvalidArgument ? 2 : 1;
}

const exsim::SimVenue* sim_venue(const std::string& id) {
  for (const auto& v : exsim::default_sim_venues())
    if (v.id == id) return &v;
  return nullptr;
}

bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) { return std::toupper(x) == std::toupper(y); });
}

// The market by the venue's id or the unified symbol; shorts where the venue and the market allow them.
Result<MarketChoice> find_market(const std::string& venue, const std::string& symbol) {
  const auto* description = venues::find_venue(venue);
  const auto* sim = sim_venue(venue);
  if (venue.empty() || !description || !sim) return Error::invalid("venue", "unknown venue '" + venue + "'; one of " + venues::venue_ids());
  auto unified = parse_unified_symbol(symbol);
  std::string known;
  for (const auto& m : sim->markets) {
    if (same_text(m.id, symbol) || (unified && unified->base == m.base && unified->quote == m.quote))
      return MarketChoice{m, description->shorts && m.perpetual};
    known += (known.empty() ? "" : ", ") + m.id;
  }
  return Error::invalid("symbol", "'" + symbol + "' is no market of " + venue + "; it has " + known);
}

Result<Decimal> positive_decimal(const std::string& text, const std::string& field, bool zero_ok) {
  auto d = Decimal::parse(text);
  if (!d || d->is_negative() || (!zero_ok && d->is_zero()))
    return Error::invalid(field, "'" + text + "' is not a " + (zero_ok ? "non-negative" : "positive") + " decimal");
  return *d;
}

Result<std::vector<Candle>> read_candle_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::invalid("candles", "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return robots::parse_candles_csv(text.str());
}

// The simulator's seeded walk of the market from `from` to `to`, 1m candles, read a few days at a time
// (the simulator keeps a month of minutes).
std::vector<Candle> simulated_candles(const exsim::SimMarket& m, int64_t from, int64_t to, uint64_t seed) {
  constexpr int64_t kMinute = 60'000, kChunk = 5000;
  int64_t start = (from + kMinute - 1) / kMinute * kMinute;
  ManualClock clock(start);
  exsim::Exchange exchange(clock, seed);
  std::vector<Candle> out;
  for (int64_t cursor = start; cursor < to;) {
    int64_t chunk_end = std::min(to, cursor + kChunk * kMinute);
    clock.set_ms(chunk_end);
    for (const auto& c : exchange.candles(m.venue, m.id, kMinute, cursor, static_cast<int>(kChunk)))
      if (c.open_time_ms + kMinute <= chunk_end) out.push_back(Candle{c.open_time_ms, c.open, c.high, c.low, c.close, c.volume});
    cursor = chunk_end;
  }
  return out;
}

struct Period {
  std::optional<int64_t> from, to;
};

Result<Period> parse_period(const BacktestOptions& o) {
  Period p;
  if (!o.from.empty()) {
    auto t = parse_utc(o.from, "from");
    if (!t) return t.error();
    p.from = *t;
  }
  if (!o.to.empty()) {
    auto t = parse_utc(o.to, "to");
    if (!t) return t.error();
    p.to = *t;
  }
  if (p.from && p.to && *p.to <= *p.from) return Error::invalid("to", "must be after --from");
  if (o.candles.empty() && (!p.from || !p.to))
    return Error::invalid("candles", "give --candles FILE, or --from and --to for the simulator's walk");
  if (p.from && *p.from < 0) return Error::invalid("from", "must be 1970 or later");
  constexpr int64_t kMaxWalk = int64_t{3} * 366 * 86'400'000;  // 1.6 million minutes, about 270 MB of candles
  if (o.candles.empty() && *p.to - *p.from > kMaxWalk) return Error::invalid("to", "the simulator's walk covers at most 3 years at a time");
  return p;
}

// The candles of the run: the file's or the walk's, within the period, on the timeframe.
Result<std::vector<Candle>> load_candles(const BacktestOptions& o, const MarketChoice& m, Timeframe tf) {
  auto period = parse_period(o);
  if (!period) return period.error();
  std::vector<Candle> all;
  if (o.candles.empty()) {
    all = simulated_candles(m.market, *period->from, *period->to, o.seed);
  } else {
    auto read = read_candle_file(o.candles);
    if (!read) return read.error();
    all = std::move(*read);
  }
  std::erase_if(all, [&](const Candle& c) {
    return (period->from && c.open_time_ms < *period->from) || (period->to && c.open_time_ms >= *period->to);
  });
  if (all.empty())
    return Error::invalid(period->from ? "from" : "to",
                          "no candles between " + (period->from ? o.from : "the start") + " and " + (period->to ? o.to : "the end"));
  return robots::candles_for_timeframe(std::move(all), tf);
}

}  // namespace

namespace {

// A progress bar on the terminal for long runs: redrawn in place, cleared at the end.
robots::Progress progress_bar(std::ostream& err) {
  return [&err](size_t done, size_t total) {
    if (total < 100'000) return;
    size_t filled = done * 30 / total;
    err << "\rbacktest [" << std::string(filled, '#') << std::string(30 - filled, ' ') << "] " << done * 100 / total << "%";
    if (done == total) err << "\r" << std::string(48, ' ') << "\r";
    err.flush();
  };
}

struct Setup {
  MarketChoice market;
  Timeframe timeframe = Timeframe::H1;
  robots::MadeStrategy strategy;
  robots::BacktestSettings settings;
};

// Every input checked, in the order of the command line, before any candle is read.
Result<Setup> set_up(const BacktestOptions& o) {
  if (o.strategy.empty()) return Error::invalid("strategy", "is required; one of " + robots::strategy_ids());
  auto market = find_market(o.venue, o.symbol);
  if (!market) return market.error();
  auto tf = robots::parse_robot_timeframe(o.timeframe);
  if (!tf) return tf.error();
  robots::MarketTraits traits{market->shorts, market->market.tick};
  auto made = robots::make_strategy(o.strategy, o.params, traits);
  if (!made) return made.error();
  auto fee = o.fee_rate.empty() ? Result<Decimal>(market->market.taker_fee) : positive_decimal(o.fee_rate, "fee-rate", true);
  if (!fee) return fee.error();
  if (*fee >= Decimal::from_int(1)) return Error::invalid("fee-rate", "is a fraction of the notional (0.0004 for 0.04%), below 1");
  auto volume = positive_decimal(o.volume_quote, "volume-quote", false);
  if (!volume) return volume.error();
  if (*volume > Decimal::from_int(1'000'000'000'000)) return Error::invalid("volume-quote", "is more than 10^12");
  const auto& m = market->market;
  robots::BacktestSettings settings{*volume, *fee, robots::MarketRules{m.step, m.min_qty, m.min_notional, market->shorts}};
  return Setup{*market, *tf, std::move(*made), settings};
}

Status write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) return Error::invalid("candles-out", "cannot write " + path);
  return ok_status();
}

}  // namespace

int run_backtest(const BacktestOptions& o, std::ostream& out, std::ostream& err) {
  auto setup = set_up(o);
  if (!setup) return fail(err, setup.error());
  auto candles = load_candles(o, setup->market, setup->timeframe);
  if (!candles) return fail(err, candles.error());
  if (!o.candles_out.empty())
    if (auto written = write_file(o.candles_out, robots::write_candles_csv(*candles)); !written) return fail(err, written.error());
  robots::BacktestResult result;
  try {
    result =
        robots::run_backtest(*setup->strategy.strategy, *candles, setup->settings, o.progress ? progress_bar(err) : robots::Progress{});
  } catch (const std::exception& e) {  // Decimal's overflow: the inputs' bounds keep it out of reach, but never a crash
    return fail(err, Error::make(ErrorKind::Internal, std::string("backtest failed: ") + e.what()));
  }
  const auto* info = robots::find_strategy(o.strategy);
  auto params = robots::params_json(info->schema, setup->strategy.params);
  robots::BacktestLabels labels{o.strategy, o.venue, setup->market.market.id, std::string(to_string(setup->timeframe))};
  int64_t first = candles->front().open_time_ms, last = candles->back().open_time_ms;
  if (o.json) out << robots::backtest_json(result, labels, params, first, last).dump() << "\n";
  else robots::print_backtest_text(out, result, labels, params, first, last);
  return 0;
}

std::string backtest_help() {
  std::string out = "Strategies (--params takes a JSON object of these; missing ones take their default):\n";
  for (const auto& s : robots::strategies()) {
    out += "  " + s.id + (s.long_only ? " (long only)" : "") + ": " + s.description + "\n";
    for (const auto& p : robots::schema_json(s.schema)) {
      std::string range = p.contains("min") ? ", " + p["min"].dump() + ".." + p["max"].dump() : "";
      out += "      " + p["name"].get<std::string>() + " (" + p["type"].get<std::string>() + range + ", default " + p["default"].dump() +
             "): " + p["description"].get<std::string>() + "\n";
    }
  }
  out += "Markets (--venue, --symbol; rules and taker fee from the simulator's description of the venue):\n";
  for (const auto& v : exsim::default_sim_venues()) {
    out += "  " + v.id + ":";
    for (const auto& m : v.markets) out += " " + m.id;
    out += "\n";
  }
  out +=
      "Shorts only where the venue trades perpetual futures; elsewhere a strategy's short signals stay flat.\n"
      "Fills: market orders at the next candle's open, stops at max(open, stop) / min(open, stop).";
  return out;
}

}  // namespace tb::app
