#pragma once
// Unified market symbols ("BTC/USD", "BTC/USDT:USDT"), the names services and users see. Each venue maps
// them to and from its own ids and asset codes (XXBTZUSD, tBTCUSD) in its folder.
#include <optional>
#include <string>
#include <string_view>

namespace tb {

struct SymbolParts {
  std::string base;
  std::string quote;
  std::string settle;  // empty for spot
};

// "BTC/USDT:USDT" for a perpetual settled in USDT, "BTC/USD" for spot.
std::string unified_symbol(std::string_view base, std::string_view quote, std::string_view settle = {});
std::optional<SymbolParts> parse_unified_symbol(std::string_view symbol);

}  // namespace tb
