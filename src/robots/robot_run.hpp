#pragma once
// One robot through closed candles, one at a time: the signals made on a candle's close wait for the next
// candle and fill there by the backtest's rules (backtest.hpp); then the strategy sees the candle. The
// backtest drives it over a series; the live runner over each candle as it closes, saving its state in
// between — one implementation, so a robot's live signals are the ones its backtest over the same candles
// gives.
#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "robots/backtest.hpp"

namespace tb::robots {

class RobotRun {
 public:
  // Both must outlive the run.
  RobotRun(Strategy& strategy, const BacktestSettings& settings) : strategy_(strategy), s_(settings) {}

  // The candle's fills (a closed position adds to trades()), then the signals the strategy makes on its
  // close, good for the next candle only.
  const std::vector<Signal>& step(const Candle& closed);

  const std::vector<Signal>& pending() const { return pending_; }
  // Drops the signals of the last candle: a live robot only watches while it warms up, so nothing fills.
  void forget_pending() { pending_.clear(); }
  std::vector<Trade>& trades() { return trades_; }
  int64_t skipped() const { return skipped_; }
  int64_t candles() const { return index_; }
  std::optional<OpenPosition> open_position() const;

  // Everything the next step depends on (the position, the pending signals, the candle count, the
  // strategy's state), but not the trades closed so far. restore() of it into a run of the same strategy
  // and settings continues exactly; a state that does not fit is an InvalidArgument naming `state`.
  nlohmann::json state() const;
  Status restore(const nlohmann::json& state);

 private:
  void apply(const Signal& sig, const Candle& c);
  void open(TradeSide side, const Decimal& price, const Candle& c);
  void close(const Decimal& price, const Candle& c);
  Holding holding() const;

  Strategy& strategy_;
  const BacktestSettings& s_;
  std::optional<OpenPosition> open_;
  int64_t entry_index_ = 0;
  int64_t index_ = 0;  // candles stepped
  int64_t skipped_ = 0;
  std::vector<Signal> pending_, next_;
  std::vector<Trade> trades_;
};

}  // namespace tb::robots
