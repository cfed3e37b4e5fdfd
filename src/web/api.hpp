#pragma once
// The REST API of `tradebridge serve`: the route table, and the one door every request goes through —
// match the route, authenticate (Bearer token or session cookie), demand the CSRF header for cookie
// requests that change state, run the handler, count it in the metrics. Handlers live in routes_*.cpp,
// one file per area; they call the services and never touch SQL, secrets or sockets.
#include <utility>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "accounts/account_service.hpp"
#include "accounts/two_factor.hpp"
#include "auth/tokens.hpp"
#include "observability/metrics.hpp"
#include "robots/board.hpp"
#include "trading/desk.hpp"
#include "trading/user_robots.hpp"
#include "users/user_service.hpp"
#include "web/event_streams.hpp"
#include "web/router.hpp"
#include "web/static_files.hpp"

namespace boost::asio {
class thread_pool;
}  // namespace boost::asio

namespace tb::web {

class TelegramPort;  // web/telegram_port.hpp

struct ApiOptions {
  std::string version = "dev";
  auth::CookieOptions cookie;            // Secure off only when serving plain HTTP on loopback
  std::optional<std::string> egress_ip;  // shown in the exchanges guide
  std::chrono::milliseconds sse_keepalive{15'000};
  size_t max_streams_per_user = EventStreams::kDefaultMaxPerUser;
  // How often an open event stream asks the store whether its session still lives (expired, idle, deleted
  // by another process); zero: never (a sign-out through this server still ends it at once).
  std::chrono::milliseconds session_check_interval{1'000};
  int default_audit_limit = 100;
  std::shared_ptr<const StaticFiles> static_files;  // the web app; null: API only
  std::shared_ptr<TelegramPort> telegram;           // the Telegram bot; null: none runs
};

// What /healthz says of the database, besides whether the store answers.
struct DatabaseHealth {
  std::string backend;     // "sqlite" | "postgresql"
  int schema_version = 0;  // the highest migration applied
  bool ok = false;         // the schema could be read
};

// What /healthz says of this process among several over one PostgreSQL database.
struct ProcessHealth {
  std::string id;                  // host:pid, the name its jobs are claimed under
  std::vector<std::string> roles;  // the work it owns now: "telegram", "candles", "desk/3", ...
  int64_t jobs = 0;                // jobs it is running now (key tests, re-checks, settles)
};

struct ApiDeps {
  users::UserService& users;
  accounts::TwoFactorService& two_factor;
  accounts::AccountService& accounts;
  robots::RobotBoard& robots;
  observability::MetricsRegistry& metrics;
  boost::asio::thread_pool& blocking;                // password hashing runs here
  std::function<Status()> health;                    // the store answers, ...
  trading::UserRobotService* user_robots = nullptr;  // null: no user-robot routes
  trading::VenueFor venues;                          // the market minimum shown when a volume is set
  std::function<DatabaseHealth()> database;          // null: /healthz leaves the database out
  std::function<ProcessHealth()> process;            // null: /healthz leaves the process out
};

// The signed-in user of a request, as the middleware leaves it in RequestContext::user.
struct Session {
  users::Caller caller;
  std::string ip;
  bool via_cookie = false;
};

class Api {
 public:
  Api(ApiDeps deps, ApiOptions options);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;
  Status status() const { return router_.status(); }  // wiring mistakes, checked at start
  net::Task<net::HttpResponse> handle(net::HttpRequest request);
  const Router& router() const { return router_; }
  nlohmann::json openapi() const;

  // The client's address from the server's X-Peer-Addr ("1.2.3.4:5678", "[::1]:5678" → "::1").
  static std::string peer_ip(const net::HttpRequest& request);

 private:
  void add_auth_routes();
  void add_account_routes();
  void add_event_routes();
  void add_session_routes();     // routes_sessions.cpp
  void add_two_factor_routes();  // routes_two_factor.cpp
  void add_system_routes();
  net::HttpResponse healthz() const;  // 200 {status, version, database}, or 503 when the store fails
  void add_telegram_routes();         // routes_telegram.cpp
  void add_robot_routes();            // routes_robots.cpp
  void add_user_robot_routes();       // routes_user_robots.cpp
  void add_signal_robot_routes();     // routes_signal_robots.cpp
  // Authentication and CSRF for a matched route; fills ctx.user.
  std::optional<ApiError> authenticate(RequestContext& ctx);
  net::Task<net::HttpResponse> events(RequestContext& ctx);  // routes_events.cpp
  void observe(const std::string& method, const std::string& route, int status, double seconds);

  ApiDeps deps_;
  ApiOptions options_;
  Router router_;
  observability::CounterFamily& requests_;
  observability::HistogramFamily& durations_;
  // Shared with the streams' close callbacks: a stream torn down after the Api (at shutdown) finds it gone.
  std::shared_ptr<EventStreams> streams_;
};

}  // namespace tb::web
