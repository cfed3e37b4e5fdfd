#pragma once
// `tradebridge exsim`: the exchange simulator (every venue of its registry) on one loopback
// port, until SIGINT or SIGTERM. A test and paper-trading tool: its admin API has no authentication, so it
// listens on 127.0.0.1 unless told otherwise and must never be exposed.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace tb::app {

struct ExsimOptions {
  uint16_t port = 8081;          // 0: the system picks a free port
  std::optional<uint64_t> seed;  // price paths, keys, fault draws; none: keys from the CSPRNG (see SimulatorOptions)
  std::string state;             // state file: loaded at start, saved on changes and at exit
  int latency_ms = 0;            // added to every venue answer
  std::string listen = "127.0.0.1";
  // "VENUE:SYMBOL=FILE": replay that CSV of candles (open_time_ms,open,high,low,close,volume) as the
  // market's price path, one row a minute from now on, instead of the random walk.
  std::vector<std::string> candles;
};

// Prints {"listening":"http://127.0.0.1:PORT"} as the first line on out (flushed: test runners wait for
// it), a hint for people on err, and serves until a signal. Returns 0 after a clean stop, 1 when it cannot
// start (port taken, unreadable state file).
int run_exsim(ExsimOptions options, std::ostream& out, std::ostream& err);

// "A, B and C": the venues the simulator serves, from its registry.
std::string simulated_venues();

}  // namespace tb::app
