#pragma once
// What users read of the robots (issue 12 part 6): the catalogue with each robot's public statistics, its
// candles, signals, trades and equity. A robot's statistics are its run over the candles the platform keeps
// of its market and timeframe — its backtest before it started and its live run after, by the same code as
// its signals (robot_run.hpp) — at the runner's notional volume.
#include <optional>
#include <string>
#include <vector>

#include "robots/backtest.hpp"
#include "robots/runner.hpp"

namespace tb::robots {

// Empty fields match every robot.
struct RobotFilter {
  std::string venue;
  std::string symbol;
  std::string timeframe;
  std::string strategy;
};

struct RobotReport {
  store::Robot robot;
  BacktestResult run;   // over `candles`
  int64_t from_ms = 0;  // the first and last candle run over (0 when none)
  int64_t to_ms = 0;
};

class RobotBoard {
 public:
  RobotBoard(store::Store& store, std::vector<KnownMarket> markets, RunnerSettings settings = {})
      : store_(store), markets_(std::move(markets)), settings_(settings) {}

  Result<std::vector<RobotReport>> list(const RobotFilter& filter);
  // NotFound naming `robot` for an unknown id.
  Result<RobotReport> report(int64_t robot_id);
  // Candles of the robot's market with open times in [from_ms, to_ms), oldest first.
  Result<std::vector<Candle>> candles(int64_t robot_id, int64_t from_ms, int64_t to_ms);
  Result<std::vector<store::RobotSignal>> signals(int64_t robot_id, int64_t after_seq, int64_t limit);

 private:
  Result<store::Robot> robot(int64_t id);
  // Over `kept` when given (the market's candles, already read), else over the store's.
  Result<RobotReport> report_of(const store::Robot& r, const std::vector<Candle>* kept = nullptr);

  store::Store& store_;
  std::vector<KnownMarket> markets_;
  RunnerSettings settings_;
};

}  // namespace tb::robots
