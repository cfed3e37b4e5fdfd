#pragma once
// `tradebridge serve`: the platform — the REST API, background key tests and re-checks, and (with
// --with-exsim) the exchange simulator in-process with every venue pointed at it.
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "app/telegram_wiring.hpp"

namespace tb::app {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string data_dir = "./var";
  std::string database;                 // --database URL; empty: sqlite:<data-dir>/tradebridge.db
  std::vector<std::string> venue_urls;  // VENUE=URL, each replaces that venue's base URLs
  bool orders_over_websocket = false;   // orders (key tests' too) over the venues' WebSocket APIs where they have one
  std::optional<uint16_t> with_exsim;   // the simulator's port (0: any free one)
  int exsim_latency_ms = 0;
  std::string master_key_file;  // empty: <data-dir>/master.key
  std::string egress_ip;        // this server's address as exchanges see it (for IP whitelists)
  int64_t recheck_interval_s = 6 * 3600;
  int64_t robot_price_interval_s = 5;         // how often the robots' runner looks for closed candles
  int64_t signal_max_lag_s = 60;              // a signal robot's signal older than this (by its time) is refused
  int64_t trade_interval_ms = 1000;           // how often the trading desk looks for new signals and unsettled orders
  int64_t reconcile_interval_s = 60;          // how often trading accounts' orders and positions are compared with ours
  int64_t reconcile_accounts = 25;            // accounts reconciled each time, in turn
  int64_t order_timeout_s = 120;              // a robot's limit order rests this long, then is placed a step further
  int64_t key_test_retry_window_s = 30 * 60;  // the exchange's trouble defers a key test this long, then `unverified`
  int64_t key_test_retry_max_wait_s = 120;    // the longest wait between two tries (unless the venue asks for more)
  // The per-user caps (counted from the store's rows) and the abuse limits (the store's limit_entries) hold
  // across every process on the database; the per-connection ones (max_streams_per_user,
  // max_connections_per_ip) are per process on purpose: they bound what each process holds open.
  int max_accounts_per_user = 50;             // 0: no cap
  int key_tests_per_hour = 30;                // per user: adds, key replacements and re-tests; 0: no cap
  std::string password_cost = "interactive";  // interactive | fast (tests only)
  int register_limit = 10;                    // new accounts per client IP per hour (0: no limit)
  int64_t session_idle_s = 12 * 3600;         // a session unused this long ends
  int max_streams_per_user = 5;               // open GET /api/v1/events per user
  std::string tls_cert, tls_key;
  std::string web_dir;                    // the web app's files; empty: the repository's web/ when present
  size_t max_connections_per_ip = 64;     // open connections from one address (0: no cap); proxies are exempt
  std::vector<std::string> behind_proxy;  // addresses of the TLS-terminating proxies in front (X-Forwarded-For)
  std::string metrics_listen;             // ADDRESS:PORT serving /metrics alone (then not on --listen)
  std::string metrics_token;              // Bearer token /metrics requires
  TelegramSettings telegram;              // the bot runs when a token is given
  std::string log_format = "text";        // text | json: one JSON object per line on stderr
};

// Prints {"listening":URL,"api":...,"exsim":...} as the first line on out (flushed), a summary for people
// on err, and serves until SIGINT or SIGTERM. Returns 0 after a clean stop, 1 when it cannot start.
// --log-format json: everything written to err and std::cerr becomes JSON lines on the process's stderr.
int run_serve(ServeOptions options, std::ostream& out, std::ostream& err);

}  // namespace tb::app
