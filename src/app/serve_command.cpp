// `tradebridge serve` as a composition root: each step below builds one layer from the ones before it;
// serve_options.cpp checks the options, serve_wiring.cpp builds the pieces.
#include "app/serve_command.hpp"

#include <utility>  // before Asio's awaitable header: Boost 1.74 misses it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/data_dir.hpp"
#include "app/open_files.hpp"
#include "app/process_hygiene.hpp"
#include "app/robots_command.hpp"
#include "app/serve_options.hpp"
#include "app/serve_wiring.hpp"
#include "observability/log.hpp"

namespace tb::app {

namespace {

// With --log-format json, the log structured lines go to (set by run_serve for its duration; null: text).
observability::JsonLog* json_log = nullptr;

int fail(std::ostream& err, const Error& e) {
  if (json_log) json_log->write(observability::LogLevel::Error, e.message, {{"kind", to_string(e.kind)}});
  else err << nlohmann::json{{"error", {{"kind", to_string(e.kind)}, {"message", e.message}}}}.dump(2) << "\n";
  return 1;
}

// Every option checked before anything opens; each refusal is printed on err, and nullopt returned.
std::optional<CheckedOptions> checked_options(const ServeOptions& options, std::ostream& err) {
  auto listen = parse_listen(options.listen);
  if (!listen) {
    fail(err, listen.error());
    return std::nullopt;
  }
  if (auto refusal = plain_http_refusal(options, *listen)) {
    err << *refusal << std::endl;
    return std::nullopt;
  }
  auto checked = check_options(options, *listen);
  if (!checked) {
    fail(err, checked.error());
    return std::nullopt;
  }
  return std::move(*checked);
}

// The database and the master keys, with a warning when the key file sits inside the data directory.
Result<DataDir> open_data(const ServeOptions& options, const Clock& clock, std::ostream& err) {
  auto data = open_data_dir(options.data_dir, options.database, options.master_key_file, true, clock);
  if (!data) return data;
  if (!data->master_key_from_env && is_inside(data->master_key_file, data->dir))
    err << "tradebridge: warning: the master key file " << data->master_key_file << " is inside the data directory " << data->dir
        << ": a copy of the directory holds the secrets and their key; keep the key apart with --master-key-file\n";
  // A new database starts with the robots' catalogue (seeded once; robots the operator removed stay removed).
  if (auto seeded = robots::seed_catalogue(*data->store, known_markets()); !seeded) return seeded.error();
  return data;
}

// Expired and idle sessions, and the abuse limits' expired entries, leave their tables at start and then
// hourly; each means nothing from the moment it expires anyway, this only keeps the tables small.
net::Task<void> purge_hourly(Services& services, std::ostream& err) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  for (;;) {
    if (auto n = services.users.purge_expired_sessions(); !n)
      err << "tradebridge: purging expired sessions failed: " << n.error().message << "\n";
    if (auto n = services.store.delete_expired_limit_entries(); !n)
      err << "tradebridge: purging expired limit entries failed: " << n.error().message << "\n";
    timer.expires_after(std::chrono::hours(1));
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec) co_return;
  }
}

// The bot and the candle loops start in the process that takes their lock (cluster/node.hpp): with one
// process, this one at its first beat; the node's first beat comes before the desk's first pass.
void start_background_work(Services& services, ServeTelegram* telegram, std::ostream& err) {
  if (telegram)
    services.node.add_role({"telegram", [telegram] { telegram->start(); }, [telegram] { telegram->stop([] {}); }, false,
                            [telegram] { telegram->introduce(); }});
  boost::asio::co_spawn(services.io, services.node.run(), boost::asio::detached);
  services.accounts.start();
  boost::asio::co_spawn(services.io, purge_hourly(services, err), boost::asio::detached);
  boost::asio::co_spawn(services.io, services.desk.run(), boost::asio::detached);
}

// The address people open: a wildcard listen address is reached on loopback from this host.
std::string public_url(const ServeOptions& options, const Listen& listen, uint16_t port) {
  std::string scheme = options.tls_cert.empty() ? "http" : "https";
  std::string host = listen.address.find(':') != std::string::npos ? "[" + listen.address + "]" : listen.address;
  if (host == "0.0.0.0" || host == "[::]") host = "127.0.0.1";
  return scheme + "://" + host + ":" + std::to_string(port);
}

// The first line on out, for programs that start serve: {"listening":URL,...}.
void print_first_line(std::ostream& out, const std::string& url, const std::string& exsim_url,
                      const std::optional<std::string>& metrics_url) {
  nlohmann::ordered_json first = {{"listening", url}, {"web", url + "/"}, {"api", url + "/api/v1"}, {"openapi", url + "/api/openapi.json"}};
  if (!exsim_url.empty()) first["exsim"] = exsim_url;
  if (metrics_url) first["metrics"] = *metrics_url;
  out << first.dump() << std::endl;
}

std::string master_key_origin(const DataDir& data) {
  return data.master_key_from_env ? std::string("from TRADEBRIDGE_MASTER_KEY") : data.master_key_file;
}

// The summary as one JSON log line: the same facts, as fields.
void log_summary(observability::JsonLog& log, const std::string& url, const DataDir& data, const std::string& web_dir,
                 const std::map<std::string, std::string>& venue_urls, const ServeTelegram* telegram, const std::string& exsim_url) {
  nlohmann::json fields = {{"url", url},
                           {"api", url + "/api/v1"},
                           {"database", data.database.redacted()},
                           {"web_dir", web_dir},
                           {"master_key", master_key_origin(data)},
                           {"master_key_generated", data.master_key_generated},
                           {"venues", venue_urls}};
  if (telegram) fields["telegram"] = telegram->describe();
  if (!exsim_url.empty()) fields["exsim"] = exsim_url;
  log.write(observability::LogLevel::Info, "serve started", fields);
}

// What was started and from where, for the operator.
void print_summary(std::ostream& err, const std::string& url, const DataDir& data, const std::string& web_dir,
                   const std::map<std::string, std::string>& venue_urls, const ServeTelegram* telegram, const std::string& exsim_url) {
  if (json_log) return log_summary(*json_log, url, data, web_dir, venue_urls, telegram, exsim_url);
  err << "tradebridge serve\n"
      << "  web app:   " << url << "/\n"
      << "  API:       " << url << "/api/v1  (OpenAPI: " << url << "/api/openapi.json)\n"
      << "  health:    " << url << "/healthz   metrics: " << url << "/metrics\n"
      << "  data:      " << data.database.redacted() << "\n"
      << "  web files: " << (web_dir.empty() ? std::string("none (API only)") : web_dir) << "\n"
      << "  master key: " << master_key_origin(data)
      << (data.master_key_generated ? "  (generated now: back it up; without it no stored secret can be read)" : "") << "\n";
  for (const auto& [venue, u] : venue_urls) err << "  venue:     " << venue << " -> " << u << "\n";
  if (telegram) err << "  telegram:  " << telegram->describe() << "\n";
  if (!exsim_url.empty()) err << "  exsim:     " << exsim_url << "/  (exchange simulator: create test API keys there)\n";
  err << "  Ctrl-C stops.\n" << std::flush;
}

// SIGINT or SIGTERM: no new connections or jobs; the bot finishes the update in hand, then the loop ends.
void stop_on_signal(boost::asio::signal_set& signals, Services& services, Listeners& listeners, ServeTelegram* telegram) {
  signals.async_wait([&services, &listeners, telegram](const boost::system::error_code& ec, int) {
    if (ec) return;
    listeners.stop();
    services.node.stop();
    services.accounts.stop();
    services.robots.stop();
    services.desk.stop();
    if (telegram) telegram->stop([&io = services.io] { io.stop(); });
    else services.io.stop();
  });
}

int serve(ServeOptions options, std::ostream& out, std::ostream& err) {
  forbid_core_dumps();
  auto checked = checked_options(options, err);
  if (!checked) return 1;
  raise_open_files_limit();
  const Clock& clock = SystemClock::instance();
  auto data = open_data(options, clock, err);
  if (!data) return fail(err, data.error());
  EmbeddedExsim embedded;
  if (auto st = start_embedded_exsim(options, embedded, checked->venue_urls); !st) return fail(err, st.error());
  auto csrf = make_csrf_tokens();
  if (!csrf) return fail(err, csrf.error());
  auto coordination = store::open_coordination(data->database);
  if (!coordination) return fail(err, coordination.error());
  Services services(options, *checked, *data, clock, embedded.url, std::move(*csrf), std::move(*coordination));
  auto telegram_or = ServeTelegram::make(options.telegram, services.telegram_deps(err));
  if (!telegram_or) return fail(err, telegram_or.error());
  ServeTelegram* telegram = telegram_or->get();  // null: no bot
  auto web = web_setup(options, *checked, services.egress_ip(), telegram ? telegram->port() : nullptr);
  if (!web) return fail(err, web.error());
  web::Api api(services.api_deps(), web->api_options);
  if (auto st = api.status(); !st) return fail(err, st.error());
  Listeners listeners(services.io, options, *checked, api, services.metrics);
  if (auto st = listeners.start(); !st) return fail(err, st.error());
  start_background_work(services, telegram, err);

  std::string url = public_url(options, checked->listen, listeners.api_server.port());
  print_first_line(out, url, embedded.url, listeners.metrics_url());
  print_summary(err, url, *data, web->web_dir, checked->venue_urls, telegram, embedded.url);

  boost::asio::signal_set signals(services.io, SIGINT, SIGTERM);
  stop_on_signal(signals, services, listeners, telegram);
  services.io.run();  // one io thread: the API and the account service share their state without locks
  services.blocking.join();
  services.node.leave();
  embedded.stop();
  err << "tradebridge: stopped\n";
  return 0;
}

}  // namespace

int run_serve(ServeOptions options, std::ostream& out, std::ostream& err) {
  auto format = observability::parse_log_format(options.log_format);
  if (!format) return fail(err, format.error());
  if (*format == observability::LogFormat::Text) return serve(std::move(options), out, err);
  // std::cerr's lines (and err's, when it is std::cerr, as from main) become JSON lines until serve returns.
  observability::JsonStderr json([] { return SystemClock::instance().now_ms(); });
  std::ostream json_err(json.lines());
  json_log = &json.log();
  int code = serve(std::move(options), out, json_err);
  json_log = nullptr;
  return code;
}

}  // namespace tb::app
