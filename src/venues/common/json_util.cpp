#include "venues/common/json_util.hpp"

#include <charconv>
#include <limits>

namespace tb::venues {

Result<json> parse_json_body(std::string_view body, int http_status) {
  auto j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return bad_response("response is not JSON: " + snippet(body), http_status);
  return j;
}

namespace {

// Decimal parses magnitudes up to 10^36, but adding one of those to a value with decimals overflows (and
// throws). No venue sends a price, quantity or balance of 10^17 or more: such a value is refused like a
// malformed one, so that sums and differences of what a reader accepts stay in range.
std::optional<Decimal> plausible(std::optional<Decimal> d) {
  static const Decimal kBound = Decimal::from_int(100'000'000'000'000'000);
  if (d && d->abs() >= kBound) return std::nullopt;
  return d;
}

}  // namespace

std::optional<Decimal> decimal_of(const json& v) {
  if (v.is_string()) return plausible(Decimal::parse(v.get_ref<const std::string&>()));
  // Above int64 (nlohmann keeps it unsigned): as int64 it would wrap to a negative amount, so it is malformed.
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  if (v.is_number_integer()) return plausible(Decimal::from_int(v.get<int64_t>()));
  if (v.is_number_float()) return plausible(Decimal::from_double(v.get<double>()));
  return std::nullopt;
}

std::optional<Decimal> decimal_at(const json& obj, std::string_view key) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  return decimal_of(*it);
}

std::optional<int64_t> integer_of(const json& v) {
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(v.get<uint64_t>());
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  if (!v.is_string()) return std::nullopt;
  const auto& s = v.get_ref<const std::string&>();
  int64_t out = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  if (s.empty() || r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return out;
}

std::optional<int64_t> integer_at(const json& obj, std::string_view key) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  return integer_of(*it);
}

std::optional<bool> boolean_of(const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string() && v.get_ref<const std::string&>() == "true") return true;
  if (v.is_string() && v.get_ref<const std::string&>() == "false") return false;
  return std::nullopt;
}

Error bad_response(std::string message, int http_status) {
  // A message names what a venue sent (a pair, a field), and that can be of any length: logs get 1 KiB at most.
  if (message.size() > 1024) message = snippet(message, 1000);
  Error e = Error::make(ErrorKind::BadResponse, std::move(message));
  e.http_status = http_status;
  return e;
}

std::string snippet(std::string_view body, size_t max) {
  if (body.size() > max)  // never halfway through a UTF-8 character: a JSON error answer could not carry it
    while (max > 0 && (static_cast<unsigned char>(body[max]) & 0xC0) == 0x80) --max;
  std::string s(body.substr(0, max));
  for (auto& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (body.size() > max) s += "...";
  return s;
}

}  // namespace tb::venues
