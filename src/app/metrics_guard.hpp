#pragma once
// Who may read /metrics. Its numbers (requests by route, key tests and venue calls by outcome) are for the
// operator, not the internet: on loopback it stays open; beyond it, it is served only on --metrics-listen,
// or on the public listener to holders of --metrics-token (Bearer), and otherwise answers 404 there.
#include <optional>
#include <string>

#include "net/http.hpp"

namespace tb::app {

struct MetricsGuard {
  bool hidden = false;  // the listener answers 404 for /metrics
  std::string token;    // when set, /metrics needs "Authorization: Bearer <token>"

  // For the API's listener: `loopback` says whether it listens on loopback only.
  static MetricsGuard for_public(bool loopback, bool own_listener, const std::string& token);
  // For the --metrics-listen listener.
  static MetricsGuard for_own_listener(const std::string& token);

  // The refusal for a request to /metrics this guard does not let through; nullopt for any other request
  // and for one it lets through.
  std::optional<net::HttpResponse> refuse(const net::HttpRequest& request) const;
};

}  // namespace tb::app
