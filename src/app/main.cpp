// tradebridge: one binary, several roles (DESIGN.md): `serve`, `exsim`, `exchange`, `keys` and `backtest`
// (a robot's strategy over past candles). Each command declares its flags on its own CLI11 subcommand and
// hands back how to run it; main parses once and runs the command named.
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/backtest_command.hpp"
#include "app/candles_command.hpp"
#include "app/db_command.hpp"
#include "app/exchange_command.hpp"
#include "app/exsim_command.hpp"
#include "app/keys_command.hpp"
#include "app/robots_command.hpp"
#include "app/serve_command.hpp"

namespace {

// Runs a command once its flags are parsed; returns the process's exit code.
using Run = std::function<int()>;

// Overwrites the secret in argv so it does not linger in /proc/<pid>/cmdline longer than needed.
void scrub_argv_value(int argc, char** argv, const char* flag) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], flag) == 0) std::memset(argv[i + 1], 'x', std::strlen(argv[i + 1]));
}

// The password of a --database (or db copy's --from, --to) postgresql:// URL: overwritten in argv like
// --secret (the rest of the URL, which names no secret, stays readable in ps).
void scrub_database_password(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i) {
    const bool url_flag =
        std::strcmp(argv[i], "--database") == 0 || std::strcmp(argv[i], "--from") == 0 || std::strcmp(argv[i], "--to") == 0;
    if (!url_flag) continue;
    char* url = argv[i + 1];
    char* scheme_end = std::strstr(url, "://");
    char* at = scheme_end ? std::strrchr(scheme_end, '@') : nullptr;
    char* colon = scheme_end ? std::strchr(scheme_end + 3, ':') : nullptr;
    if (at && colon && colon < at) std::memset(colon + 1, 'x', static_cast<size_t>(at - colon - 1));
  }
}

// --database, with its variable, for every command that opens the database.
void add_database_flag(CLI::App& cmd, std::string& database) {
  cmd.add_option("--database", database,
                 "sqlite:PATH or postgresql://user:password@host:port/dbname[?sslmode=...] (default: sqlite:<data-dir>/tradebridge.db)")
      ->envname("TRADEBRIDGE_DATABASE_URL");
}

int usage_error(const std::string& message) {
  std::cerr << nlohmann::json{{"error", {{"kind", "invalid_argument"}, {"message", message}}}}.dump(2) << "\n";
  return 2;
}

struct ExchangeArgs {
  tb::app::ExchangeOptions ex;
  std::vector<std::string> params;  // name=value
  std::string secret_file;
};

// --param pairs, then the secret from --secret, --secret-file or TRADEBRIDGE_API_SECRET, and the proxy.
int run_exchange(ExchangeArgs& a) {
  auto& ex = a.ex;
  for (auto& p : a.params) {
    auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) return usage_error("--param takes name=value, got '" + p + "'");
    ex.params[p.substr(0, eq)] = p.substr(eq + 1);
  }
  if (ex.secret.empty() && !a.secret_file.empty()) {
    std::ifstream in(a.secret_file);
    if (!in) return usage_error("cannot read --secret-file " + a.secret_file);
    std::getline(in, ex.secret);
  }
  if (ex.secret.empty())
    if (const char* s = std::getenv("TRADEBRIDGE_API_SECRET")) ex.secret = s;
  if (!ex.proxy)
    if (const char* p = std::getenv("TRADEBRIDGE_PROXY"); p && *p) ex.proxy = p;
  return tb::app::run_exchange(std::move(ex), std::cout, std::cerr);
}

Run declare_exchange(CLI::App& cmd) {
  auto a = std::make_shared<ExchangeArgs>();
  auto& ex = a->ex;
  using tb::venues::ReplayGuard;
  cmd.add_option("venue", ex.venue, tb::app::venue_choices())->required();
  cmd.add_option("action", ex.action, "what to do (see below)")->required();
  cmd.add_option("--key", ex.key, "API key (public)");
  cmd.add_option("--secret", ex.secret, "API secret (private)");
  cmd.add_option("--secret-file", a->secret_file, "read the API secret from this file");
  cmd.add_option("--base-url", ex.base_url, "replace every base URL of the venue (a simulator, a test server)");
  cmd.add_option("--proxy", ex.proxy, "HTTP CONNECT proxy, http://host:port (also TRADEBRIDGE_PROXY)");
  cmd.add_option("--param", a->params, "name=value, repeatable");
  cmd.add_flag("--dry-run", ex.dry_run, "print the signed request as JSON; send nothing");
  cmd.add_option("--nonce", ex.nonce, "fix the nonce (" + tb::app::venues_using(ReplayGuard::Nonce) + ")");
  cmd.add_option("--timestamp", ex.timestamp_ms, "fix the timestamp in ms (" + tb::app::venues_using(ReplayGuard::Timestamp) + ")");
  cmd.add_option("--timeout-ms", ex.timeout_ms, "total time allowed for one request")->check(CLI::Range(100, 600'000));
  return [a] { return run_exchange(*a); };
}

struct ExsimArgs {
  tb::app::ExsimOptions sim;
  uint64_t seed = 0;  // used when --seed is given
};

Run declare_exsim(CLI::App& cmd) {
  auto a = std::make_shared<ExsimArgs>();
  auto& sim = a->sim;
  cmd.add_option("--port", sim.port, "TCP port (0: pick a free one)")->capture_default_str();
  auto* seed_option =
      cmd.add_option("--seed", a->seed,
                     "seed of the price paths, keys and fault draws: a reproducible run (without it, keys come from the system CSPRNG)");
  cmd.add_option("--state", sim.state, "state file: loaded at start if present, saved on changes and at exit");
  cmd.add_option("--latency-ms", sim.latency_ms, "delay added to every venue answer")->check(CLI::Range(0, 600'000));
  cmd.add_option(
      "--candles", sim.candles,
      "VENUE:SYMBOL=FILE: replay a CSV of candles (open_time_ms,open,high,low,close,volume) as that market's prices, repeatable");
  cmd.add_option("--listen", sim.listen, "address to listen on (the admin API has no login: keep it on loopback)")->capture_default_str();
  return [a, seed_option] {
    if (seed_option->count() > 0) a->sim.seed = a->seed;
    return tb::app::run_exsim(std::move(a->sim), std::cout, std::cerr);
  };
}

// serve's flags, each with its TRADEBRIDGE_* variable, in the order its --help lists them.
void add_serve_platform_flags(CLI::App& cmd, tb::app::ServeOptions& o, std::string& with_exsim) {
  cmd.add_option("--listen", o.listen, "ADDRESS:PORT of the API and web app")->envname("TRADEBRIDGE_LISTEN")->capture_default_str();
  cmd.add_option("--data-dir", o.data_dir, "SQLite database, master key file, simulator state")
      ->envname("TRADEBRIDGE_DATA_DIR")
      ->capture_default_str();
  add_database_flag(cmd, o.database);
  cmd.add_option("--venue-url", o.venue_urls, "VENUE=URL: send that venue's calls there instead (repeatable)")
      ->envname("TRADEBRIDGE_VENUE_URL")
      ->delimiter(',');
  cmd.add_flag("--with-exsim{8081}", with_exsim,
               "start the exchange simulator in-process (on PORT, default 8081) and point every venue at it")
      ->envname("TRADEBRIDGE_WITH_EXSIM");
  cmd.add_option("--exsim-latency-ms", o.exsim_latency_ms, "with --with-exsim: delay added to every simulated venue answer")
      ->envname("TRADEBRIDGE_EXSIM_LATENCY_MS")
      ->check(CLI::Range(0, 60'000));
  cmd.add_option(
         "--master-key-file", o.master_key_file,
         "master key file (default <data-dir>/master.key, generated on first start, mode 0600); TRADEBRIDGE_MASTER_KEY wins when set")
      ->envname("TRADEBRIDGE_MASTER_KEY_FILE");
  cmd.add_option("--egress-ip", o.egress_ip, "this server's public IP, shown to users for their keys' IP whitelist")
      ->envname("TRADEBRIDGE_EGRESS_IP");
}

void add_serve_trading_flags(CLI::App& cmd, tb::app::ServeOptions& o) {
  cmd.add_flag("--orders-over-websocket", o.orders_over_websocket,
               "send orders over the venue's WebSocket API where it has one, on a few connections shared by every key")
      ->envname("TRADEBRIDGE_ORDERS_OVER_WEBSOCKET");
  cmd.add_option("--robot-price-interval", o.robot_price_interval_s,
                 "seconds between two looks of the robots' runner for closed candles (and the catalogue's changes)")
      ->envname("TRADEBRIDGE_ROBOT_PRICE_INTERVAL")
      ->check(CLI::Range(int64_t{1}, int64_t{3600}))
      ->capture_default_str();
  cmd.add_option("--signal-max-lag", o.signal_max_lag_s, "seconds: a signal robot's signal whose time is older is refused (409)")
      ->envname("TRADEBRIDGE_SIGNAL_MAX_LAG")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}))
      ->capture_default_str();
  cmd.add_option("--trade-interval", o.trade_interval_ms,
                 "milliseconds between two passes of the trading desk (new signals into orders, unsettled orders asked)")
      ->envname("TRADEBRIDGE_TRADE_INTERVAL")
      ->check(CLI::Range(int64_t{50}, int64_t{60'000}))
      ->capture_default_str();
  cmd.add_option("--reconcile-interval", o.reconcile_interval_s,
                 "seconds between two reconciliations of each trading account (foreign orders, positions that differ)")
      ->envname("TRADEBRIDGE_RECONCILE_INTERVAL")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}))
      ->capture_default_str();
  cmd.add_option("--order-timeout", o.order_timeout_s,
                 "seconds a robot's limit order rests before it is cancelled and placed one slippage step further")
      ->envname("TRADEBRIDGE_ORDER_TIMEOUT")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}))
      ->capture_default_str();
  cmd.add_option("--reconcile-accounts", o.reconcile_accounts,
                 "trading accounts reconciled each time, in turn (each costs request weight at the venue: open orders, positions)")
      ->envname("TRADEBRIDGE_RECONCILE_ACCOUNTS")
      ->check(CLI::Range(int64_t{1}, int64_t{100'000}))
      ->capture_default_str();
}

void add_serve_limit_flags(CLI::App& cmd, tb::app::ServeOptions& o) {
  cmd.add_option("--recheck-interval", o.recheck_interval_s, "seconds between re-checks of each enabled key")
      ->envname("TRADEBRIDGE_RECHECK_INTERVAL")
      ->check(CLI::Range(int64_t{10}, int64_t{30} * 86400))
      ->capture_default_str();
  cmd.add_option("--key-test-retry-window", o.key_test_retry_window_s,
                 "seconds a key test is retried while the exchange has trouble (rate limit, outage); then the account is unverified")
      ->envname("TRADEBRIDGE_KEY_TEST_RETRY_WINDOW")
      ->check(CLI::Range(int64_t{0}, int64_t{7} * 86400))
      ->capture_default_str();
  cmd.add_option("--key-test-retry-max-wait", o.key_test_retry_max_wait_s,
                 "longest wait in seconds between two tries of a deferred key test (longer if the exchange asks)")
      ->envname("TRADEBRIDGE_KEY_TEST_RETRY_MAX_WAIT")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}))
      ->capture_default_str();
  cmd.add_option("--max-accounts-per-user", o.max_accounts_per_user, "exchange accounts a user may keep (0: no cap)")
      ->envname("TRADEBRIDGE_MAX_ACCOUNTS_PER_USER")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  cmd.add_option("--key-tests-per-hour", o.key_tests_per_hour,
                 "key tests a user may start in any hour, by adding, replacing or re-testing keys (0: no cap); each places a real order")
      ->envname("TRADEBRIDGE_KEY_TESTS_PER_HOUR")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  cmd.add_option("--session-idle", o.session_idle_s, "seconds without a request after which a session ends (besides its 7 days)")
      ->envname("TRADEBRIDGE_SESSION_IDLE")
      ->check(CLI::Range(int64_t{1}, int64_t{7} * 86400))
      ->capture_default_str();
  cmd.add_option("--max-streams-per-user", o.max_streams_per_user, "event streams (GET /api/v1/events) one user may hold open at once")
      ->envname("TRADEBRIDGE_MAX_STREAMS_PER_USER")
      ->check(CLI::Range(1, 1'000))
      ->capture_default_str();
  cmd.add_option("--password-cost", o.password_cost, "argon2id cost: interactive, or fast for tests only")
      ->envname("TRADEBRIDGE_PASSWORD_COST")
      ->capture_default_str();
  cmd.add_option("--register-limit", o.register_limit, "new accounts per client IP per hour (0: no limit)")
      ->envname("TRADEBRIDGE_REGISTER_LIMIT")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
}

void add_serve_web_flags(CLI::App& cmd, tb::app::ServeOptions& o) {
  cmd.add_option("--web-dir", o.web_dir, "the web app's files (default: this checkout's web/ folder)")->envname("TRADEBRIDGE_WEB_DIR");
  cmd.add_option("--tls-cert", o.tls_cert, "PEM certificate chain: serve HTTPS")->envname("TRADEBRIDGE_TLS_CERT");
  cmd.add_option("--tls-key", o.tls_key, "PEM private key for --tls-cert")->envname("TRADEBRIDGE_TLS_KEY");
  cmd.add_option("--max-connections-per-ip", o.max_connections_per_ip,
                 "open connections one address may hold; further ones are closed at once (0: no cap; --behind-proxy addresses are exempt)")
      ->envname("TRADEBRIDGE_MAX_CONNECTIONS_PER_IP")
      ->check(CLI::Range(size_t{0}, size_t{1'000'000}))
      ->capture_default_str();
  cmd.add_option("--behind-proxy", o.behind_proxy,
                 "IP[,IP...] of the TLS-terminating reverse proxy in front: only its X-Forwarded-For/-Proto are believed; "
                 "needed to listen beyond loopback without --tls-cert")
      ->envname("TRADEBRIDGE_BEHIND_PROXY")
      ->delimiter(',');
  cmd.add_option("--metrics-listen", o.metrics_listen, "ADDRESS:PORT serving /metrics alone (then /metrics is 404 on --listen)")
      ->envname("TRADEBRIDGE_METRICS_LISTEN");
  cmd.add_option("--log-format", o.log_format, "text, or json: one JSON object per line on stderr (ts, level, msg, fields)")
      ->envname("TRADEBRIDGE_LOG_FORMAT")
      ->capture_default_str();
  cmd.add_option("--metrics-token", o.metrics_token,
                 "/metrics requires \"Authorization: Bearer <token>\" (beyond loopback without this or --metrics-listen, /metrics is 404)")
      ->envname("TRADEBRIDGE_METRICS_TOKEN");
}

void add_serve_telegram_flags(CLI::App& cmd, tb::app::TelegramSettings& tg) {
  cmd.add_option("--telegram-token-file", tg.token_file, "Telegram bot token file (or TRADEBRIDGE_TELEGRAM_TOKEN); no token: no bot")
      ->envname("TRADEBRIDGE_TELEGRAM_TOKEN_FILE");
  cmd.add_option("--telegram-api-url", tg.api_url, "Bot API server")->envname("TRADEBRIDGE_TELEGRAM_API_URL")->capture_default_str();
  cmd.add_option("--telegram-webhook-url", tg.webhook_url, "https URL reaching /api/v1/telegram/webhook: webhook instead of long polling")
      ->envname("TRADEBRIDGE_TELEGRAM_WEBHOOK_URL");
  cmd.add_option("--telegram-webhook-secret", tg.webhook_secret, "webhook secret token (1-256 of A-Z a-z 0-9 _ -); random when unset")
      ->envname("TRADEBRIDGE_TELEGRAM_WEBHOOK_SECRET");
  cmd.add_option("--telegram-poll-timeout", tg.poll_timeout_s, "getUpdates long-poll seconds")
      ->envname("TRADEBRIDGE_TELEGRAM_POLL_TIMEOUT")
      ->check(CLI::Range(0, 50))
      ->capture_default_str();
  cmd.add_option("--telegram-chat-interval-ms", tg.chat_interval_ms, "per chat: one message per interval after a burst of 3")
      ->envname("TRADEBRIDGE_TELEGRAM_CHAT_INTERVAL_MS")
      ->check(CLI::Range(0, 60'000))
      ->capture_default_str();
  cmd.add_option("--telegram-rate", tg.rate_per_second, "messages per second over all chats")
      ->envname("TRADEBRIDGE_TELEGRAM_RATE")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
}

struct ServeArgs {
  tb::app::ServeOptions options;
  std::string with_exsim;  // --with-exsim's port as given; empty: no simulator
};

Run declare_serve(CLI::App& cmd) {
  auto a = std::make_shared<ServeArgs>();
  add_serve_platform_flags(cmd, a->options, a->with_exsim);
  add_serve_limit_flags(cmd, a->options);
  add_serve_trading_flags(cmd, a->options);
  add_serve_web_flags(cmd, a->options);
  add_serve_telegram_flags(cmd, a->options.telegram);
  return [a] {
    if (!a->with_exsim.empty()) {
      char* end = nullptr;
      long port = std::strtol(a->with_exsim.c_str(), &end, 10);
      if (*end != '\0' || port < 0 || port > 65535) return usage_error("--with-exsim takes a port, got '" + a->with_exsim + "'");
      a->options.with_exsim = static_cast<uint16_t>(port);
    }
    return tb::app::run_serve(std::move(a->options), std::cout, std::cerr);
  };
}

Run declare_keys(CLI::App& cmd) {
  auto o = std::make_shared<tb::app::KeysOptions>();
  cmd.add_option("action", o->action, "verify | rotate-master-key")->required();
  cmd.add_option("--data-dir", o->data_dir, "the server's data directory")->envname("TRADEBRIDGE_DATA_DIR")->capture_default_str();
  cmd.add_option("--master-key-file", o->master_key_file, "master key file (default <data-dir>/master.key)")
      ->envname("TRADEBRIDGE_MASTER_KEY_FILE");
  add_database_flag(cmd, o->database);
  return [o] { return tb::app::run_keys(*o, std::cout, std::cerr); };
}

Run declare_backtest(CLI::App& cmd) {
  auto o = std::make_shared<tb::app::BacktestOptions>();
  cmd.add_option("--strategy", o->strategy, "the strategy (below)");
  cmd.add_option("--params", o->params, "its parameters as a JSON object, as '{\"fast\":10,\"slow\":30}'");
  cmd.add_option("--venue", o->venue, tb::app::venue_choices());
  cmd.add_option("--symbol", o->symbol, "the market: the venue's id (BTCUSDT) or the unified symbol (BTC/USDT)");
  cmd.add_option("--timeframe", o->timeframe, "1m 5m 15m 30m 1h 4h 1d (built from the file's smaller candles if need be)");
  cmd.add_option("--candles", o->candles, "CSV of candles: open_time_ms,open,high,low,close,volume (the simulator's --candles format)");
  cmd.add_option("--from", o->from, "first date (UTC, YYYY-MM-DD[THH:MM[:SS]]); without --candles, with --to: the simulator's seeded walk");
  cmd.add_option("--to", o->to, "end date, not included");
  cmd.add_option("--seed", o->seed, "seed of the simulator's walk")->capture_default_str();
  cmd.add_option("--fee-rate", o->fee_rate, "fee per fill as a fraction of the notional (default: the market's taker fee)");
  cmd.add_option("--volume-quote", o->volume_quote, "notional of each entry, in the quote currency")->capture_default_str();
  cmd.add_option("--candles-out", o->candles_out, "also write the candles the backtest ran on to this CSV file");
  cmd.add_flag("--json", o->json, "print the result as JSON (decimals as strings, times ISO-8601 UTC)");
  return [o] {
    o->progress = isatty(STDERR_FILENO) != 0;
    return tb::app::run_backtest(*o, std::cout, std::cerr);
  };
}

Run declare_candles(CLI::App& cmd) {
  auto o = std::make_shared<tb::app::CandlesOptions>();
  cmd.add_option("action", o->action, "fetch | import | export")->required();
  cmd.add_option("--venue", o->venue, "the venue's id")->required();
  cmd.add_option("--symbol", o->symbol, "the venue's market id")->required();
  cmd.add_option("--timeframe", o->timeframe, "1m 5m 15m 30m 1h 4h 1d")->required();
  cmd.add_option("--from", o->from, "first open time (UTC, YYYY-MM-DD[THH:MM[:SS]]); fetch without it: the last 500 candles");
  cmd.add_option("--to", o->to, "end, not included");
  cmd.add_option("--file", o->file, "import: the CSV to read; export: the CSV to write (default: standard output)");
  cmd.add_option("--base-url", o->base_url, "fetch: the venue's base URL (the simulator's, for example)");
  cmd.add_option("--data-dir", o->data_dir, "the server's data directory")->envname("TRADEBRIDGE_DATA_DIR")->capture_default_str();
  add_database_flag(cmd, o->database);
  return [o] { return tb::app::run_candles(*o, std::cout, std::cerr); };
}

Run declare_robots(CLI::App& cmd) {
  auto o = std::make_shared<tb::app::RobotsOptions>();
  cmd.add_option("action", o->action, "add | list | show | signals | pause | resume | remove")->required();
  cmd.add_option("robot", o->robot, "show, signals, pause, resume, remove: the robot's id or name");
  cmd.add_option("--strategy", o->spec.strategy,
                 "add: the strategy's id (GET /api/v1/strategies lists them), or signal: a robot fed by POST /api/v1/robots/{id}/signals "
                 "that any user may follow (its token printed once)");
  cmd.add_option("--params", o->spec.params_json, "add: the strategy's parameters as a JSON object (missing ones take their defaults)");
  cmd.add_option("--venue", o->spec.venue, "add: the venue's id");
  cmd.add_option("--symbol", o->spec.symbol, "add: the venue's market id");
  cmd.add_option("--timeframe", o->spec.timeframe, "add: 1m 5m 15m 30m 1h 4h 1d");
  cmd.add_option("--name", o->spec.name, "add: a unique name (default: strategy, market, timeframe and venue)");
  cmd.add_option("--since", o->since, "add: when its signals start (UTC date; in the past: caught up at once); default: now");
  cmd.add_option("--data-dir", o->data_dir, "the server's data directory")->envname("TRADEBRIDGE_DATA_DIR")->capture_default_str();
  add_database_flag(cmd, o->database);
  cmd.add_flag("--json", o->json, "print JSON");
  return [o] { return tb::app::run_robots(*o, std::cout, std::cerr); };
}

Run declare_db(CLI::App& cmd) {
  auto o = std::make_shared<tb::app::DbOptions>();
  cmd.add_option("action", o->action, "status | migrate | copy")->required();
  cmd.add_option("--data-dir", o->data_dir, "the server's data directory")->envname("TRADEBRIDGE_DATA_DIR")->capture_default_str();
  add_database_flag(cmd, o->database);
  cmd.add_option("--from", o->from, "copy: the database to copy, sqlite:PATH or postgresql://... (default: --database)");
  cmd.add_option("--to", o->to, "copy: the database to copy into (migrated first; must be empty unless --force)");
  cmd.add_flag("--force", o->force, "copy: empty a target that has rows first");
  return [o] { return tb::app::run_db(*o, std::cout, std::cerr); };
}

Run declare_backup(CLI::App& cmd) {
  auto o = std::make_shared<tb::app::BackupOptions>();
  cmd.add_option("--to", o->to, "the copy to write (mode 0600: it holds the sealed secrets)")->required();
  cmd.add_flag("--force", o->force, "overwrite FILE when it exists");
  cmd.add_option("--data-dir", o->data_dir, "the server's data directory")->envname("TRADEBRIDGE_DATA_DIR")->capture_default_str();
  add_database_flag(cmd, o->database);
  return [o] { return tb::app::run_backup(*o, std::cout, std::cerr); };
}

// The usage text: the program's line, then each command's name, line and footer, in the order
// `tradebridge --help` lists them; `declare` adds the command's own flags.
const char* const kAbout = "tradebridge: a self-hosted automated crypto-trading platform";

struct Command {
  std::string name;
  std::string about;
  std::string footer;  // after the flags in the command's --help; empty: none
  Run (*declare)(CLI::App& command);
};

std::vector<Command> commands() {
  return {
      {"exchange", "Call a venue's REST API, or print the exact signed request (--dry-run)", tb::app::exchange_help(), declare_exchange},
      {"exsim", "Run the exchange simulator: " + tb::app::simulated_venues() + " on one loopback port",
       "Admin API (JSON): POST/GET /exsim/v1/keys, DELETE /exsim/v1/keys/{key}, POST /exsim/v1/prices,\n"
       "POST/GET/DELETE /exsim/v1/faults, GET /exsim/v1/orders?key=K, POST /exsim/v1/fills, GET /exsim/v1/markets?venue=V; a page at /.\n"
       "The first line on stdout is {\"listening\":\"http://127.0.0.1:PORT\"}.",
       declare_exsim},
      {"serve", "Run the platform: REST API, background key tests and re-checks", "", declare_serve},
      {"keys", "Operator tasks on the key vault", "", declare_keys},
      {"backtest", "Run a robot strategy over past candles: statistics and trades", tb::app::backtest_help(), declare_backtest},
      {"candles", "The candles robots read, in the data directory: fetch from a venue, import or export a CSV", "", declare_candles},
      {"robots", "The robots' catalogue on the data directory: add, list, show, pause, resume, remove", "", declare_robots},
      {"db", "The database: status (its migrations as found), migrate (apply the pending ones), copy (into another database)",
       "copy: every table, ids and sealed secrets as they are, each table's rows counted on both sides; stop serve first\n"
       "(README, \"Moving to PostgreSQL\"). Example: db copy --from sqlite:./var/tradebridge.db --to postgresql://tb@db/tradebridge",
       declare_db},
      {"backup", "An online, verified copy of the SQLite database (PostgreSQL: prints the pg_dump to run)",
       "While serve runs too. Restore: stop serve, put the copy in place as the database file (README, \"Backup and restore\").",
       declare_backup},
  };
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{kAbout};
  app.require_subcommand(1);
  std::map<std::string, Run> runs;  // by command name
  for (const auto& c : commands()) {
    auto* command = app.add_subcommand(c.name, c.about);
    if (!c.footer.empty()) command->footer(c.footer);
    runs[c.name] = c.declare(*command);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help is a ParseError too (code 0); every other is bad command-line input: exit 2, as each command's
    // own checks answer (CLI11 would give 104-120 by kind).
    return app.exit(e) == 0 ? 0 : 2;
  }
  scrub_argv_value(argc, argv, "--secret");
  scrub_database_password(argc, argv);
  auto chosen = app.get_subcommands();  // exactly one: require_subcommand(1)
  return chosen.empty() ? 0 : runs.at(chosen.front()->get_name())();
}
