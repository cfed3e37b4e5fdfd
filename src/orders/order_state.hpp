#pragma once
// Where an order we sent stands, as far as we know. Intent: written down, maybe sent (a crash may have cut
// in between). Unknown: sent, but no answer came. Open: the venue holds it. The rest are final: the venue
// said so (cancelled, filled, closed, rejected), or it answered that it has no such order (absent).
#include <optional>
#include <string_view>

#include "core/core.hpp"

namespace tb::orders {

enum class OrderState { Intent, Unknown, Open, Cancelled, Filled, Closed, Rejected, Absent };

std::string_view to_string(OrderState s);  // "intent", "unknown", "open", ...
std::optional<OrderState> parse_order_state(std::string_view text);
bool is_settled(OrderState s);
// What the venue's own report of an order makes of it.
OrderState state_of(const Order& venue_order);

}  // namespace tb::orders
