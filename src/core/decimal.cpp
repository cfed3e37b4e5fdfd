#include "core/decimal.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace tb {
namespace {

using Units = Decimal::Units;

// 10^36 (< 2^127 / 100): 18 integer digits at the maximum scale, with head-room for one more multiply step.
constexpr Units kLimit = static_cast<Units>(1'000'000'000'000'000'000ULL) * 100'000'000'000'000'000ULL * 10;

// 10^0 .. 10^38, looked up: scales are aligned on every comparison and sum.
constexpr std::array<Units, 39> kPow10 = [] {
  std::array<Units, 39> t{};
  t[0] = 1;
  for (size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * 10;
  return t;
}();

constexpr Units pow10(int n) { return kPow10[static_cast<size_t>(n)]; }

// Whether |u| fits 64 bits: the digit loops then divide in 64 bits, not through libgcc's 128-bit division.
constexpr bool fits_u64(Units u) { return u >= -static_cast<Units>(UINT64_MAX) && u <= static_cast<Units>(UINT64_MAX); }

[[noreturn]] void overflow() { throw std::overflow_error("decimal overflow"); }

Units checked_mul(Units a, Units b) {
  Units r;
  if (__builtin_mul_overflow(a, b, &r) || r > kLimit || r < -kLimit) overflow();
  return r;
}

Units checked_add(Units a, Units b) {
  Units r;
  if (__builtin_add_overflow(a, b, &r) || r > kLimit || r < -kLimit) overflow();
  return r;
}

// q = n / d rounded as asked; d > 0.
Units divide_round(Units n, Units d, Rounding r) {
  Units q = n / d;
  Units rem = n % d;
  if (rem == 0) return q;
  bool neg = n < 0;
  Units arem = rem < 0 ? -rem : rem;
  bool away = false;
  switch (r) {
    case Rounding::Down: away = false; break;
    case Rounding::Up: away = true; break;
    case Rounding::Floor: away = neg; break;
    case Rounding::Ceiling: away = !neg; break;
    case Rounding::HalfUp: away = 2 * arem >= d; break;
    case Rounding::HalfEven: {
      Units twice = 2 * arem;
      away = twice > d || (twice == d && (q % 2 != 0));
      break;
    }
  }
  return away ? (neg ? q - 1 : q + 1) : q;
}

// Brings both to the larger scale so their units compare and add directly.
std::pair<Units, Units> aligned(const Decimal& a, const Decimal& b, int& scale) {
  scale = std::max(a.scale(), b.scale());
  auto at = [scale](const Decimal& d) { return d.scale() == scale ? d.units() : checked_mul(d.units(), pow10(scale - d.scale())); };
  return {at(a), at(b)};
}

}  // namespace

Decimal Decimal::from_units(Units units, int scale) {
  if (scale < 0 || scale > kMaxScale) throw std::invalid_argument("decimal scale out of range");
  if (units > kLimit || units < -kLimit) overflow();
  return Decimal(units, scale);
}

std::optional<Decimal> Decimal::parse(std::string_view s) {
  if (s.empty()) return std::nullopt;
  size_t i = 0;
  bool neg = false;
  if (s[i] == '+' || s[i] == '-') {
    neg = s[i] == '-';
    ++i;
  }
  Units units = 0;
  int scale = 0;
  int digits = 0;
  bool dot = false;
  int significant = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      if (dot) return std::nullopt;
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    ++digits;
    if (units != 0 || c != '0') ++significant;
    if (significant > 38) return std::nullopt;
    units = units * 10 + (c - '0');
    if (dot) ++scale;
  }
  if (digits == 0) return std::nullopt;
  int exponent = 0;
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') return std::nullopt;
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      eneg = s[i] == '-';
      ++i;
    }
    if (i == s.size()) return std::nullopt;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9' || exponent > 1000) return std::nullopt;
      exponent = exponent * 10 + (s[i] - '0');
    }
    if (eneg) exponent = -exponent;
  }
  scale -= exponent;
  if (scale < 0) {
    if (-scale > 38) return std::nullopt;
    Units r;
    if (__builtin_mul_overflow(units, pow10(-scale), &r)) return std::nullopt;
    units = r;
    scale = 0;
  }
  // Trailing zeros beyond the maximum scale carry no value ("1.0000000000000000000" is fine).
  while (scale > kMaxScale && units % 10 == 0) {
    units /= 10;
    --scale;
  }
  if (scale > kMaxScale || units > kLimit) return std::nullopt;
  return Decimal(neg ? -units : units, scale);
}

std::optional<Decimal> Decimal::from_double(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  if (res.ec != std::errc{}) return std::nullopt;
  auto d = parse(std::string_view(buf, static_cast<size_t>(res.ptr - buf)));
  if (!d) return std::nullopt;
  return d->normalized();
}

std::string Decimal::to_string() const {
  // Digits written from the end of a buffer: 39 digits, the point, the sign and the zeros before a small
  // value's first digit fit.
  char buf[48];
  char* end = buf + sizeof buf;
  char* p = end;
  int written = 0;
  auto digit = [&](int d) {
    if (scale_ > 0 && written == scale_) *--p = '.';
    *--p = static_cast<char>('0' + d);
    ++written;
  };
  Units a = units_ < 0 ? -units_ : units_;
  if (fits_u64(a)) {
    uint64_t v = static_cast<uint64_t>(a);
    do {
      digit(static_cast<int>(v % 10));
      v /= 10;
    } while (v != 0);
  } else {
    do {
      digit(static_cast<int>(a % 10));
      a /= 10;
    } while (a != 0);
  }
  while (written <= scale_) digit(0);
  if (units_ < 0) *--p = '-';
  return std::string(p, end);
}

double Decimal::to_double() const {
  // Through the text: correctly rounded, unlike units / 10^scale in floating point.
  auto s = to_string();
  double d = 0;
  std::from_chars(s.data(), s.data() + s.size(), d);
  return d;
}

Decimal Decimal::normalized() const {
  Units u = units_;
  int s = scale_;
  if (fits_u64(u)) {
    const bool neg = u < 0;
    uint64_t v = static_cast<uint64_t>(neg ? -u : u);
    while (s > 0 && v % 10 == 0) {
      v /= 10;
      --s;
    }
    return Decimal(neg ? -static_cast<Units>(v) : static_cast<Units>(v), s);
  }
  while (s > 0 && u % 10 == 0) {
    u /= 10;
    --s;
  }
  return Decimal(u, s);
}

Decimal Decimal::rescale(int scale, Rounding r) const {
  if (scale < 0 || scale > kMaxScale) throw std::invalid_argument("decimal scale out of range");
  if (scale >= scale_) return Decimal(checked_mul(units_, pow10(scale - scale_)), scale);
  return Decimal(divide_round(units_, pow10(scale_ - scale), r), scale);
}

Decimal Decimal::round_to_step(const Decimal& step, Rounding r) const {
  if (!step.is_positive()) throw std::invalid_argument("step must be positive");
  int scale = 0;
  auto [v, st] = aligned(*this, step, scale);
  Units n = divide_round(v, st, r);
  Decimal out(checked_mul(n, st), scale);
  // Present the result at the step's own precision ("30000.1" for step "0.1"), never losing digits.
  int want = std::max<int>(step.normalized().scale(), step.scale());
  if (want < scale) {
    Decimal shorter = out.rescale(want, Rounding::Down);
    if (shorter == out) return shorter;
  }
  return out;
}

bool Decimal::is_multiple_of(const Decimal& step) const {
  if (!step.is_positive()) return false;
  int scale = 0;
  auto [v, st] = aligned(*this, step, scale);
  return v % st == 0;
}

Decimal Decimal::divide(const Decimal& d, int scale, Rounding r) const {
  if (d.is_zero()) throw std::domain_error("decimal division by zero");
  if (scale < 0 || scale > kMaxScale) throw std::invalid_argument("decimal scale out of range");
  // (u1 / 10^s1) / (u2 / 10^s2) = (u1 * 10^(scale + s2 - s1)) / u2 / 10^scale
  int shift = scale + d.scale_ - scale_;
  Units n = units_;
  Units den = d.units_;
  if (shift >= 0) {
    n = checked_mul(n, pow10(shift));
  } else {
    den = checked_mul(den, pow10(-shift));
  }
  if (den < 0) {
    n = -n;
    den = -den;
  }
  return Decimal(divide_round(n, den, r), scale);
}

Decimal operator+(const Decimal& a, const Decimal& b) {
  int scale = 0;
  auto [x, y] = aligned(a, b, scale);
  return Decimal(checked_add(x, y), scale);
}

Decimal operator-(const Decimal& a, const Decimal& b) { return a + (-b); }

Decimal operator*(const Decimal& a, const Decimal& b) {
  Decimal x = a.scale_ + b.scale_ > Decimal::kMaxScale ? a.normalized() : a;
  Decimal y = a.scale_ + b.scale_ > Decimal::kMaxScale ? b.normalized() : b;
  int scale = x.scale_ + y.scale_;
  Units u;
  if (__builtin_mul_overflow(x.units_, y.units_, &u)) overflow();
  if (scale > Decimal::kMaxScale) {
    u = divide_round(u, pow10(scale - Decimal::kMaxScale), Rounding::HalfEven);
    scale = Decimal::kMaxScale;
  }
  if (u > kLimit || u < -kLimit) overflow();
  return Decimal(u, scale);
}

bool operator==(const Decimal& a, const Decimal& b) { return (a <=> b) == std::strong_ordering::equal; }

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  int scale = 0;
  auto [x, y] = aligned(a, b, scale);
  if (x < y) return std::strong_ordering::less;
  if (x > y) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

}  // namespace tb
