#include "robots/board.hpp"

#include <limits>
#include <map>
#include <tuple>

#include "robots/registry.hpp"

namespace tb::robots {

namespace {

constexpr int64_t kEver = std::numeric_limits<int64_t>::max();

bool matches(const RobotFilter& f, const store::Robot& r) {
  return (f.venue.empty() || f.venue == r.venue) && (f.symbol.empty() || f.symbol == r.symbol) &&
         (f.timeframe.empty() || f.timeframe == to_string(r.timeframe)) && (f.strategy.empty() || f.strategy == r.strategy);
}

}  // namespace

Result<store::Robot> RobotBoard::robot(int64_t id) {
  auto found = store_.find_robot(id);
  if (!found) return found.error();
  // A signal robot is its owner's alone and has no strategy to report: not in the catalogue.
  if (!found->has_value() || (*found)->kind == "signal")
    return Error::about(ErrorKind::NotFound, "robot", "no robot " + std::to_string(id));
  return **found;
}

Result<RobotReport> RobotBoard::report_of(const store::Robot& r, const std::vector<Candle>* kept) {
  const KnownMarket* m = find_market(markets_, r.venue, r.symbol);
  if (!m)
    return Error::invalid("symbol", "robot " + std::to_string(r.id) + ": the platform knows no market " + r.symbol + " on " + r.venue);
  auto made = make_strategy(r.strategy, r.params_json, MarketTraits{m->shorts, Decimal()});
  if (!made) return made.error();
  Result<std::vector<Candle>> candles =
      kept ? Result<std::vector<Candle>>(*kept) : store_.candles(r.venue, r.symbol, r.timeframe, 0, kEver);
  if (!candles) return candles.error();
  RobotReport out{r, run_backtest(*made->strategy, *candles, BacktestSettings{settings_.volume_quote, m->taker_fee, m->rules}), 0, 0};
  if (!candles->empty()) {
    out.from_ms = candles->front().open_time_ms;
    out.to_ms = candles->back().open_time_ms;
  }
  return out;
}

Result<std::vector<RobotReport>> RobotBoard::list(const RobotFilter& filter) {
  auto all = store_.list_robots();
  if (!all) return all.error();
  std::vector<RobotReport> out;
  // The robots of one market and timeframe (each strategy, seeded) run over the same candles: read once.
  std::map<std::tuple<std::string, std::string, Timeframe>, std::vector<Candle>> kept;
  for (const auto& r : *all) {
    if (!matches(filter, r) || r.kind == "signal") continue;
    auto key = std::make_tuple(r.venue, r.symbol, r.timeframe);
    if (!kept.count(key)) {
      auto candles = store_.candles(r.venue, r.symbol, r.timeframe, 0, kEver);
      if (!candles) return candles.error();
      kept.emplace(key, std::move(*candles));
    }
    auto rep = report_of(r, &kept.at(key));
    if (!rep) return rep.error();
    out.push_back(std::move(*rep));
  }
  return out;
}

Result<RobotReport> RobotBoard::report(int64_t id) {
  auto r = robot(id);
  if (!r) return r.error();
  return report_of(*r);
}

Result<std::vector<Candle>> RobotBoard::candles(int64_t id, int64_t from_ms, int64_t to_ms) {
  auto r = robot(id);
  if (!r) return r.error();
  return store_.candles(r->venue, r->symbol, r->timeframe, from_ms, to_ms);
}

Result<std::vector<store::RobotSignal>> RobotBoard::signals(int64_t id, int64_t after_seq, int64_t limit) {
  auto r = robot(id);
  if (!r) return r.error();
  return store_.robot_signals(id, after_seq, limit);
}

}  // namespace tb::robots
