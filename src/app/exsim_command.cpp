#include "app/exsim_command.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/open_files.hpp"
#include "exsim/server/simulator.hpp"
#include "exsim/venues.hpp"

namespace tb::app {
namespace {

Status load_candles(exsim::Exchange& exchange, const std::string& spec) {
  auto colon = spec.find(':');
  auto eq = spec.find('=', colon == std::string::npos ? 0 : colon);
  if (colon == std::string::npos || eq == std::string::npos || colon == 0 || eq == colon + 1 || eq + 1 == spec.size())
    return Error::make(ErrorKind::InvalidArgument, "--candles takes VENUE:SYMBOL=FILE, got '" + spec + "'");
  std::string file = spec.substr(eq + 1);
  std::ifstream in(file);
  if (!in) return Error::make(ErrorKind::InvalidArgument, "--candles: cannot read " + file);
  std::stringstream text;
  text << in.rdbuf();
  auto loaded = exchange.load_candles_csv(spec.substr(0, colon), spec.substr(colon + 1, eq - colon - 1), text.str());
  if (!loaded) return Error::make(ErrorKind::InvalidArgument, "--candles " + spec + ": " + loaded.error().message);
  return ok_status();
}

}  // namespace

std::string simulated_venues() {
  const auto& all = exsim::default_sim_venues();
  std::string out;
  for (size_t i = 0; i < all.size(); ++i) out += (i == 0 ? "" : i + 1 == all.size() ? " and " : ", ") + all[i].display_name;
  return out;
}

int run_exsim(ExsimOptions options, std::ostream& out, std::ostream& err) {
  raise_open_files_limit();
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
  for (auto& spec : options.candles) {
    auto loaded = load_candles(sim.exchange(), spec);
    if (!loaded) {
      err << nlohmann::json{{"error", {{"kind", to_string(loaded.error().kind)}, {"message", loaded.error().message}}}}.dump(2) << "\n";
      return 1;
    }
  }
  std::string url = sim.base_url();
  out << nlohmann::json{{"listening", url}}.dump() << std::endl;  // endl: flushed, test runners wait for this line
  std::string base_urls;
  for (const auto& v : sim.exchange().venues()) base_urls += (base_urls.empty() ? "" : "  ") + v.id + " " + url;
  err << "exsim: " << simulated_venues() << " on " << url << "\n"
      << "  API keys:  open " << url << "/ (or POST " << url << "/exsim/v1/keys)\n"
      << "  base URLs: " << base_urls << "\n"
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
