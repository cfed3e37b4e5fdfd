#include "trading/position.hpp"

namespace tb::trading {

namespace {

constexpr int kPriceScale = 12;

Decimal average(const Decimal& amount, const Decimal& price, const Decimal& more, const Decimal& at) {
  Decimal total = amount + more;
  if (!total.is_positive()) return at;
  return (amount * price + more * at).divide(total, kPriceScale, Rounding::HalfEven).normalized();
}

}  // namespace

std::optional<Decimal> Statistics::win_rate(int scale) const {
  if (closed == 0) return std::nullopt;
  return Decimal::from_int(wins * 100).divide(Decimal::from_int(closed), scale, Rounding::HalfEven);
}

Statistics statistics_of(const std::vector<store::RobotPosition>& positions) {
  Statistics s;
  for (const auto& p : positions) {
    if (!p.closed_ms || !p.profit) continue;  // open, or detached by a stop that kept it
    ++s.closed;
    s.wins += p.profit->is_positive() ? 1 : 0;
    s.net_profit += *p.profit;
    s.fees += p.fees;
  }
  s.net_profit = s.net_profit.normalized();
  s.fees = s.fees.normalized();
  return s;
}

std::optional<Holding> holding_of(const std::optional<store::RobotPosition>& open) {
  if (!open || open->closed_ms) return std::nullopt;
  Decimal left = (open->entered - open->exited).normalized();
  if (!left.is_positive()) return std::nullopt;
  return Holding{open->side == "long", left};
}

std::optional<store::RobotPosition> apply_fill(std::optional<store::RobotPosition> open, int64_t user_robot_id, const Fill& f) {
  if (f.kind == Leg::Entry) {
    if (!open) {
      store::RobotPosition p;
      p.user_robot_id = user_robot_id;
      p.side = f.side == Side::Buy ? "long" : "short";
      p.opened_ms = f.at_ms;
      open = p;
    }
    open->entry_price = average(open->entered, open->entry_price, f.amount, f.price);
    open->entered = (open->entered + f.amount).normalized();
    open->fees = (open->fees + f.fee).normalized();
    return open;
  }
  if (!open) return std::nullopt;
  open->exit_price = average(open->exited, open->exit_price, f.amount, f.price);
  open->exited = (open->exited + f.amount).normalized();
  open->fees = (open->fees + f.fee).normalized();
  if (open->exited >= open->entered) {
    const Decimal gross = open->side == "long" ? (open->exit_price - open->entry_price) * open->entered
                                               : (open->entry_price - open->exit_price) * open->entered;
    open->profit = (gross - open->fees).normalized();
    open->closed_ms = f.at_ms;
  }
  return open;
}

}  // namespace tb::trading
