#pragma once
// The live runner's step (issue 12 part 3): a robot and the closed candles of its market, in order, become
// its signals. Each candle is one transaction: the signals the strategy made on the candle's close (numbered
// on from the last, without gaps) and the run's state after it (robot_run.hpp) land together or not at all,
// so a process killed at any point resumes at the first candle not written and no signal is stored twice or
// skipped. A robot without a state starts live at the first candle that opens at or after its start time;
// the candles before it only warm the strategy up: their signals are dropped, so the robot starts flat.
// A market signal is stored on the close that made it; a stop or limit alert when a price crosses it: the
// ticker while its candle is open (check_alerts), else the candle's high or low when it closes.
#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "robots/catalogue.hpp"
#include "store/store.hpp"

namespace tb::robots {

struct RunnerSettings {
  Decimal volume_quote = Decimal::from_int(1000);  // the notional of a robot's virtual trades (its public statistics)
};

// What one call did for one robot.
struct Advance {
  int64_t candles = 0;  // processed live (signals kept)
  int64_t signals = 0;  // stored
};

class Runner {
 public:
  Runner(store::Store& store, std::vector<KnownMarket> markets, RunnerSettings settings = {})
      : store_(store), markets_(std::move(markets)), settings_(settings) {}

  // `closed`: closed candles of the robot's market and timeframe, sorted; those already processed are
  // skipped. `start_ms`: where a robot without a state starts live (normally when it was added).
  Result<Advance> advance(const store::Robot& robot, const std::vector<Candle>& closed, int64_t start_ms);

  // The open time of the candle whose stop and limit alerts a ticker should be checked against now: the
  // candle after the last processed one, while it is open at `now_ms` and has an alert not triggered yet.
  Result<std::optional<int64_t>> watched_candle(const store::Robot& robot, int64_t now_ms);
  // A ticker's price seen during candle `candle_ms`: the alerts it crosses are stored as signals of that
  // candle (at their own price), with the state that marks them triggered, in one transaction, so a restart
  // neither loses nor repeats them and the candle's close does not emit them again. Returns the signals stored.
  Result<int64_t> check_alerts(const store::Robot& robot, const Decimal& price, int64_t candle_ms);

  // The candles a robot without a state needs before its start, to warm its strategy up.
  Result<int64_t> warmup_bars(const store::Robot& robot) const;

 private:
  store::Store& store_;
  std::vector<KnownMarket> markets_;
  RunnerSettings settings_;
};

}  // namespace tb::robots
