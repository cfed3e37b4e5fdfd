#include "app/serve_wiring.hpp"

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include <iostream>
#include "app/metrics_guard.hpp"
#include "app/robots_command.hpp"
#include "exsim/venues.hpp"
#include "venues/observed_venue.hpp"
#include "venues/registry.hpp"
#include "venues/shared_reads.hpp"
#include "web/robot_notices.hpp"

namespace tb::app {

namespace {

std::string host_name() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return host;
}

std::string worker_id() { return host_name() + ":" + std::to_string(::getpid()); }

// This process's row among the processes over the database; its id is the worker name its jobs are claimed under.
store::ProcessRow process_row(const Clock& clock) {
  return {worker_id(), host_name(), static_cast<int64_t>(::getpid()), clock.now_ms(), clock.now_ms(), ""};
}

// A worker id of this host whose process no longer runs: a server that crashed here before.
bool worker_is_gone(std::string_view worker) {
  std::string prefix = host_name() + ":";
  if (worker.substr(0, prefix.size()) != prefix) return false;
  std::string pid_text(worker.substr(prefix.size()));
  char* end = nullptr;
  long pid = std::strtol(pid_text.c_str(), &end, 10);
  if (pid_text.empty() || *end != '\0' || pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

net::HttpClientOptions client_options() {
  net::HttpClientOptions o;
  o.max_idle_per_origin = 512;  // many key tests in flight reuse their connections
  o.max_per_origin = 256;       // a fan-out to thousands of accounts waits its turn on these, not on new ones
  return o;
}

// A client of each venue's WebSocket API, where it has one (on the simulator's host when it stands in for
// the venue): its orders go there.
std::map<std::string, std::unique_ptr<net::WsClient>> make_ws_apis(bool wanted, const std::map<std::string, std::string>& venue_urls,
                                                                   boost::asio::io_context& io) {
  std::map<std::string, std::unique_ptr<net::WsClient>> out;
  if (!wanted) return out;
  for (const auto& v : venues::supported_venues()) {
    std::optional<std::string> base;
    if (auto it = venue_urls.find(std::string(v.id)); it != venue_urls.end()) base = it->second;
    std::string url = venues::ws_api_url(v, base);
    if (url.empty() || !v.ws_answer_id) continue;
    out[std::string(v.id)] = std::make_unique<net::WsClient>(io, client_options(), url, v.ws_answer_id);
  }
  return out;
}

accounts::Venues make_venues(const std::map<std::string, std::string>& venue_urls, venues::VenueContext ctx,
                             const std::map<std::string, std::unique_ptr<net::WsClient>>& ws_apis,
                             observability::CounterFamily& venue_calls, const Clock& clock) {
  accounts::Venues venue_set;
  for (const auto& v : venues::supported_venues()) {
    venues::VenueConfig config;
    if (auto it = venue_urls.find(std::string(v.id)); it != venue_urls.end()) config.base_url = it->second;
    config.max_throttle_wait = std::chrono::seconds(10);  // a longer budget wait defers the key test, with its reason
    auto ws = ws_apis.find(std::string(v.id));
    ctx.ws_api = ws == ws_apis.end() ? nullptr : ws->second.get();
    auto venue = venues::make_venue(v.id, ctx, config);
    auto observed =
        venues::observe_calls(std::move(venue), [&venue_calls](std::string_view venue, venues::Action a, std::string_view outcome) {
          venue_calls.with({venue, venues::to_string(a), outcome}).inc();
        });
    // Many key tests at once ask for the same markets and price: one venue call answers them all.
    venue_set[std::string(v.id)] = venues::share_public_reads(std::move(observed), clock);
  }
  return venue_set;
}

// The robots read candles from the same venues (and their shared public reads) as the key tests.
robots::VenueLookup venue_lookup(const accounts::Venues& venue_set) {
  return [&venue_set](std::string_view id) -> venues::Venue* {
    auto it = venue_set.find(id);
    return it == venue_set.end() ? nullptr : it->second.get();
  };
}

// The simulator's page, with the venue chosen, for each venue that points at the simulator: where the key
// guides send users to make a key.
std::map<std::string, std::string, std::less<>> simulator_key_pages(const std::map<std::string, std::string>& venue_urls,
                                                                    const std::string& exsim_url) {
  std::map<std::string, std::string, std::less<>> pages;
  for (const auto& [venue, url] : venue_urls)
    if (url == exsim_url) pages[venue] = exsim_url + "/?venue=" + venue;
  return pages;
}

trading::DeskOptions desk_options(const ServeOptions& options, const cluster::Node& node) {
  trading::DeskOptions o;
  o.owns = [&node](int64_t account_id) { return node.owns_account(account_id); };
  o.interval = std::chrono::milliseconds(options.trade_interval_ms);
  o.reconcile_interval = std::chrono::seconds(options.reconcile_interval_s);
  o.reconcile_accounts = static_cast<size_t>(options.reconcile_accounts);
  o.order_timeout = std::chrono::seconds(options.order_timeout_s);
  o.commit_thread = true;
  return o;
}

accounts::AccountServiceOptions account_options_for(const ServeOptions& options, const std::map<std::string, std::string>& venue_urls,
                                                    const std::string& exsim_url, observability::CounterFamily& key_tests,
                                                    std::function<int(int64_t)> running_robots) {
  accounts::AccountServiceOptions o;
  o.running_robots = std::move(running_robots);
  o.recheck_interval = std::chrono::seconds(options.recheck_interval_s);
  o.retry_window = std::chrono::seconds(options.key_test_retry_window_s);
  o.retry_max = std::chrono::seconds(options.key_test_retry_max_wait_s);
  o.max_accounts_per_user = static_cast<size_t>(options.max_accounts_per_user);
  o.key_tests_per_hour = options.key_tests_per_hour;
  o.worker_id = worker_id();
  o.worker_is_gone = worker_is_gone;
  if (!options.egress_ip.empty()) o.key_test.egress_ip = options.egress_ip;
  else if (options.with_exsim) o.key_test.egress_ip = "127.0.0.1";  // the simulator sees loopback
  if (!exsim_url.empty()) o.key_pages = simulator_key_pages(venue_urls, exsim_url);
  o.on_key_test = [&key_tests](std::string_view venue, std::string_view outcome) { key_tests.with({venue, outcome}).inc(); };
  return o;
}

users::UserOptions user_options_for(const ServeOptions& options, const auth::PasswordCost& cost, auth::LimitEntries& limit_entries) {
  users::UserOptions o;
  o.cost = cost;
  o.limit_entries = &limit_entries;
  o.register_limit = options.register_limit;
  o.session_idle = std::chrono::seconds(options.session_idle_s);
  return o;
}

net::HttpServerOptions api_server_options(const ServeOptions& options, const Listen& listen) {
  net::HttpServerOptions o;
  o.address = listen.address;
  o.port = listen.port;
  o.max_request_bytes = 256 * 1024;
  o.max_connections = 10'000;
  o.max_connections_per_ip = options.max_connections_per_ip;
  o.trusted_proxies = options.behind_proxy;
  o.tls_cert_file = options.tls_cert;
  o.tls_key_file = options.tls_key;
  return o;
}

// The API's handler, behind the guard of /metrics on the public listener.
net::AsyncHandler api_handler(web::Api& api, MetricsGuard guard) {
  return [&api, guard](net::HttpRequest r) -> net::Task<net::HttpResponse> {
    if (auto refused = guard.refuse(r)) co_return std::move(*refused);
    co_return co_await api.handle(std::move(r));
  };
}

// The --metrics-listen listener's handler: /metrics and nothing else.
net::AsyncHandler metrics_handler(observability::MetricsRegistry& metrics, MetricsGuard own) {
  return [&metrics, own](net::HttpRequest r) -> net::Task<net::HttpResponse> {
    if (auto refused = own.refuse(r)) co_return std::move(*refused);
    if (net::path_of(r.url) != "/metrics") co_return web::to_response(web::not_found());
    net::HttpResponse m;
    m.status = 200;
    m.headers.push_back({"Content-Type", std::string(observability::kMetricsContentType)});
    m.headers.push_back({"Cache-Control", "no-store"});
    m.body = metrics.render();
    co_return m;
  };
}

}  // namespace

Status EmbeddedExsim::start(uint16_t port, const std::string& state_file, int latency_ms) {
  exsim::SimulatorOptions o;
  o.port = port;
  o.state_file = state_file;
  o.latency = std::chrono::milliseconds(latency_ms);
  sim = std::make_unique<exsim::Simulator>(io, o, SystemClock::instance(), exsim::default_venue_sims);
  if (auto st = sim->start(); !st) return st;
  url = sim->base_url();
  thread = std::thread([this] { io.run(); });
  return ok_status();
}

void EmbeddedExsim::stop() {
  if (!sim) return;
  boost::asio::post(io, [this] {
    sim->stop();
    io.stop();
  });
  if (thread.joinable()) thread.join();
}

Status start_embedded_exsim(const ServeOptions& options, EmbeddedExsim& embedded, std::map<std::string, std::string>& venue_urls) {
  if (!options.with_exsim) return ok_status();
  auto state = (std::filesystem::path(options.data_dir) / "exsim-state.json").string();
  if (auto st = embedded.start(*options.with_exsim, state, options.exsim_latency_ms); !st) return st;
  for (const auto& v : venues::supported_venues())
    if (!venue_urls.count(std::string(v.id))) venue_urls[std::string(v.id)] = embedded.url;
  return ok_status();
}

Result<auth::CsrfTokens> make_csrf_tokens() {
  std::string raw(32, '\0');
  auth::SystemRandom::instance().fill({reinterpret_cast<unsigned char*>(raw.data()), raw.size()});
  crypto::Secret csrf_key(std::move(raw));
  return auth::CsrfTokens::make(csrf_key);
}

Services::Services(const ServeOptions& options, const CheckedOptions& checked, DataDir& data, const Clock& clock,
                   const std::string& exsim_url, auth::CsrfTokens csrf, std::unique_ptr<store::Coordination> coordination)
    : store(*data.store),
      database_backend(data.database.backend),
      clock(clock),
      node(*data.store, std::move(coordination), clock, process_row(clock), cluster::NodeOptions{}, std::cerr),
      client(io, client_options()),
      ws_apis(make_ws_apis(options.orders_over_websocket, checked.venue_urls, io)),
      nonces(clock),
      limit_book(*data.store, options.egress_ip),
      venue_set(make_venues(checked.venue_urls, {&client, &sleeper, &clock, &nonces, &limit_book}, ws_apis, families.venue_calls, clock)),
      // Keys are not replaced nor the account deleted under a running user robot (asked once serve runs).
      account_options(account_options_for(options, checked.venue_urls, exsim_url, families.key_tests,
                                          [this](int64_t id) { return user_robots.running_on(id); })),
      accounts(*data.store, data.vault, venue_set, clock, sleeper, events, io.get_executor(), account_options),
      limit_entries(*data.store),
      limiter(clock, limit_entries, "sign-in"),
      two_factor(*data.store, data.vault, clock, limit_entries),
      users(*data.store, clock, limiter, two_factor, std::move(csrf), user_options_for(options, checked.cost, limit_entries)),
      robot_runner(*data.store, known_markets()),
      robot_board(*data.store, known_markets()),
      robots(*data.store, robot_runner, venue_lookup(venue_set), clock,
             robots::LiveOptions{std::chrono::seconds(options.robot_price_interval_s)}, std::cerr),
      user_robots(*data.store, clock, trading::UserRobotOptions{options.signal_max_lag_s * 1000}),
      desk(
          *data.store, venue_lookup(venue_set), [this](const store::Account& a) { return accounts.trading_signer(a); }, clock,
          desk_options(options, node), std::cerr) {
  wire_cluster();
  desk.heard = [this](int64_t user_id) { return events.wants_notice(user_id); };
  desk.on_event = [this](const trading::DeskEvent& e) { events.publish({e.user_robot.user_id, web::notice_of(e)}); };
  desk.open_signers = [this](const std::vector<store::Account>& pass) { accounts.open_trading_signers(pass); };
  // A start on futures reads the leverage in effect (and sets it when asked) with the account's keys.
  user_robots.trade_with(venue_lookup(venue_set), [this](const store::Account& a) { return accounts.trading_signer(a); });
  user_robots.on_change = [this](const store::UserRobot& ur) { events.publish({ur.user_id, web::user_robot_updated(ur)}); };
  user_robots.on_signal = [this](const store::Robot& r, int64_t seq, std::string_view action) {
    if (r.owner_id) events.publish({*r.owner_id, web::robot_signal(r.id, seq, action)});
    desk.wake();  // one signal fans out at once, not at the next pass
    node.wake_others();
  };
  invalid_accounts = events.subscribe(
      accounts::EventBus::kAllUsers,
      [this](const accounts::AccountEvent& e) {
        auto* changed = std::get_if<accounts::AccountChanged>(&e.what);
        if (changed && changed->view.account.status == store::AccountStatus::Invalid)
          user_robots.account_invalid(changed->view.account.id, changed->view.account.reason);
      },
      false);  // no notices: the desk's are not made for this listener
}

// Events cross to the other processes over the database and theirs arrive here; the candle loops run where
// their lock is held; the desk's accounts change hands only between passes.
void Services::wire_cluster() {
  node.relay(events, [this](int64_t user, int64_t account) { return accounts.get(user, account); });
  node.on_wake = [this] { desk.wake(); };
  node.on_session_ended = [this](const std::string& hash) { users.session_ended_elsewhere(hash); };
  users.relay_session_ends([this](const std::string& hash) { node.session_ended(hash); });
  node.desk_idle = [this] { return desk.between_passes(); };
  node.add_role({"candles", [this] { boost::asio::co_spawn(io, robots.run(), boost::asio::detached); }, [this] { robots.stop(); }, true});
}

ServeTelegram::Deps Services::telegram_deps(std::ostream& log) {
  return {store, accounts,    two_factor, events, robot_board, client, clock, sleeper, io, account_options.key_test.egress_ip,
          log,   &user_robots};
}

web::ApiDeps Services::api_deps() {
  store::Store* s = &store;
  auto health = [s]() -> Status {
    auto r = s->find_user(0);
    if (!r) return r.error();
    return ok_status();
  };
  auto database = [s, backend = std::string(store::to_string(database_backend))]() {
    auto status = s->schema_status();
    if (!status) return web::DatabaseHealth{backend, 0, false};
    return web::DatabaseHealth{status->backend, status->version(), true};
  };
  // Several processes share a PostgreSQL database: which one answered, and what it owns.
  std::function<web::ProcessHealth()> process;
  if (database_backend == store::Backend::Postgresql)
    process = [this] { return web::ProcessHealth{node.id(), node.roles(), static_cast<int64_t>(accounts.running_jobs())}; };
  return {users, two_factor, accounts, robot_board, metrics, blocking, health, &user_robots, venue_lookup(venue_set), database, process};
}

Result<WebSetup> web_setup(const ServeOptions& options, const CheckedOptions& checked, std::optional<std::string> egress_ip,
                           std::shared_ptr<web::TelegramPort> telegram) {
  WebSetup web;
  web.api_options.version = "0.1";
  web.api_options.max_streams_per_user = static_cast<size_t>(options.max_streams_per_user);
  web.api_options.telegram = std::move(telegram);
  // A browser drops Secure cookies on plain http: only loopback without TLS may go without (and not behind a
  // TLS-terminating proxy, where browsers speak https).
  web.api_options.cookie.secure = !options.tls_cert.empty() || !is_loopback(checked.listen.address) || !options.behind_proxy.empty();
  web.api_options.egress_ip = std::move(egress_ip);
  web.web_dir = options.web_dir;
  if (web.web_dir.empty() && std::filesystem::is_directory(TB_SOURCE_DIR "/web")) web.web_dir = TB_SOURCE_DIR "/web";
  if (!web.web_dir.empty()) {
    auto files = web::StaticFiles::load(web.web_dir);
    if (!files) return files.error();
    web.api_options.static_files = std::make_shared<web::StaticFiles>(std::move(*files));
  }
  return web;
}

Listeners::Listeners(boost::asio::io_context& io, const ServeOptions& options, const CheckedOptions& checked, web::Api& api,
                     observability::MetricsRegistry& metrics)
    : api_server(io, api_server_options(options, checked.listen),
                 api_handler(api, MetricsGuard::for_public(is_loopback(checked.listen.address), checked.metrics_listen.has_value(),
                                                           options.metrics_token))),
      metrics_listen(checked.metrics_listen) {
  if (!metrics_listen) return;
  net::HttpServerOptions o;
  o.address = metrics_listen->address;
  o.port = metrics_listen->port;
  metrics_server =
      std::make_unique<net::HttpServer>(io, o, metrics_handler(metrics, MetricsGuard::for_own_listener(options.metrics_token)));
}

Status Listeners::start() {
  if (auto st = api_server.start(); !st) return st;
  if (metrics_server) return metrics_server->start();
  return ok_status();
}

void Listeners::stop() {
  api_server.stop();
  if (metrics_server) metrics_server->stop();
}

std::optional<std::string> Listeners::metrics_url() const {
  if (!metrics_server) return std::nullopt;
  const std::string& address = metrics_listen->address;
  std::string at = address.find(':') != std::string::npos ? "[" + address + "]" : address;
  return "http://" + at + ":" + std::to_string(metrics_server->port()) + "/metrics";
}

}  // namespace tb::app
