#pragma once
// Bitfinex names: trading pairs "tBTCUSD" / "tAAVE:USD" / "tBTCF0:USTF0", and its own currency codes
// (UST is Tether USDt), mapped to the unified codes services use (exchanges.md §4.5).
#include <optional>
#include <string>
#include <string_view>

namespace tb::venues::bitfinex {

// "UST" -> "USDT", "UDC" -> "USDC", ...; other codes unchanged.
std::string unified_currency(std::string_view venue_code);

struct PairParts {
  std::string base;  // venue codes, as in the pair
  std::string quote;
};
// "BTCUSD" (3+3) or "AAVE:USD"; with or without the leading 't'. nullopt if neither form.
std::optional<PairParts> split_pair(std::string_view pair);

// A trading-pair id we are willing to put in a URL path: 't' then upper-case letters, digits, one ':'.
bool is_market_id(std::string_view id);
// Derivatives pairs settle in an F0 currency ("tBTCF0:USTF0"); their orders drop the "EXCHANGE " prefix.
bool is_derivative(std::string_view id);

}  // namespace tb::venues::bitfinex
