// Market rules: the venues' default markets (each venue folder lists its own), and price validity.
#include <string>

#include "exsim/engine/state.hpp"

namespace tb::exsim::detail {

std::vector<SimMarket> default_markets(const std::vector<SimVenue>& venues) {
  std::vector<SimMarket> out;
  for (const auto& v : venues) out.insert(out.end(), v.markets.begin(), v.markets.end());
  return out;
}

int significant_digits(const Decimal& value) {
  Decimal::Units u = value.units() < 0 ? -value.units() : value.units();
  if (u == 0) return 0;
  while (u % 10 == 0) u /= 10;
  int n = 0;
  for (; u > 0; u /= 10) ++n;
  return n;
}

bool price_fits(const SimMarket& m, const Decimal& price) {
  if (!price.is_positive()) return false;
  if (m.price_significant_digits > 0)
    return significant_digits(price) <= m.price_significant_digits && price.normalized().scale() <= kPriceScale;
  return m.tick.is_positive() ? price.is_multiple_of(m.tick) : true;
}

}  // namespace tb::exsim::detail

namespace tb::exsim {

std::string secret_format_text(const SimVenue& v) {
  if (v.secret_text == KeyText::Base64) return "base64 of " + std::to_string(v.secret_length) + " bytes";
  return std::to_string(v.secret_length) + " letters and digits";
}

}  // namespace tb::exsim
