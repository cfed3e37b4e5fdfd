#pragma once
// Bitfinex error answers -> unified ErrorKind, as a table (exchanges.md §4.6). The venue answers HTTP 500
// with ["error", CODE, "text"]; the rate-limit block is {"error":"ERR_RATE_LIMIT"}, a gateway outage
// {"code":503,"error":"temporarily_unavailable"}. Text is matched first (one code, 10001, covers
// insufficient funds, unknown orders and missing permissions), then the code.
#include <optional>
#include <span>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/core.hpp"
#include "net/http.hpp"

namespace tb::venues::bitfinex {

struct TextRule {
  std::string_view text;  // matched as a case-insensitive substring of the venue's text
  ErrorKind kind;
};
struct CodeRule {
  int code;
  ErrorKind kind;
};
struct NamedRule {
  std::string_view error;  // the object form's "error" string
  ErrorKind kind;
};

std::span<const TextRule> text_rules();
std::span<const CodeRule> code_rules();
std::span<const NamedRule> named_rules();

// The kind for a code and text, or nullopt if neither is in the table.
std::optional<ErrorKind> classify(std::optional<int> code, std::string_view text);

// An Error if the response is one (error shape in the body, or a non-2xx status), else nullopt.
// Error shapes are recognised whatever the status; anything unexplained falls back to
// generic_http_error (HTML pages, 5xx, 429).
std::optional<Error> error_from_response(const net::HttpResponse& response);
// The same for a parsed body that is an error shape; nullopt when it is not one.
std::optional<Error> error_from_body(const nlohmann::json& body, int http_status);

}  // namespace tb::venues::bitfinex
