#pragma once
// A user robot's position moved by one fill: entries grow it at their average price, exits shrink it,
// and the exit that brings it to zero closes it with its profit net of every fee.
#include <optional>
#include <vector>

#include "core/core.hpp"
#include "store/user_robot_store.hpp"
#include "trading/plan.hpp"

namespace tb::trading {

struct Fill {
  Leg::Kind kind = Leg::Entry;
  Side side = Side::Buy;
  Decimal amount;  // newly filled, > 0
  Decimal price;
  Decimal fee;  // newly charged, in quote
  int64_t at_ms = 0;
};

// `open` is the position held (empty when flat). An entry into a flat robot opens one on the fill's side.
// An exit with nothing held returns empty (there is nothing it could move).
std::optional<store::RobotPosition> apply_fill(std::optional<store::RobotPosition> open, int64_t user_robot_id, const Fill& fill);

// A user robot's statistics of real fills: its closed positions (not those a stop detached), wins, net
// profit and fees; the win rate in % when any closed.
struct Statistics {
  int64_t closed = 0;
  int64_t wins = 0;
  Decimal net_profit;
  Decimal fees;
  std::optional<Decimal> win_rate(int scale) const;
};
Statistics statistics_of(const std::vector<store::RobotPosition>& positions);

// What of an open position is held: entered minus exited.
std::optional<Holding> holding_of(const std::optional<store::RobotPosition>& open);

}  // namespace tb::trading
