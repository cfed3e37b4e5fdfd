#pragma once
// serve's options checked before anything opens: the listen addresses, the password cost and each venue's
// URL, parsed once into typed values; and the refusal to serve plain HTTP beyond loopback.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "app/serve_command.hpp"
#include "auth/password.hpp"
#include "core/error.hpp"

namespace tb::app {

struct Listen {
  std::string address;
  uint16_t port = 0;
};

// ADDRESS:PORT, [IPv6]:PORT or :PORT (then 127.0.0.1).
Result<Listen> parse_listen(const std::string& text);

bool is_loopback(const std::string& address);

// Plain HTTP beyond loopback would carry passwords, session tokens and API secrets in clear: refused unless
// TLS is served here or a TLS-terminating proxy in front is named. One line, for the operator.
std::optional<std::string> plain_http_refusal(const ServeOptions& o, const Listen& listen);

struct CheckedOptions {
  Listen listen;
  std::optional<Listen> metrics_listen;
  auth::PasswordCost cost;
  std::map<std::string, std::string> venue_urls;  // venue id -> base URL; --with-exsim fills in the others
};

// The options after --listen (parsed, and not refused, by the caller): --metrics-listen, --password-cost,
// --venue-url, checked in that order; the first that is wrong is the error.
Result<CheckedOptions> check_options(const ServeOptions& options, Listen listen);

}  // namespace tb::app
