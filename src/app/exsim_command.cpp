#include "app/exsim_command.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <nlohmann/json.hpp>

#include "exsim/server/simulator.hpp"
#include "exsim/venues.hpp"

namespace tb::app {

int run_exsim(ExsimOptions options, std::ostream& out, std::ostream& err) {
  boost::asio::io_context io;
  exsim::SimulatorOptions sim_options;
  sim_options.address = options.listen;
  sim_options.port = options.port;
  sim_options.seed = options.seed;
  sim_options.state_file = options.state;
  sim_options.latency = std::chrono::milliseconds(options.latency_ms);
  exsim::Simulator sim(io, sim_options, SystemClock::instance(), exsim::default_venue_sims);
  if (auto started = sim.start(); !started) {
    err << nlohmann::json{{"error", {{"kind", to_string(started.error().kind)}, {"message", started.error().message}}}}.dump(2) << "\n";
    return 1;
  }
  std::string url = sim.base_url();
  out << nlohmann::json{{"listening", url}}.dump() << std::endl;  // endl: flushed, test runners wait for this line
  err << "exsim: Binance USD-M Futures, Kraken and Bitfinex on " << url << "\n"
      << "  API keys:  open " << url << "/ (or POST " << url << "/exsim/v1/keys)\n"
      << "  base URLs: binance_futures " << url << "  kraken " << url << "  bitfinex " << url << "\n"
      << (options.state.empty() ? std::string("  state: in memory only (--state FILE keeps it)\n") : "  state: " + options.state + "\n")
      << "  loopback test tool: the admin API has no login, never expose this port. Ctrl-C stops.\n";
  if (options.listen != "127.0.0.1" && options.listen != "::1" && options.listen != "localhost")
    err << "exsim: WARNING: listening on " << options.listen << ": anyone who can reach it can create keys and read every order\n";

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    sim.stop();  // saves the state
    io.stop();
  });
  io.run();
  sim.stop();
  err << "exsim: stopped" << (options.state.empty() ? "" : ", state saved to " + options.state) << "\n";
  return 0;
}

}  // namespace tb::app
