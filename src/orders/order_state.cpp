#include "orders/order_state.hpp"

namespace tb::orders {

namespace {
constexpr OrderState kAll[] = {OrderState::Intent, OrderState::Unknown, OrderState::Open,     OrderState::Cancelled,
                               OrderState::Filled, OrderState::Closed,  OrderState::Rejected, OrderState::Absent};
}

std::string_view to_string(OrderState s) {
  switch (s) {
    case OrderState::Intent: return "intent";
    case OrderState::Unknown: return "unknown";
    case OrderState::Open: return "open";
    case OrderState::Cancelled: return "cancelled";
    case OrderState::Filled: return "filled";
    case OrderState::Closed: return "closed";
    case OrderState::Rejected: return "rejected";
    case OrderState::Absent: return "absent";
  }
  return "unknown";
}

std::optional<OrderState> parse_order_state(std::string_view text) {
  for (auto s : kAll)
    if (to_string(s) == text) return s;
  return std::nullopt;
}

bool is_settled(OrderState s) { return s != OrderState::Intent && s != OrderState::Unknown && s != OrderState::Open; }

OrderState state_of(const Order& o) {
  switch (o.status) {
    case OrderStatus::New:
    case OrderStatus::PartiallyFilled:
    case OrderStatus::Canceling: return OrderState::Open;  // it may still fill until the cancel is confirmed
    case OrderStatus::Filled: return OrderState::Filled;
    case OrderStatus::Rejected: return OrderState::Rejected;
    case OrderStatus::Canceled:
    case OrderStatus::Expired: return o.filled.is_positive() ? OrderState::Closed : OrderState::Cancelled;
  }
  return OrderState::Unknown;
}

}  // namespace tb::orders
