#pragma once
// One robot through closed candles, one at a time: the signals made on a candle's close wait for the next
// candle and fill there by the backtest's rules (backtest.hpp); then the strategy sees the candle. The
// backtest drives it over a series; the live runner over each candle as it closes, saving its state in
// between — one implementation, so a robot's live signals are the ones its backtest over the same candles
// gives. Live, a stop or limit alert may also be triggered by the ticker while its candle is still open
// (trigger()): it is emitted then, and it fills first when the candle closes, whatever the candle's range
// says, so what was emitted is what the run did.
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
  void forget_pending() {
    pending_.clear();
    triggered_.clear();
  }
  // The pending stop and limit alerts that `price` (a ticker's, while their candle is open) crosses and that
  // would fill on the position they meet (an entry only when flat, an exit only of its own side), in order;
  // each is marked triggered, so it is returned once and fills on the next step. Pending market signals fill
  // at the candle's open, before any alert.
  std::vector<Signal> trigger(const Decimal& price);
  // A pending stop or limit alert not triggered yet that could still fill (one whose entry finds the
  // position taken cannot): what a ticker still has to watch.
  bool has_untriggered_alerts() const;
  // The alerts that filled on the candle of the last step and had not been triggered before it: the ones
  // the candle's high and low emitted.
  const std::vector<Signal>& alerts_filled() const { return filled_; }
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
  // True when it filled; `triggered`: fills even where the candle's range disagrees with the ticker.
  bool apply(const Signal& sig, const Candle& c, bool triggered);
  // Whether the signal fills on `position` (an entry when flat, an exit of its side), which it then moves.
  bool admits(const Signal& sig, std::optional<TradeSide>& position) const;
  std::vector<size_t> fill_order() const;
  // The position once the pending market signals and the triggered alerts filled.
  std::optional<TradeSide> position_in_candle() const;
  bool watching(size_t pending_index) const;  // an alert not triggered yet
  void open(TradeSide side, const Decimal& price, const Candle& c);
  void close(const Decimal& price, const Candle& c);
  Holding holding() const;

  Strategy& strategy_;
  const BacktestSettings& s_;
  std::optional<OpenPosition> open_;
  int64_t entry_index_ = 0;
  int64_t index_ = 0;  // candles stepped
  int64_t skipped_ = 0;
  std::vector<Signal> pending_, next_, filled_;
  std::vector<size_t> triggered_;  // indices into pending_, in the order the ticker crossed them
  std::vector<Trade> trades_;
};

}  // namespace tb::robots
