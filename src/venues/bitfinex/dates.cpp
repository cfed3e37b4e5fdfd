#include "venues/bitfinex/dates.hpp"

#include <array>
#include <charconv>

namespace tb::venues::bitfinex {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Days since 1970-01-01 of a proleptic Gregorian date; years are shifted to start in March so the
// leap day is the last day of the shifted year.
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t y;
  int m, d;
};
Civil civil_from_days(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

bool read_int(std::string_view s, int64_t& out) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

int days_in_month(int64_t y, int m) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

std::optional<int64_t> parse_http_date(std::string_view t) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed layout, 29 characters.
  if (t.size() != 29 || t[3] != ',' || t[4] != ' ' || t[7] != ' ' || t[11] != ' ' || t[16] != ' ' || t[19] != ':' || t[22] != ':' ||
      t[25] != ' ' || t.substr(26) != "GMT")
    return std::nullopt;
  int64_t day, year, hh, mm, ss;
  if (!read_int(t.substr(5, 2), day) || !read_int(t.substr(12, 4), year) || !read_int(t.substr(17, 2), hh) ||
      !read_int(t.substr(20, 2), mm) || !read_int(t.substr(23, 2), ss))
    return std::nullopt;
  int month = 0;
  for (size_t i = 0; i < kMonths.size(); ++i)
    if (kMonths[i] == t.substr(8, 3)) month = static_cast<int>(i) + 1;
  if (month == 0 || day < 1 || day > days_in_month(year, month) || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  int64_t days = days_from_civil(year, month, static_cast<int>(day));
  return ((days * 24 + hh) * 60 + mm) * 60'000 + ss * 1000;
}

std::string utc_date(int64_t ms) {
  int64_t days = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
  Civil c = civil_from_days(days);
  // By hand: snprintf costs more than the rest of an order's request together.
  std::string out = "0000-00-00";
  int64_t y = c.y;
  for (int i = 3; i >= 0; --i, y /= 10) out[i] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + c.m / 10);
  out[6] = static_cast<char>('0' + c.m % 10);
  out[8] = static_cast<char>('0' + c.d / 10);
  out[9] = static_cast<char>('0' + c.d % 10);
  return out;
}

std::optional<int64_t> day_start_ms(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  int64_t y, m, d;
  if (!read_int(date.substr(0, 4), y) || !read_int(date.substr(5, 2), m) || !read_int(date.substr(8, 2), d)) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, static_cast<int>(m))) return std::nullopt;
  return days_from_civil(y, static_cast<int>(m), static_cast<int>(d)) * 86'400'000;
}

}  // namespace tb::venues::bitfinex
