#pragma once
// Unified error kinds. Every venue maps its own codes into these (see venues/<venue>/errors.*), keeping
// the venue's code and message, so services can decide what to do (ask for a new key, wait, reconcile)
// without knowing which venue answered.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tb {

enum class ErrorKind {
  InvalidKey,            // authentication failed: unknown, revoked or malformed API key
  InvalidSignature,      // authentication failed: signature rejected (usually a wrong secret)
  IpNotAllowed,          // the key is restricted to other IP addresses
  PermissionDenied,      // the key lacks the right for this call (trading, futures, ...)
  InsufficientFunds,     // balance or margin too small for the order
  InvalidOrder,          // the venue refused the order's parameters (size, price, filters, post-only)
  OrderNotFound,         // no such order (unknown id, or already final where the venue says so)
  RateLimited,           // too many requests; retry_after says how long the venue asked us to wait
  InvalidNonce,          // nonce not increasing, or timestamp outside the venue's window
  ExchangeUnavailable,   // maintenance, overload, 5xx: try later
  NetworkError,          // connect/TLS/timeout/reset: the venue may or may not have seen the request
  BadResponse,           // the venue answered something we cannot parse
  InvalidArgument,       // our caller's input is wrong (never sent)
  NotFound,              // our caller named a thing that does not exist or is not theirs (services, not venues)
  Conflict,              // the request clashes with the current state: a name taken, robots running
  Unauthenticated,       // our caller is not signed in, or gave a wrong email or password
  SecondFactorRequired,  // two-factor authentication is on: this needs a current code (missing or wrong)
  Internal,              // our own failure (the store, the vault): neither the caller's nor the venue's; logged, not shown
};

std::string_view to_string(ErrorKind kind);
// "authentication failed" covers both key and signature problems.
inline bool is_authentication_failure(ErrorKind k) { return k == ErrorKind::InvalidKey || k == ErrorKind::InvalidSignature; }

struct Error {
  ErrorKind kind = ErrorKind::BadResponse;
  std::string message;                                   // ours, in plain words; never contains a secret
  std::string venue_code;                                // the venue's own code ("-2015", "EAPI:Invalid key", "10100"), if any
  std::string venue_message;                             // the venue's own text, if any
  int http_status = 0;                                   // 0 when no HTTP answer came
  std::optional<std::chrono::milliseconds> retry_after;  // RateLimited: the wait the venue asked for
  // A request that changes state (create/cancel) may have reached the venue although we saw no answer:
  // the outcome must be settled by a query, never by sending again.
  bool outcome_unknown = false;
  // The caller's input this error is about, as the API names it ("name", "email", "secret"), empty when
  // none: the web answers it as the error's `field`, the bot asks for that input again. Set, never parsed
  // from the message.
  std::string field;

  static Error make(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }
  // An error about one input: the message reads "<field>: <what>", the field is kept apart.
  static Error about(ErrorKind kind, std::string field, std::string_view what) {
    Error e{kind, field + ": " + std::string(what)};
    e.field = std::move(field);
    return e;
  }
  static Error invalid(std::string field, std::string_view what) { return about(ErrorKind::InvalidArgument, std::move(field), what); }
  std::string describe() const;  // one line for logs and CLI output
};

// A value or an Error: the StatusOr of this code base. No exceptions cross module boundaries.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error& error() { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() { return Unit{}; }

// A venue's refusal in words a user can read: the venue's own text (and code) where it gave one, else what
// kind of trouble it was. Never a host name or a request: safe to show.
std::string venue_reason(const Error& error);

}  // namespace tb
