#pragma once
// What `serve` builds from its checked options: the exchange simulator in-process (--with-exsim), the
// services over the store and the venues, the web API's options and the HTTP listeners. Each piece is
// built in the order of what it depends on and destroyed in reverse.
#include <utility>  // before Asio's awaitable header: Boost 1.74 misses it

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "accounts/account_service.hpp"
#include "accounts/two_factor.hpp"
#include "app/data_dir.hpp"
#include "app/serve_options.hpp"
#include "app/store_limit_book.hpp"
#include "app/store_limit_entries.hpp"
#include "app/telegram_wiring.hpp"
#include "auth/auth.hpp"
#include "cluster/node.hpp"
#include "exsim/server/simulator.hpp"
#include "net/asio_sleeper.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "net/ws_client.hpp"
#include "observability/metrics.hpp"
#include "robots/live.hpp"
#include "trading/desk.hpp"
#include "trading/user_robots.hpp"
#include "users/user_service.hpp"
#include "venues/common/nonce.hpp"
#include "web/api.hpp"

namespace tb::app {

// The exchange simulator on its own thread, so its work never delays the API's.
struct EmbeddedExsim {
  boost::asio::io_context io;
  std::unique_ptr<exsim::Simulator> sim;
  std::thread thread;
  std::string url;  // its base URL once started

  Status start(uint16_t port, const std::string& state_file, int latency_ms);
  void stop();
  ~EmbeddedExsim() { stop(); }
};

// With --with-exsim: starts the simulator (its state in the data directory) and points every venue without
// its own --venue-url at it. Without: does nothing.
Status start_embedded_exsim(const ServeOptions& options, EmbeddedExsim& embedded, std::map<std::string, std::string>& venue_urls);

// A fresh CSRF token maker: its key is random at each start, so a restart invalidates the tokens handed out.
Result<auth::CsrfTokens> make_csrf_tokens();

// The services behind the API and the bot, on one io_context: the API and the account service share their
// state without locks. `exsim_url`: the embedded simulator's, empty without one.
struct Services {
  Services(const ServeOptions& options, const CheckedOptions& checked, DataDir& data, const Clock& clock, const std::string& exsim_url,
           auth::CsrfTokens csrf, std::unique_ptr<store::Coordination> coordination);

  void wire_cluster();
  ServeTelegram::Deps telegram_deps(std::ostream& log);
  web::ApiDeps api_deps();
  std::optional<std::string> egress_ip() const { return account_options.key_test.egress_ip; }

  store::Store& store;
  store::Backend database_backend;
  const Clock& clock;
  boost::asio::io_context io;
  cluster::Node node;  // this process among the others over the database: what it owns, events across
  boost::asio::thread_pool blocking{2};
  observability::MetricsRegistry metrics;
  observability::PlatformMetrics families{metrics};
  net::HttpClient client;
  // --orders-over-websocket: a client of each venue's WebSocket API (venue id -> client), on `io`.
  std::map<std::string, std::unique_ptr<net::WsClient>> ws_apis;
  net::AsioSleeper sleeper;
  venues::NonceSource nonces;
  StoreLimitBook limit_book;
  accounts::Venues venue_set;
  accounts::EventBus events;
  accounts::AccountServiceOptions account_options;
  accounts::AccountService accounts;
  // Sign-in failures, wrong codes and registrations, counted in the database: every process on it counts
  // the same. (What is per connection stays per process: event streams per user, connections per IP.)
  StoreLimitEntries limit_entries;
  auth::LoginLimiter limiter;
  accounts::TwoFactorService two_factor;
  users::UserService users;
  robots::Runner robot_runner;
  robots::RobotBoard robot_board;  // what the API shows of the robots
  robots::LiveRobots robots;       // the robots running live: started with the background work
  trading::UserRobotService user_robots;
  trading::TradingDesk desk;                          // the user robots' orders: started with the background work
  accounts::EventBus::Subscription invalid_accounts;  // an account turning invalid pauses its user robots
};

// The web API's options, and the folder its pages came from (empty: API only).
struct WebSetup {
  web::ApiOptions api_options;
  std::string web_dir;
};

// Loads the web app's files (--web-dir, else this checkout's web/ when there).
Result<WebSetup> web_setup(const ServeOptions& options, const CheckedOptions& checked, std::optional<std::string> egress_ip,
                           std::shared_ptr<web::TelegramPort> telegram);

// The HTTP listeners: the API and web app on --listen, /metrics alone on --metrics-listen when given.
struct Listeners {
  Listeners(boost::asio::io_context& io, const ServeOptions& options, const CheckedOptions& checked, web::Api& api,
            observability::MetricsRegistry& metrics);

  Status start();  // the API's listener first
  void stop();
  std::optional<std::string> metrics_url() const;  // http://ADDRESS:PORT/metrics of its own listener

  net::HttpServer api_server;
  std::unique_ptr<net::HttpServer> metrics_server;  // null without --metrics-listen
  std::optional<Listen> metrics_listen;
};

}  // namespace tb::app
