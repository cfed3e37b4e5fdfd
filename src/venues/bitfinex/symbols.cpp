#include "venues/bitfinex/symbols.hpp"

#include <algorithm>
#include <utility>

namespace tb::venues::bitfinex {
namespace {

constexpr std::pair<std::string_view, std::string_view> kCurrencies[] = {
    {"UST", "USDT"}, {"UDC", "USDC"}, {"DSH", "DASH"}, {"ALG", "ALGO"}, {"WBT", "WBTC"}, {"EUT", "EURT"},
};

bool is_code_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

}  // namespace

std::string unified_currency(std::string_view venue_code) {
  for (auto& [venue, unified] : kCurrencies)
    if (venue == venue_code) return std::string(unified);
  return std::string(venue_code);
}

std::optional<PairParts> split_pair(std::string_view pair) {
  if (!pair.empty() && pair.front() == 't') pair.remove_prefix(1);
  auto colon = pair.find(':');
  if (colon != std::string_view::npos) {
    if (colon == 0 || colon + 1 >= pair.size()) return std::nullopt;
    return PairParts{std::string(pair.substr(0, colon)), std::string(pair.substr(colon + 1))};
  }
  if (pair.size() != 6) return std::nullopt;
  return PairParts{std::string(pair.substr(0, 3)), std::string(pair.substr(3))};
}

bool is_market_id(std::string_view id) {
  if (id.size() < 7 || id.front() != 't') return false;
  auto rest = id.substr(1);
  if (std::count(rest.begin(), rest.end(), ':') > 1) return false;
  if (!std::all_of(rest.begin(), rest.end(), [](char c) { return is_code_char(c) || c == ':'; })) return false;
  return split_pair(id).has_value();
}

bool is_derivative(std::string_view id) { return id.find("F0:") != std::string_view::npos; }

}  // namespace tb::venues::bitfinex
