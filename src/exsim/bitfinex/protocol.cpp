#include "exsim/bitfinex/protocol.hpp"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"

namespace tb::exsim::bitfinex {

net::HttpResponse json_ok(std::string body) {
  net::HttpResponse r;
  r.status = 200;
  r.headers.push_back({"Content-Type", "application/json; charset=utf-8"});
  r.body = std::move(body);
  return r;
}

net::HttpResponse error_response(int code, std::string_view text, int http) {
  std::string b = "[\"error\"," + std::to_string(code) + ",";
  append_json_string(b, text);
  b += ']';
  net::HttpResponse r = json_ok(std::move(b));
  r.status = http;
  return r;
}

std::string venue_currency(std::string_view unified) {
  if (unified == "USDT") return "UST";
  return std::string(unified);
}

std::string unified_currency(std::string_view venue) {
  if (venue == "UST") return "USDT";
  return std::string(venue);
}

std::string pair_of(std::string_view market_id) {
  if (!market_id.empty() && market_id.front() == 't') market_id.remove_prefix(1);
  return std::string(market_id);
}

Decimal truncate_price(const Decimal& price) {
  // Keep the first 5 significant digits of the plain text; later integer digits become 0, later decimals go.
  std::string s = price.abs().to_plain_string();
  int significant = 0;
  bool in_fraction = false;
  std::string out;
  for (char c : s) {
    if (c == '.') {
      in_fraction = true;
      out += c;
      continue;
    }
    bool counts = significant > 0 || c != '0';
    if (counts) ++significant;
    if (significant > 5) {
      if (in_fraction) break;
      out += '0';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == '.') out.pop_back();
  auto d = Decimal::parse(out).value_or(Decimal());
  if (d.scale() > 8) d = d.rescale(8, Rounding::Down);
  return price.is_negative() ? -d : d;
}

Decimal truncate_amount(const Decimal& amount) { return amount.scale() > 8 ? amount.rescale(8, Rounding::Down) : amount; }

std::string number(const Decimal& d) {
  std::string s = d.to_plain_string();
  if (s == "-0") return "0";
  return s;
}

std::optional<Decimal> decimal_of(const nlohmann::json& v) {
  if (v.is_string()) return Decimal::parse(v.get_ref<const std::string&>());
  if (v.is_number_integer()) return Decimal::from_int(v.get<int64_t>());
  if (v.is_number_float()) return Decimal::from_double(v.get<double>());
  return std::nullopt;
}

std::optional<int64_t> integer_of(const nlohmann::json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!(d > -9.2e18 && d < 9.2e18)) return std::nullopt;  // also NaN: a cast out of range is undefined
    auto i = static_cast<int64_t>(d);
    if (static_cast<double>(i) == d) return i;
    return std::nullopt;
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    int64_t out = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    if (s.empty() || r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

std::string signature_payload(std::string_view path, std::string_view nonce, std::string_view body) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string s;
  s.reserve(5 + path.size() + nonce.size() + body.size());
  s.append("/api/").append(path).append(nonce).append(body);
  return s;
}

bool signature_matches(std::string_view secret, std::string_view payload, std::string_view sent_hex) {
  std::string expected = crypto::hex(crypto::hmac_sha384(secret, payload));
  std::string sent(sent_hex);
  for (auto& c : sent) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return crypto::constant_time_equal(expected, sent);
}

std::optional<uint64_t> parse_nonce(std::string_view text) {
  uint64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size() || v == 0 || v > kMaxNonce) return std::nullopt;
  return v;
}

std::optional<int64_t> timeframe_ms(std::string_view tf) {
  constexpr int64_t m = 60'000, h = 60 * m, d = 24 * h;
  struct Row {
    std::string_view name;
    int64_t ms;
  };
  static constexpr Row kRows[] = {{"1m", m},     {"5m", 5 * m}, {"15m", 15 * m}, {"30m", 30 * m}, {"1h", h},
                                  {"3h", 3 * h}, {"4h", 4 * h}, {"6h", 6 * h},   {"12h", 12 * h}, {"1D", d},
                                  {"1W", 7 * d}, {"7D", 7 * d}, {"14D", 14 * d}, {"1M", 30 * d}};
  for (const auto& r : kRows)
    if (r.name == tf) return r.ms;
  return std::nullopt;
}

namespace {
std::tm utc_tm(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}
}  // namespace

std::string http_date(int64_t ms) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm = utc_tm(ms);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string utc_date(int64_t ms) {
  std::tm tm = utc_tm(ms);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

}  // namespace tb::exsim::bitfinex
