#include "core/error.hpp"

namespace tb {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::InvalidKey: return "invalid_key";
    case ErrorKind::InvalidSignature: return "invalid_signature";
    case ErrorKind::IpNotAllowed: return "ip_not_allowed";
    case ErrorKind::PermissionDenied: return "permission_denied";
    case ErrorKind::InsufficientFunds: return "insufficient_funds";
    case ErrorKind::InvalidOrder: return "invalid_order";
    case ErrorKind::OrderNotFound: return "order_not_found";
    case ErrorKind::RateLimited: return "rate_limited";
    case ErrorKind::InvalidNonce: return "invalid_nonce";
    case ErrorKind::ExchangeUnavailable: return "exchange_unavailable";
    case ErrorKind::NetworkError: return "network_error";
    case ErrorKind::BadResponse: return "bad_response";
    case ErrorKind::InvalidArgument: return "invalid_argument";
    case ErrorKind::NotFound: return "not_found";
    case ErrorKind::Conflict: return "conflict";
    case ErrorKind::Unauthenticated: return "unauthenticated";
    case ErrorKind::SecondFactorRequired: return "second_factor_required";
    case ErrorKind::Internal: return "internal";
  }
  return "unknown";
}

std::string Error::describe() const {
  std::string s(to_string(kind));
  s += ": ";
  s += message;
  if (!venue_code.empty() || !venue_message.empty()) {
    s += " (venue";
    if (!venue_code.empty()) s += " code " + venue_code;
    if (!venue_message.empty()) s += ": " + venue_message;
    s += ")";
  }
  if (http_status != 0) s += " [HTTP " + std::to_string(http_status) + "]";
  if (retry_after) s += " retry after " + std::to_string(retry_after->count()) + " ms";
  if (outcome_unknown) s += " [outcome unknown]";
  return s;
}

namespace {

std::string_view kind_in_words(const Error& e) {
  switch (e.kind) {
    case ErrorKind::InvalidKey: return "the exchange refused the API key";
    case ErrorKind::InvalidSignature: return "the exchange refused the key's signature (a wrong secret?)";
    case ErrorKind::IpNotAllowed: return "the key does not allow this server's IP address";
    case ErrorKind::PermissionDenied: return "the key lacks the permission for this";
    case ErrorKind::RateLimited: return "the exchange asks us to slow down; try again later";
    case ErrorKind::ExchangeUnavailable: return "the exchange is unavailable right now; try again later";
    case ErrorKind::NetworkError: return "the exchange could not be reached; try again later";
    case ErrorKind::InvalidNonce: return "the exchange refused the request's timing; try again";
    case ErrorKind::BadResponse: return "the exchange answered something we could not read";
    default: return "";
  }
}

}  // namespace

std::string venue_reason(const Error& e) {
  constexpr size_t kMax = 200;  // an HTML error page is no reason
  if (!e.venue_message.empty()) {
    std::string text = e.venue_message.size() > kMax ? e.venue_message.substr(0, kMax) + "…" : e.venue_message;
    return "the exchange says: " + text + (e.venue_code.empty() ? std::string() : " (code " + e.venue_code + ")");
  }
  std::string_view words = kind_in_words(e);
  return words.empty() ? e.message : std::string(words);
}

}  // namespace tb
