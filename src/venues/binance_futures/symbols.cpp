#include "venues/binance_futures/symbols.hpp"

namespace tb::venues::binance_futures {
namespace {

bool valid_id_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

std::optional<std::string> market_id(std::string_view symbol) {
  std::string id;
  if (symbol.find('/') != std::string_view::npos) {
    auto parts = parse_unified_symbol(symbol);
    if (!parts) return std::nullopt;
    id = parts->base + parts->quote;
    for (auto& c : id)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  } else {
    id = std::string(symbol);
  }
  if (id.empty() || id.size() > 32) return std::nullopt;
  for (char c : id)
    if (!valid_id_char(c)) return std::nullopt;
  return id;
}

std::string unified_perpetual(std::string_view base, std::string_view quote, std::string_view settle) {
  return unified_symbol(base, quote, settle);
}

std::string_view interval(Timeframe tf) { return to_string(tf); }

bool valid_client_order_id(std::string_view id) {
  if (id.empty() || id.size() > 36) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == ':' || c == '/' || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string_view side_text(Side s) { return s == Side::Buy ? "BUY" : "SELL"; }

std::optional<Side> parse_side_text(std::string_view s) {
  if (s == "BUY") return Side::Buy;
  if (s == "SELL") return Side::Sell;
  return std::nullopt;
}

std::optional<OrderStatus> parse_status(std::string_view s) {
  if (s == "NEW") return OrderStatus::New;
  if (s == "PARTIALLY_FILLED") return OrderStatus::PartiallyFilled;
  if (s == "FILLED") return OrderStatus::Filled;
  if (s == "CANCELED") return OrderStatus::Canceled;
  if (s == "REJECTED") return OrderStatus::Rejected;
  if (s == "EXPIRED" || s == "EXPIRED_IN_MATCH") return OrderStatus::Expired;
  return std::nullopt;
}

bool is_market_type(std::string_view t) { return t == "MARKET" || t.ends_with("_MARKET"); }

}  // namespace tb::venues::binance_futures
