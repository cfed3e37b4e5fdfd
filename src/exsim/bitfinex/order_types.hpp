#pragma once
// The order types of auth/w/order/submit the simulator trades (exchanges.md §4.8): EXCHANGE LIMIT and
// MARKET, and the conditional EXCHANGE STOP (its price the trigger) and EXCHANGE STOP LIMIT (price the
// trigger, price_aux_limit the limit). Trailing stops, FOK/IOC and margin types are not simulated.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "exsim/engine/exchange.hpp"

namespace tb::exsim::bitfinex {

std::optional<OrderType> order_type_of(std::string_view type_text);
std::string_view type_text(OrderType type);  // "EXCHANGE STOP LIMIT", ...
// price / price_aux_limit as the type takes them, truncated as the venue does; the name of a field that
// is missing or not valid.
std::optional<std::string> read_prices(const nlohmann::json& body, OrderSpec& spec);

}  // namespace tb::exsim::bitfinex
