#include "core/symbol.hpp"

namespace tb {

std::string unified_symbol(std::string_view base, std::string_view quote, std::string_view settle) {
  std::string s;
  s.reserve(base.size() + quote.size() + settle.size() + 2);
  s.append(base).append("/").append(quote);
  if (!settle.empty()) s.append(":").append(settle);
  return s;
}

std::optional<SymbolParts> parse_unified_symbol(std::string_view symbol) {
  auto slash = symbol.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  SymbolParts p;
  p.base = std::string(symbol.substr(0, slash));
  auto rest = symbol.substr(slash + 1);
  auto colon = rest.find(':');
  p.quote = std::string(rest.substr(0, colon));
  if (colon != std::string_view::npos) {
    p.settle = std::string(rest.substr(colon + 1));
    if (p.settle.empty()) return std::nullopt;
  }
  if (p.quote.empty()) return std::nullopt;
  return p;
}

}  // namespace tb
