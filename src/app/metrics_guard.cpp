#include "app/metrics_guard.hpp"

#include "crypto/hash.hpp"
#include "net/router.hpp"
#include "web/api_error.hpp"

namespace tb::app {

MetricsGuard MetricsGuard::for_public(bool loopback, bool own_listener, const std::string& token) {
  MetricsGuard g;
  g.token = token;
  g.hidden = own_listener || (!loopback && token.empty());
  return g;
}

MetricsGuard MetricsGuard::for_own_listener(const std::string& token) {
  MetricsGuard g;
  g.token = token;
  return g;
}

std::optional<net::HttpResponse> MetricsGuard::refuse(const net::HttpRequest& request) const {
  if (net::path_of(request.url) != "/metrics") return std::nullopt;
  if (hidden) return web::to_response(web::not_found());
  if (token.empty()) return std::nullopt;
  const std::string* h = request.header("Authorization");
  std::string_view given = h ? std::string_view(*h) : std::string_view();
  if (given.size() > 7 && net::iequals(given.substr(0, 7), "Bearer ") && crypto::constant_time_equal(given.substr(7), token))
    return std::nullopt;
  auto e = web::unauthorized("metrics: send \"Authorization: Bearer <metrics token>\"");
  e.headers.push_back({"WWW-Authenticate", "Bearer realm=\"metrics\""});
  return web::to_response(e);
}

}  // namespace tb::app
