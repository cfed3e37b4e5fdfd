#include "robots/candles.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace tb::robots {
namespace {

// Beyond any market's price or volume, and so far below Decimal's range that sums over years of candles fit.
const Decimal kTooLarge = Decimal::from_int(1'000'000'000'000'000);

Error line_error(size_t line_no, std::string_view what) {
  return Error::invalid("candles", "line " + std::to_string(line_no) + ": " + std::string(what));
}

// Up to 7 comma-separated fields (a seventh means too many); a trailing '\r' (a file written on Windows) is
// not part of the last field. No allocation: a year of minutes is half a million lines.
struct Fields {
  std::array<std::string_view, 7> f;
  size_t count = 0;
};

Fields split_fields(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  Fields out;
  size_t start = 0;
  while (out.count < out.f.size()) {
    size_t comma = line.find(',', start);
    out.f[out.count++] = line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// The CSV's usual form, "60012.5", read straight into units; anything else (a sign, an exponent, more than
// 18 digits) goes through Decimal::parse, which decides. The same value and scale either way.
std::optional<Decimal> read_decimal(std::string_view text) {
  int64_t units = 0;
  int digits = 0, scale = -1;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      units = units * 10 + (c - '0');
      ++digits;
      if (scale >= 0) ++scale;
    } else if (c == '.' && scale < 0) {
      scale = 0;
    } else {
      return Decimal::parse(text);
    }
    if (digits > 18) return Decimal::parse(text);
  }
  if (digits == 0) return Decimal::parse(text);
  return Decimal::from_units(units, std::max(scale, 0));
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

Result<int64_t> parse_time(std::string_view text, size_t line_no) {
  int64_t ms = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec != std::errc() || end != text.data() + text.size() || ms < 0 || ms > int64_t{4'000'000'000'000'000})
    return line_error(line_no, "open_time_ms '" + std::string(text) + "' is not a time in milliseconds");
  return ms;
}

// One data line: six fields, decimals, a consistent bar.
Result<Candle> parse_line(std::string_view line, size_t line_no) {
  auto [f, count] = split_fields(line);
  if (count != 6)
    return line_error(line_no, "want 6 fields (open_time_ms,open,high,low,close,volume), got " +
                                   (count > 6 ? std::string("more") : std::to_string(count)));
  auto time = parse_time(f[0], line_no);
  if (!time) return time.error();
  static constexpr std::array<const char*, 5> kNames = {"open", "high", "low", "close", "volume"};
  std::array<Decimal, 5> v;
  for (size_t i = 0; i < 5; ++i) {
    auto d = read_decimal(f[i + 1]);
    if (!d) return line_error(line_no, std::string(kNames[i]) + " '" + std::string(f[i + 1]) + "' is not a decimal");
    if (d->is_negative()) return line_error(line_no, std::string(kNames[i]) + " is negative");
    if (*d >= kTooLarge) return line_error(line_no, std::string(kNames[i]) + " is too large (10^15 or more)");
    v[i] = *d;
  }
  Candle c{*time, v[0], v[1], v[2], v[3], v[4]};
  if (c.high < std::max(c.open, c.close)) return line_error(line_no, "high is below open or close");
  if (c.low > std::min(c.open, c.close)) return line_error(line_no, "low is above open or close");
  if (!c.low.is_positive()) return line_error(line_no, "prices must be positive");
  return c;
}

}  // namespace

const std::vector<Timeframe>& robot_timeframes() {
  static const std::vector<Timeframe> kAll = {Timeframe::M1, Timeframe::M5, Timeframe::M15, Timeframe::M30,
                                              Timeframe::H1, Timeframe::H4, Timeframe::D1};
  return kAll;
}

Result<Timeframe> parse_robot_timeframe(std::string_view text) {
  auto tf = parse_timeframe(text);
  if (tf && std::find(robot_timeframes().begin(), robot_timeframes().end(), *tf) != robot_timeframes().end()) return *tf;
  return Error::invalid("timeframe", "'" + std::string(text) + "' is not one of 1m 5m 15m 30m 1h 4h 1d");
}

Result<std::vector<Candle>> parse_candles_csv(std::string_view text) {
  std::vector<Candle> out;
  out.reserve(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1);  // one allocation, not twenty copies
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    std::string_view line = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    ++line_no;
    if (is_blank(line)) continue;
    bool header = out.empty() && line_no == 1 && !Decimal::parse(split_fields(line).f[0]);
    if (header) continue;
    auto c = parse_line(line, line_no);
    if (!c) return c.error();
    if (!out.empty() && c->open_time_ms <= out.back().open_time_ms)
      return line_error(line_no, c->open_time_ms == out.back().open_time_ms ? "duplicate open_time_ms " + std::to_string(c->open_time_ms)
                                                                            : "open_time_ms is before the line above (unsorted)");
    out.push_back(*c);
  }
  if (out.empty()) return Error::invalid("candles", "no candles in the file");
  return out;
}

std::string write_candles_csv(const std::vector<Candle>& candles) {
  std::string out = "open_time_ms,open,high,low,close,volume\n";
  for (const auto& c : candles) {
    out += std::to_string(c.open_time_ms);
    for (const Decimal* d : {&c.open, &c.high, &c.low, &c.close, &c.volume}) out += "," + d->to_string();
    out += '\n';
  }
  return out;
}

std::optional<int64_t> candle_spacing_ms(const std::vector<Candle>& candles) {
  std::optional<int64_t> best;
  for (size_t i = 1; i < candles.size(); ++i) {
    int64_t gap = candles[i].open_time_ms - candles[i - 1].open_time_ms;
    if (!best || gap < *best) best = gap;
  }
  return best;
}

Result<std::vector<Candle>> build_timeframe(const std::vector<Candle>& candles, int64_t source_ms, Timeframe target) {
  int64_t width = timeframe_ms(target);
  if (source_ms <= 0 || width % source_ms != 0)
    return Error::invalid("candles",
                          "candles " + std::to_string(source_ms / 1000) + " s apart cannot build " + std::string(to_string(target)));
  std::vector<Candle> out;
  for (const auto& c : candles) {
    int64_t bucket = c.open_time_ms - c.open_time_ms % width;
    if (out.empty() || out.back().open_time_ms != bucket) {
      out.push_back(c);
      out.back().open_time_ms = bucket;
      continue;
    }
    Candle& b = out.back();
    b.high = std::max(b.high, c.high);
    b.low = std::min(b.low, c.low);
    b.close = c.close;
    b.volume += c.volume;
  }
  return out;
}

Result<std::vector<Candle>> candles_for_timeframe(std::vector<Candle> candles, Timeframe tf) {
  auto spacing = candle_spacing_ms(candles);
  int64_t width = timeframe_ms(tf);
  if (!spacing || *spacing == width) return candles;
  if (*spacing > width)
    return Error::invalid("candles", "the candles are " + std::to_string(*spacing / 60'000) + " min apart, coarser than --timeframe " +
                                         std::string(to_string(tf)));
  return build_timeframe(candles, *spacing, tf);
}

}  // namespace tb::robots
