// Decimal::parse (src/core/decimal.cpp): every text a venue or a user may send. The input is one or two
// texts separated by a newline. Properties:
// - parse never throws, and what it accepts prints back (to_string) as a text that parses to the same
//   units and scale; to_plain_string parses to an equal value with no trailing zeros;
// - on two accepted values, comparison agrees with subtraction, a + b - b == a, and a product of exact
//   scale divides back; an operation may refuse with std::overflow_error, never with anything else.
#include <compare>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/decimal.hpp"
#include "fuzz_check.hpp"

using tb::Decimal;

namespace {

void round_trip(const Decimal& d) {
  std::string text = d.to_string();
  auto again = Decimal::parse(text);
  FUZZ_CHECK(again.has_value(), "to_string %s does not parse", text.c_str());
  FUZZ_CHECK(again->units() == d.units() && again->scale() == d.scale(), "%s came back as %s", text.c_str(), again->to_string().c_str());
  std::string plain = d.to_plain_string();
  auto p = Decimal::parse(plain);
  FUZZ_CHECK(p.has_value() && *p == d, "plain %s of %s", plain.c_str(), text.c_str());
  FUZZ_CHECK(plain.find('.') == std::string::npos || plain.back() != '0', "plain %s keeps zeros", plain.c_str());
}

void arithmetic(const Decimal& a, const Decimal& b) {
  try {
    Decimal diff = a - b;
    auto order = a <=> b;
    FUZZ_CHECK((order < 0) == diff.is_negative() && (order == 0) == diff.is_zero(), "%s <=> %s vs %s", a.to_string().c_str(),
               b.to_string().c_str(), diff.to_string().c_str());
    FUZZ_CHECK(diff + b == a, "%s - %s + %s", a.to_string().c_str(), b.to_string().c_str(), b.to_string().c_str());
  } catch (const std::overflow_error&) {
  }
  try {
    if (!b.is_zero() && a.scale() + b.scale() <= Decimal::kMaxScale) {
      Decimal product = a * b;
      FUZZ_CHECK(product.divide(b, a.scale(), tb::Rounding::Down) == a, "%s * %s / %s", a.to_string().c_str(), b.to_string().c_str(),
                 b.to_string().c_str());
    }
  } catch (const std::overflow_error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto nl = in.find('\n');
  auto a = Decimal::parse(in.substr(0, nl));
  if (a) round_trip(*a);
  if (nl == std::string_view::npos) return 0;
  auto b = Decimal::parse(in.substr(nl + 1));
  if (b) round_trip(*b);
  if (a && b) arithmetic(*a, *b);
  return 0;
}
