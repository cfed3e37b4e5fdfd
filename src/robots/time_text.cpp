#include "robots/time_text.hpp"

#include <chrono>
#include <cstdio>

namespace tb::robots {
namespace {

using namespace std::chrono;

sys_days day_of(int64_t ms) { return floor<days>(sys_time<milliseconds>(milliseconds(ms))); }

// Reads exactly `width` digits at text[pos]; -1 when they are not all digits.
int digits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return -1;
  int v = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

}  // namespace

std::string iso_utc(int64_t ms) {
  sys_days day = day_of(ms);
  year_month_day ymd{day};
  int64_t in_day = ms - duration_cast<milliseconds>(day.time_since_epoch()).count();
  char buf[40];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                        static_cast<unsigned>(ymd.day()), static_cast<int>(in_day / 3'600'000), static_cast<int>(in_day / 60'000 % 60),
                        static_cast<int>(in_day / 1000 % 60));
  std::string out(buf, static_cast<size_t>(n));
  if (in_day % 1000 != 0) {
    std::snprintf(buf, sizeof buf, ".%03d", static_cast<int>(in_day % 1000));
    out += buf;
  }
  return out + "Z";
}

Result<int64_t> parse_utc(std::string_view text, const std::string& field) {
  auto bad = [&] { return Error::invalid(field, "'" + std::string(text) + "' is not a date (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z, UTC)"); };
  if (!text.empty() && text.back() == 'Z') text.remove_suffix(1);
  int y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  if (text.size() < 10 || y < 0 || mo < 0 || d < 0 || text[4] != '-' || text[7] != '-') return bad();
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return bad();
  int h = 0, mi = 0, s = 0;
  if (text.size() > 10) {
    bool minutes = text.size() == 16, seconds = text.size() == 19;
    if ((!minutes && !seconds) || text[10] != 'T' || text[13] != ':' || (seconds && text[16] != ':')) return bad();
    h = digits(text, 11, 2), mi = digits(text, 14, 2), s = seconds ? digits(text, 17, 2) : 0;
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return bad();
  }
  int64_t day_ms = duration_cast<milliseconds>(sys_days{ymd}.time_since_epoch()).count();
  return day_ms + ((h * 60 + mi) * 60 + s) * int64_t{1000};
}

int64_t month_index(int64_t ms) {
  year_month_day ymd{day_of(ms)};
  return static_cast<int64_t>(static_cast<int>(ymd.year())) * 12 + static_cast<unsigned>(ymd.month()) - 1;
}

}  // namespace tb::robots
