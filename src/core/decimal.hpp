#pragma once
// Fixed-point decimal for prices, quantities and balances.
//
// Venues send decimals as strings ("0.00100000") or JSON numbers; an order must carry exactly the digits
// the market allows, so money never passes through `double` on its way into an order. A Decimal is an
// integer count of 10^-scale units; it keeps the scale it was parsed with ("1.250" stays "1.250") and
// every operation that could lose digits takes an explicit rounding direction.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tb {

enum class Rounding {
  Down,      // toward zero
  Up,        // away from zero
  Floor,     // toward -infinity
  Ceiling,   // toward +infinity
  HalfEven,  // to nearest, ties to even (banker's)
  HalfUp,    // to nearest, ties away from zero
};

class Decimal {
 public:
  __extension__ typedef __int128 Units;  // GCC/Clang built-in; __extension__ keeps -Wpedantic quiet
  static constexpr int kMaxScale = 18;

  constexpr Decimal() = default;
  static Decimal from_int(int64_t v) { return Decimal(v, 0); }
  // units * 10^-scale; scale in [0, kMaxScale].
  static Decimal from_units(Units units, int scale);

  // Exact parse of "123", "-0.0010", "+5.", ".5", "1e-8", "1.5E+3". Nothing else: no spaces, no
  // thousands separators, no NaN/inf. nullopt when malformed or when more than kMaxScale decimals or
  // about 20 integer digits would be needed.
  static std::optional<Decimal> parse(std::string_view text);
  // For venues that send JSON numbers: the shortest decimal text that round-trips the double,
  // which is the text the venue printed for any value with <= 15 significant digits.
  static std::optional<Decimal> from_double(double v);

  // Keeps the scale: Decimal::parse("1.250")->to_string() == "1.250".
  std::string to_string() const;
  // Without trailing fractional zeros: "1.25", "100".
  std::string to_plain_string() const { return normalized().to_string(); }
  // Exactly `scale` decimals, rounding as asked.
  std::string to_fixed(int scale, Rounding r = Rounding::HalfEven) const { return rescale(scale, r).to_string(); }
  // For display and USD estimates only; never for an order.
  double to_double() const;

  Units units() const { return units_; }
  int scale() const { return scale_; }
  bool is_zero() const { return units_ == 0; }
  bool is_negative() const { return units_ < 0; }
  bool is_positive() const { return units_ > 0; }

  Decimal normalized() const;                    // trailing zeros removed
  Decimal rescale(int scale, Rounding r) const;  // to exactly `scale` decimals
  // The multiple of `step` (> 0) next to this value in direction r; the result has step's scale
  // (or this value's, if larger and exact). round_to_step(0.1, Floor) of 30000.17 is 30000.1.
  Decimal round_to_step(const Decimal& step, Rounding r) const;
  bool is_multiple_of(const Decimal& step) const;
  // this / d with `scale` decimals, rounding as asked. d must not be zero.
  Decimal divide(const Decimal& d, int scale, Rounding r) const;

  Decimal operator-() const { return Decimal(-units_, scale_); }
  Decimal abs() const { return units_ < 0 ? -*this : *this; }
  friend Decimal operator+(const Decimal& a, const Decimal& b);
  friend Decimal operator-(const Decimal& a, const Decimal& b);
  // Exact when the scales add up to <= kMaxScale; beyond that rounded HalfEven.
  friend Decimal operator*(const Decimal& a, const Decimal& b);
  Decimal& operator+=(const Decimal& b) { return *this = *this + b; }
  Decimal& operator-=(const Decimal& b) { return *this = *this - b; }

  // Compares values, not representations: 1.0 == 1.00.
  friend bool operator==(const Decimal& a, const Decimal& b);
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);

 private:
  constexpr Decimal(Units units, int scale) : units_(units), scale_(static_cast<int8_t>(scale)) {}
  Units units_ = 0;
  int8_t scale_ = 0;
};

}  // namespace tb
