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

}  // namespace tb
