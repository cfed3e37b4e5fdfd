#include "app/serve_command.hpp"

#include <unistd.h>

#include <utility>  // before Asio's awaitable header: Boost 1.74 misses it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <csignal>
#include <iostream>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "accounts/account_service.hpp"
#include "app/data_dir.hpp"
#include "app/metrics_guard.hpp"
#include "app/open_files.hpp"
#include "app/process_hygiene.hpp"
#include "app/store_limit_book.hpp"
#include "app/telegram_wiring.hpp"
#include "auth/auth.hpp"
#include "exsim/server/simulator.hpp"
#include "exsim/venues.hpp"
#include "net/asio_sleeper.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "observability/metrics.hpp"
#include "venues/common/nonce.hpp"
#include "venues/observed_venue.hpp"
#include "venues/registry.hpp"
#include "venues/shared_reads.hpp"
#include "web/api.hpp"

namespace tb::app {

namespace {

int fail(std::ostream& err, const Error& e) {
  err << nlohmann::json{{"error", {{"kind", to_string(e.kind)}, {"message", e.message}}}}.dump(2) << "\n";
  return 1;
}

Error config_error(std::string message) { return Error::make(ErrorKind::InvalidArgument, std::move(message)); }

struct Listen {
  std::string address;
  uint16_t port = 0;
};

Result<Listen> parse_listen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 == text.size())
    return config_error("--listen takes ADDRESS:PORT (127.0.0.1:8080), got '" + text + "'");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return config_error("--listen: bad port in '" + text + "'");
    port = port * 10 + (c - '0');
  }
  if (port > 65535) return config_error("--listen: bad port in '" + text + "'");
  return Listen{host.empty() ? "127.0.0.1" : host, static_cast<uint16_t>(port)};
}

bool is_loopback(const std::string& address) {
  if (address == "localhost") return true;
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(address, ec);
  return !ec && a.is_loopback();
}

// Plain HTTP beyond loopback would carry passwords, session tokens and API secrets in clear: refused unless
// TLS is served here or a TLS-terminating proxy in front is named. One line, for the operator.
std::optional<std::string> plain_http_refusal(const ServeOptions& o, const Listen& listen) {
  if (is_loopback(listen.address) || !o.tls_cert.empty() || !o.behind_proxy.empty()) return std::nullopt;
  return "tradebridge: refusing to serve plain HTTP on " + o.listen +
         " beyond loopback: give --tls-cert and --tls-key, or --behind-proxy IP[,IP...] naming the TLS-terminating proxy in front";
}

std::string host_name() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return host;
}

std::string worker_id() { return host_name() + ":" + std::to_string(::getpid()); }

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

// The exchange simulator on its own thread, so its work never delays the API's.
struct EmbeddedExsim {
  boost::asio::io_context io;
  std::unique_ptr<exsim::Simulator> sim;
  std::thread thread;

  Status start(uint16_t port, const std::string& state_file, int latency_ms) {
    exsim::SimulatorOptions o;
    o.port = port;
    o.state_file = state_file;
    o.latency = std::chrono::milliseconds(latency_ms);
    sim = std::make_unique<exsim::Simulator>(io, o, SystemClock::instance(), exsim::default_venue_sims);
    if (auto st = sim->start(); !st) return st;
    thread = std::thread([this] { io.run(); });
    return ok_status();
  }
  void stop() {
    if (!sim) return;
    boost::asio::post(io, [this] {
      sim->stop();
      io.stop();
    });
    if (thread.joinable()) thread.join();
  }
  ~EmbeddedExsim() { stop(); }
};

// Expired and idle sessions leave the table at start and then hourly; each is refused from the moment it
// ends anyway, this only keeps the table small.
net::Task<void> purge_sessions_hourly(users::UserService& users, std::ostream& err) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    if (auto n = users.purge_expired_sessions(); !n) err << "tradebridge: purging expired sessions failed: " << n.error().message << "\n";
    timer.expires_after(std::chrono::hours(1));
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) co_return;
  }
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

}  // namespace

int run_serve(ServeOptions options, std::ostream& out, std::ostream& err) {
  forbid_core_dumps();
  auto listen = parse_listen(options.listen);
  if (!listen) return fail(err, listen.error());
  if (auto refusal = plain_http_refusal(options, *listen)) {
    err << *refusal << std::endl;
    return 1;
  }
  std::optional<Listen> metrics_listen;
  if (!options.metrics_listen.empty()) {
    auto m = parse_listen(options.metrics_listen);
    if (!m) return fail(err, config_error("--metrics-listen takes ADDRESS:PORT, got '" + options.metrics_listen + "'"));
    metrics_listen = *m;
  }
  auth::PasswordCost cost;
  if (options.password_cost == "interactive") cost = auth::PasswordCost::interactive();
  else if (options.password_cost == "fast") cost = auth::PasswordCost::fast();
  else return fail(err, config_error("--password-cost takes interactive or fast"));
  std::map<std::string, std::string> venue_urls;
  for (const auto& spec : options.venue_urls) {
    auto eq = spec.find('=');
    std::string venue = spec.substr(0, eq);
    if (eq == std::string::npos || eq + 1 == spec.size()) return fail(err, config_error("--venue-url takes VENUE=URL, got '" + spec + "'"));
    if (!venues::find_venue(venue)) return fail(err, config_error("--venue-url: unknown venue '" + venue + "' (" + venues::venue_ids() + ")"));
    if (!net::parse_url(spec.substr(eq + 1))) return fail(err, config_error("--venue-url " + venue + ": not an http(s) URL"));
    venue_urls[venue] = spec.substr(eq + 1);
  }
  raise_open_files_limit();

  const Clock& clock = SystemClock::instance();
  auto data = open_data_dir(options.data_dir, options.master_key_file, true, clock);
  if (!data) return fail(err, data.error());
  if (!data->master_key_from_env && is_inside(data->master_key_file, data->dir))
    err << "tradebridge: warning: the master key file " << data->master_key_file << " is inside the data directory " << data->dir
        << ": a copy of the directory holds the secrets and their key; keep the key apart with --master-key-file\n";

  EmbeddedExsim embedded;
  std::string exsim_url;
  if (options.with_exsim) {
    auto state = (std::filesystem::path(options.data_dir) / "exsim-state.json").string();
    if (auto st = embedded.start(*options.with_exsim, state, options.exsim_latency_ms); !st) return fail(err, st.error());
    exsim_url = embedded.sim->base_url();
    for (const auto& v : venues::supported_venues())
      if (!venue_urls.count(std::string(v.id))) venue_urls[std::string(v.id)] = exsim_url;
  }

  boost::asio::io_context io;
  boost::asio::thread_pool blocking(2);
  observability::MetricsRegistry metrics;
  observability::PlatformMetrics families(metrics);
  auto& venue_calls = families.venue_calls;
  auto& key_tests = families.key_tests;

  net::HttpClientOptions client_options;
  client_options.max_idle_per_origin = 512;  // many key tests in flight reuse their connections
  net::HttpClient client(io, client_options);
  net::AsioSleeper sleeper;
  venues::NonceSource nonces(clock);
  StoreLimitBook limit_book(*data->store, options.egress_ip);
  accounts::Venues venue_set;
  for (const auto& v : venues::supported_venues()) {
    venues::VenueConfig config;
    if (auto it = venue_urls.find(std::string(v.id)); it != venue_urls.end()) config.base_url = it->second;
    config.max_throttle_wait = std::chrono::seconds(10);  // a longer budget wait defers the key test, with its reason
    auto venue = venues::make_venue(v.id, {&client, &sleeper, &clock, &nonces, &limit_book}, config);
    auto observed = venues::observe_calls(std::move(venue), [&venue_calls](std::string_view venue, venues::Action a, std::string_view outcome) {
      venue_calls.with({venue, venues::to_string(a), outcome}).inc();
    });
    // Many key tests at once ask for the same markets and price: one venue call answers them all.
    venue_set[std::string(v.id)] = venues::share_public_reads(std::move(observed), clock);
  }

  accounts::EventBus events;
  accounts::AccountServiceOptions account_options;
  account_options.recheck_interval = std::chrono::seconds(options.recheck_interval_s);
  account_options.retry_window = std::chrono::seconds(options.key_test_retry_window_s);
  account_options.retry_max = std::chrono::seconds(options.key_test_retry_max_wait_s);
  account_options.max_accounts_per_user = static_cast<size_t>(options.max_accounts_per_user);
  account_options.key_tests_per_hour = options.key_tests_per_hour;
  account_options.worker_id = worker_id();
  account_options.worker_is_gone = worker_is_gone;
  if (!options.egress_ip.empty()) account_options.key_test.egress_ip = options.egress_ip;
  else if (options.with_exsim) account_options.key_test.egress_ip = "127.0.0.1";  // the simulator sees loopback
  if (!exsim_url.empty()) account_options.key_pages = simulator_key_pages(venue_urls, exsim_url);
  account_options.on_key_test = [&key_tests](std::string_view venue, std::string_view outcome) { key_tests.with({venue, outcome}).inc(); };
  accounts::AccountService accounts(*data->store, data->vault, venue_set, clock, sleeper, events, io.get_executor(), account_options);

  auth::LoginLimiter limiter(clock);
  crypto::Secret csrf_key(std::string(32, '\0'));
  {
    std::string raw(32, '\0');
    auth::SystemRandom::instance().fill({reinterpret_cast<unsigned char*>(raw.data()), raw.size()});
    csrf_key = crypto::Secret(std::move(raw));
  }
  auto csrf = auth::CsrfTokens::make(csrf_key);
  if (!csrf) return fail(err, csrf.error());
  users::UserOptions user_options;
  user_options.cost = cost;
  user_options.register_limit = options.register_limit;
  user_options.session_idle = std::chrono::seconds(options.session_idle_s);
  accounts::TwoFactorService two_factor(*data->store, data->vault, clock);
  users::UserService users(*data->store, clock, limiter, two_factor, std::move(*csrf), user_options);

  auto telegram = ServeTelegram::make(options.telegram, {*data->store, accounts, two_factor, events, client, clock, sleeper, io,
                                                         account_options.key_test.egress_ip, err});
  if (!telegram) return fail(err, telegram.error());

  web::ApiOptions api_options;
  api_options.version = "0.1";
  api_options.max_streams_per_user = static_cast<size_t>(options.max_streams_per_user);
  if (*telegram) api_options.telegram = (*telegram)->port();
  // A browser drops Secure cookies on plain http: only loopback without TLS may go without (and not behind a
  // TLS-terminating proxy, where browsers speak https).
  api_options.cookie.secure = !options.tls_cert.empty() || !is_loopback(listen->address) || !options.behind_proxy.empty();
  api_options.egress_ip = account_options.key_test.egress_ip;
  std::string web_dir = options.web_dir;
  if (web_dir.empty() && std::filesystem::is_directory(TB_SOURCE_DIR "/web")) web_dir = TB_SOURCE_DIR "/web";
  if (!web_dir.empty()) {
    auto files = web::StaticFiles::load(web_dir);
    if (!files) return fail(err, files.error());
    api_options.static_files = std::make_shared<web::StaticFiles>(std::move(*files));
  }
  store::Store* store = data->store.get();
  web::Api api({users, two_factor, accounts, metrics, blocking, [store]() -> Status {
                  auto r = store->find_user(0);
                  if (!r) return r.error();
                  return ok_status();
                }},
               api_options);
  if (auto st = api.status(); !st) return fail(err, st.error());

  net::HttpServerOptions server_options;
  server_options.address = listen->address;
  server_options.port = listen->port;
  server_options.max_request_bytes = 256 * 1024;
  server_options.max_connections = 10'000;
  server_options.max_connections_per_ip = options.max_connections_per_ip;
  server_options.trusted_proxies = options.behind_proxy;
  server_options.tls_cert_file = options.tls_cert;
  server_options.tls_key_file = options.tls_key;
  auto guard = MetricsGuard::for_public(is_loopback(listen->address), metrics_listen.has_value(), options.metrics_token);
  net::HttpServer server(io, server_options, [&api, guard](net::HttpRequest r) -> net::Task<net::HttpResponse> {
    if (auto refused = guard.refuse(r)) co_return std::move(*refused);
    co_return co_await api.handle(std::move(r));
  });
  if (auto st = server.start(); !st) return fail(err, st.error());
  std::unique_ptr<net::HttpServer> metrics_server;
  if (metrics_listen) {
    net::HttpServerOptions o;
    o.address = metrics_listen->address;
    o.port = metrics_listen->port;
    auto own = MetricsGuard::for_own_listener(options.metrics_token);
    metrics_server = std::make_unique<net::HttpServer>(io, o, [&metrics, own](net::HttpRequest r) -> net::Task<net::HttpResponse> {
      if (auto refused = own.refuse(r)) co_return std::move(*refused);
      if (net::path_of(r.url) != "/metrics") co_return web::to_response(web::not_found());
      net::HttpResponse m;
      m.status = 200;
      m.headers.push_back({"Content-Type", std::string(observability::kMetricsContentType)});
      m.headers.push_back({"Cache-Control", "no-store"});
      m.body = metrics.render();
      co_return m;
    });
    if (auto st = metrics_server->start(); !st) return fail(err, st.error());
  }
  accounts.start();
  if (*telegram) (*telegram)->start();
  boost::asio::co_spawn(io, purge_sessions_hourly(users, err), boost::asio::detached);

  std::string scheme = options.tls_cert.empty() ? "http" : "https";
  std::string host = listen->address.find(':') != std::string::npos ? "[" + listen->address + "]" : listen->address;
  if (host == "0.0.0.0" || host == "[::]") host = "127.0.0.1";
  std::string url = scheme + "://" + host + ":" + std::to_string(server.port());
  nlohmann::ordered_json first = {{"listening", url}, {"web", url + "/"}, {"api", url + "/api/v1"}, {"openapi", url + "/api/openapi.json"}};
  if (!exsim_url.empty()) first["exsim"] = exsim_url;
  if (metrics_server) {
    std::string at = metrics_listen->address.find(':') != std::string::npos ? "[" + metrics_listen->address + "]" : metrics_listen->address;
    first["metrics"] = "http://" + at + ":" + std::to_string(metrics_server->port()) + "/metrics";
  }
  out << first.dump() << std::endl;
  err << "tradebridge serve\n"
      << "  web app:   " << url << "/\n"
      << "  API:       " << url << "/api/v1  (OpenAPI: " << url << "/api/openapi.json)\n"
      << "  health:    " << url << "/healthz   metrics: " << url << "/metrics\n"
      << "  data:      " << data->database << "\n"
      << "  web files: " << (web_dir.empty() ? std::string("none (API only)") : web_dir) << "\n"
      << "  master key: " << (data->master_key_from_env ? std::string("from TRADEBRIDGE_MASTER_KEY") : data->master_key_file)
      << (data->master_key_generated ? "  (generated now: back it up; without it no stored secret can be read)" : "") << "\n";
  for (const auto& [venue, u] : venue_urls) err << "  venue:     " << venue << " -> " << u << "\n";
  if (*telegram) err << "  telegram:  " << (*telegram)->describe() << "\n";
  if (!exsim_url.empty())
    err << "  exsim:     " << exsim_url << "/  (exchange simulator: create test API keys there)\n";
  err << "  Ctrl-C stops.\n" << std::flush;

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    server.stop();
    if (metrics_server) metrics_server->stop();
    accounts.stop();
    if (*telegram) (*telegram)->stop([&io] { io.stop(); });  // the update in hand is finished first
    else io.stop();
  });
  io.run();  // one io thread: the API and the account service share their state without locks
  blocking.join();
  embedded.stop();
  err << "tradebridge: stopped\n";
  return 0;
}

}  // namespace tb::app
