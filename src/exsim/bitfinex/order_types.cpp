#include "exsim/bitfinex/order_types.hpp"

#include <utility>

#include "exsim/bitfinex/protocol.hpp"

namespace tb::exsim::bitfinex {
namespace {

constexpr std::pair<std::string_view, OrderType> kTypes[] = {
    {"EXCHANGE LIMIT", OrderType::Limit},
    {"EXCHANGE MARKET", OrderType::Market},
    {"EXCHANGE STOP", OrderType::StopMarket},
    {"EXCHANGE STOP LIMIT", OrderType::StopLimit},
};

std::optional<Decimal> positive_price(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end()) return std::nullopt;
  auto d = decimal_of(*it);
  if (!d || !d->is_positive()) return std::nullopt;
  Decimal t = truncate_price(*d);
  if (!t.is_positive()) return std::nullopt;
  return t;
}

}  // namespace

std::optional<OrderType> order_type_of(std::string_view text) {
  for (auto& [name, type] : kTypes)
    if (name == text) return type;
  return std::nullopt;
}

std::string_view type_text(OrderType type) {
  for (auto& [name, t] : kTypes)
    if (t == type) return name;
  return "EXCHANGE LIMIT";
}

std::optional<std::string> read_prices(const nlohmann::json& body, OrderSpec& spec) {
  if (spec.type == OrderType::Market) return std::nullopt;
  auto price = positive_price(body, "price");
  if (!price) return "price";
  if (spec.type == OrderType::Limit) {
    spec.price = *price;
    return std::nullopt;
  }
  spec.trigger_price = *price;
  if (spec.type == OrderType::StopLimit) {
    auto limit = positive_price(body, "price_aux_limit");
    if (!limit) return "price_aux_limit";
    spec.price = *limit;
  }
  return std::nullopt;
}

}  // namespace tb::exsim::bitfinex
