#include "web/api_error.hpp"

#include <array>
#include <iostream>
#include <nlohmann/json.hpp>

#include "auth/tokens.hpp"
#include "crypto/encoding.hpp"

namespace tb::web {
namespace {

ApiError make(int status, std::string code, std::string message, std::string field = {}) {
  ApiError e;
  e.status = status;
  e.code = std::move(code);
  e.message = std::move(message);
  e.field = std::move(field);
  return e;
}

void add_cache_headers(net::HttpResponse& r) {
  r.headers.push_back({"Cache-Control", "no-store"});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
}

// Seconds to wait, rounded up so a client never retries a moment too early; at least 1.
int64_t ceil_seconds(std::chrono::milliseconds ms) {
  int64_t s = (ms.count() + 999) / 1000;
  return s < 1 ? 1 : s;
}

}  // namespace

ApiError invalid_argument(std::string message, std::string field) {
  return make(400, "invalid_argument", std::move(message), std::move(field));
}
ApiError unauthorized(std::string message) { return make(401, "unauthorized", std::move(message)); }
ApiError csrf_required(std::string message) { return make(403, "csrf_required", std::move(message)); }
ApiError forbidden(std::string message) { return make(403, "forbidden", std::move(message)); }
ApiError not_found(std::string message) { return make(404, "not_found", std::move(message)); }

ApiError method_not_allowed(const std::vector<std::string>& allowed) {
  std::string allow;
  for (auto& m : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  }
  auto e = make(405, "method_not_allowed", "method not allowed; use " + (allow.empty() ? std::string("none") : allow));
  e.headers.push_back({"Allow", allow});
  return e;
}

ApiError conflict(std::string message, std::string field) { return make(409, "conflict", std::move(message), std::move(field)); }
ApiError payload_too_large(size_t limit_bytes) {
  return make(413, "payload_too_large", "request body is larger than " + std::to_string(limit_bytes) + " bytes");
}
ApiError unsupported_media_type(std::string message) { return make(415, "unsupported_media_type", std::move(message)); }
ApiError rate_limited(int64_t retry_after_seconds, std::string message) {
  auto e = make(429, "rate_limited", std::move(message));
  e.retry_after_seconds = retry_after_seconds < 1 ? 1 : retry_after_seconds;
  return e;
}
ApiError internal_error(std::string_view cause) {
  std::array<unsigned char, 8> raw{};
  auth::SystemRandom::instance().fill(raw);
  std::string id = crypto::hex(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
  // One write of one line, so lines of concurrent failures do not interleave.
  std::string line = "tradebridge: 500 internal, request id " + id + ": " + std::string(cause) + "\n";
  std::cerr << line << std::flush;
  auto e = make(500, "internal", "internal error; it has been logged with request id " + id);
  e.request_id = std::move(id);
  return e;
}

ApiError from_error(const Error& error) {
  const std::string& msg = error.message;
  switch (error.kind) {
    case ErrorKind::InvalidArgument: return make(400, "invalid_argument", msg, error.field);
    case ErrorKind::NotFound: return make(404, "not_found", msg, error.field);
    case ErrorKind::Conflict: return make(409, "conflict", msg, error.field);
    case ErrorKind::InvalidKey:
    case ErrorKind::InvalidSignature:
    case ErrorKind::IpNotAllowed:
    case ErrorKind::PermissionDenied:
    case ErrorKind::InsufficientFunds:
    case ErrorKind::InvalidOrder:
    case ErrorKind::OrderNotFound: return make(422, std::string(to_string(error.kind)), msg);
    case ErrorKind::Unauthenticated: return make(401, "unauthorized", msg);
    // Not 401: the session (if any) is fine; the action wants a code from the authenticator app.
    case ErrorKind::SecondFactorRequired: return make(403, "totp_required", msg, "totp_code");
    case ErrorKind::RateLimited: {
      bool from_venue = error.http_status != 0 || !error.venue_code.empty() || !error.venue_message.empty();
      auto e = from_venue ? make(503, "exchange_rate_limited", "the exchange asks us to slow down; try again later")
                          : make(429, "rate_limited", msg);
      if (error.retry_after) e.retry_after_seconds = ceil_seconds(*error.retry_after);
      if (!from_venue && !e.retry_after_seconds) e.retry_after_seconds = 1;
      return e;
    }
    case ErrorKind::ExchangeUnavailable: {
      auto e = make(503, "exchange_unavailable", "the exchange is unavailable right now; try again later");
      if (error.retry_after) e.retry_after_seconds = ceil_seconds(*error.retry_after);
      return e;
    }
    case ErrorKind::NetworkError:
      return make(502, "exchange_unreachable",
                  error.outcome_unknown ? "no answer from the exchange; the outcome is not known yet"
                                        : "the exchange could not be reached; try again later");
    case ErrorKind::Internal: return internal_error(msg);
    case ErrorKind::BadResponse: return make(502, "exchange_error", "the exchange answered something we could not read; try again later");
    case ErrorKind::InvalidNonce: return make(502, "exchange_error", "the exchange refused the request's timing; try again");
  }
  return internal_error();
}

nlohmann::json error_json(const ApiError& error) {
  nlohmann::json j = {{"code", error.code}, {"message", error.message}};
  if (!error.field.empty()) j["field"] = error.field;
  if (!error.request_id.empty()) j["request_id"] = error.request_id;
  return j;
}

net::HttpResponse to_response(const ApiError& error) {
  auto r = json_response(error.status, nlohmann::json{{"error", error_json(error)}});
  if (error.retry_after_seconds) r.headers.push_back({"Retry-After", std::to_string(*error.retry_after_seconds)});
  for (auto& h : error.headers) r.headers.push_back(h);
  return r;
}

net::HttpResponse json_response(int status, const nlohmann::json& body) {
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

net::HttpResponse json_response(int status, std::string serialized_json) {
  net::HttpResponse r;
  r.status = status;
  r.headers.push_back({"Content-Type", std::string(kJsonContentType)});
  add_cache_headers(r);
  r.body = std::move(serialized_json);
  return r;
}

net::HttpResponse no_content() {
  net::HttpResponse r;
  r.status = 204;
  add_cache_headers(r);
  return r;
}

}  // namespace tb::web
