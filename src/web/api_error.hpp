#pragma once
// The REST API's error answer and its JSON responses. Every refusal of the API is an ApiError rendered by
// to_response() as
//   {"error":{"code":"invalid_argument","message":"name: at most 64 characters","field":"name"}}
// with a stable machine-readable code, a message in plain words (never a secret, never a field's value)
// and, when one field is at fault, its name. Every JSON answer (errors too) is sent with Cache-Control:
// no-store, since API answers may carry personal data.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/error.hpp"
#include "net/http.hpp"

namespace tb::web {

struct ApiError {
  int status = 500;
  std::string code;                            // invalid_argument, not_found, unauthorized, csrf_required, conflict, rate_limited, ...
  std::string message;                         // plain words for the user
  std::string field;                           // the request field at fault, or empty
  std::optional<int64_t> retry_after_seconds;  // sent as Retry-After (429, 503)
  std::vector<net::Header> headers;            // further headers of the answer (Allow for 405)
  std::string request_id;                      // 500 only: the id of the log line that says what failed
};

// The common refusals.
ApiError invalid_argument(std::string message, std::string field = {});                                          // 400
ApiError unauthorized(std::string message = "sign in first");                                                    // 401
ApiError csrf_required(std::string message = "missing or invalid CSRF token");                                   // 403
ApiError forbidden(std::string message);                                                                         // 403
ApiError not_found(std::string message = "not found");                                                           // 404
ApiError method_not_allowed(const std::vector<std::string>& allowed);                                            // 405 with Allow
ApiError conflict(std::string message, std::string field = {});                                                  // 409
ApiError payload_too_large(size_t limit_bytes);                                                                  // 413
ApiError unsupported_media_type(std::string message);                                                            // 415
ApiError rate_limited(int64_t retry_after_seconds, std::string message = "too many requests; try again later");  // 429
// 500 internal: the answer says only "internal error; request id R" (and "request_id": R); `cause`, which
// may name tables, ids or SQL, goes to the log (stderr) on one line with the same id, for the operator.
ApiError internal_error(std::string_view cause = "unexpected failure");

// A service's tb::Error as the API tells it:
// - InvalidArgument → 400 invalid_argument, Conflict → 409 conflict, NotFound → 404 not_found,
//   Unauthenticated → 401 unauthorized, SecondFactorRequired → 403 totp_required (field totp_code: the
//   session is fine, the action wants a current code), each keeping the message; the error's field ("name") is the
//   answer's field (never read from the message).
// - RateLimited of our own (no HTTP status, venue code or venue message: the login limiter) → 429
//   rate_limited keeping the message, Retry-After from retry_after rounded up (at least 1).
// - The venue refused the user's key or order (InvalidKey, InvalidSignature, IpNotAllowed, PermissionDenied,
//   InsufficientFunds, InvalidOrder, OrderNotFound) → 422 with the kind as code ("invalid_key") and the
//   message (ours, plain words). Not 401/403: those would tell the web app that the user's session failed.
// - The venue could not be used: the venue's RateLimited → 503 exchange_rate_limited, ExchangeUnavailable
//   → 503 exchange_unavailable (both with Retry-After from retry_after, rounded up), NetworkError → 502 exchange_unreachable, BadResponse
//   and InvalidNonce → 502 exchange_error; each with a fixed message, so no host names or venue texts leak.
// - Internal (a failure of the store or of the vault: its message names tables, accounts and users) →
//   internal_error(message): the details are logged, not answered.
ApiError from_error(const Error& error);

// {"error":{...}} with the status, Content-Type, Cache-Control: no-store, Retry-After and the extra headers.
net::HttpResponse to_response(const ApiError& error);
// The error object alone ({"code","message","field"?,"request_id"?}), as to_response() nests it under "error".
nlohmann::json error_json(const ApiError& error);

// A JSON answer: Content-Type: application/json; charset=utf-8, Cache-Control: no-store,
// X-Content-Type-Options: nosniff. Invalid UTF-8 in strings is replaced (U+FFFD), never thrown.
net::HttpResponse json_response(int status, const nlohmann::json& body);
net::HttpResponse json_response(int status, std::string serialized_json);
// 204 No Content with the same cache headers and no body.
net::HttpResponse no_content();

inline constexpr std::string_view kJsonContentType = "application/json; charset=utf-8";

// A value or an ApiError, for the steps of handling a request (reading the body, building the context).
template <typename T>
class ApiResult {
 public:
  ApiResult(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  ApiResult(ApiError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const ApiError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ApiError> v_;
};

}  // namespace tb::web
