#pragma once
// Strict reading of a JSON request body. A handler parses the body, reads each field it knows through a
// typed accessor, then calls finish(): the first problem found wins and comes back as a 400 ApiError
// naming the field, and any field the handler did not read is refused ("unknown field: nmae"), so a typo
// in a client is an error instead of a silently ignored setting.
//
//   auto body = JsonBody::parse(request);
//   if (!body) return to_response(body.error());
//   auto name = body->optional_string("name", 64);
//   auto key = body->required_string("api_key", 256);
//   if (auto error = body->finish()) return to_response(*error);
//   ... use name, key ...
//
// Accessors never throw. After a problem they return an empty value and keep reading (so every field is
// marked as known), but finish() reports only the first problem. Error messages name fields and limits,
// never a field's value: it may be a secret.
//
// Rules: Content-Type application/json (a charset parameter must be utf-8) else 415; at most max_bytes
// else 413; well-formed JSON (RFC 8259, UTF-8) nested at most max_depth deep, with no key twice in one
// object, and an object at the top, else 400. A null value counts as absent for the optional accessors.
// Strings are valid UTF-8 (the parser guarantees it), hold no control characters (U+0000..U+001F,
// U+007F), and their length limit counts Unicode code points.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/secret.hpp"
#include "net/http.hpp"
#include "web/api_error.hpp"

namespace tb::web {

struct JsonBodyLimits {
  size_t max_bytes = 64 * 1024;
  int max_depth = 16;  // the top object is depth 1
};

class JsonBody {
 public:
  static ApiResult<JsonBody> parse(const net::HttpRequest& request, const JsonBodyLimits& limits = {});
  // The same checks without the request: content_type is the header's value (nullptr when absent).
  static ApiResult<JsonBody> parse(const std::string* content_type, std::string_view body, const JsonBodyLimits& limits = {});

  // Present and a string (possibly empty); missing or null → "name: required".
  std::string required_string(std::string_view name, size_t max_chars);
  std::optional<std::string> optional_string(std::string_view name, size_t max_chars);
  // required_string for a secret: its bytes move out of the parsed body into the Secret (the body's copy is
  // wiped), so it is never an std::string in the handler.
  crypto::Secret required_secret(std::string_view name, size_t max_chars);
  // An integer within [min, max] (1.0 and 1e3 are not integers here: they were written as decimals).
  std::optional<int64_t> optional_int(std::string_view name, int64_t min = std::numeric_limits<int64_t>::min(),
                                      int64_t max = std::numeric_limits<int64_t>::max());
  std::optional<bool> optional_bool(std::string_view name);
  // The raw value of a structured field (an object or an array the caller checks itself), or nullptr
  // when absent or null; marks the field as read.
  const nlohmann::json* optional_value(std::string_view name);

  // The first problem met by an accessor, or else the first field (in key order) no accessor asked for.
  [[nodiscard]] std::optional<ApiError> finish() const;
  bool has_error() const { return error_.has_value(); }

  const nlohmann::json& json() const { return json_; }

  // Zeroes every string value (an API secret among them) and empties it; the destructor does it too, so no
  // parsed copy of a secret outlives the request.
  void wipe() noexcept;
  ~JsonBody() { wipe(); }
  JsonBody(JsonBody&&) noexcept = default;
  JsonBody& operator=(JsonBody&&) noexcept = default;
  JsonBody(const JsonBody&) = default;
  JsonBody& operator=(const JsonBody&) = default;

 private:
  explicit JsonBody(nlohmann::json j) : json_(std::move(j)) {}
  nlohmann::json* take(std::string_view name);  // marks as read; nullptr when absent or null
  // Whether `v` is a string of at most max_chars code points free of control characters; else fail(name).
  bool valid_string(std::string_view name, const nlohmann::json& v, size_t max_chars);
  void fail(std::string_view name, std::string what);

  nlohmann::json json_;
  std::vector<std::string> read_;
  std::optional<ApiError> error_;
};

// Whether a Content-Type value is application/json with no charset or charset=utf-8 (case-insensitive).
bool is_json_content_type(std::string_view content_type);

}  // namespace tb::web
