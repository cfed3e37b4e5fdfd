#pragma once
// `tradebridge exsim` in one object: the Exchange engine, the venue protocols over it, the admin API and
// the page, behind one net::HttpServer on one port.
//
// Routing: /exsim/v1/... -> admin API; "/" -> the API-management page; a path a VenueSim owns -> that venue,
// after the injected fault (Exchange::take_fault) and the global latency; anything else -> 404 JSON.
//
// The admin API has no authentication: the simulator is a loopback test tool and must never be exposed to
// a network anyone else can reach.
#include <utility>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/core.hpp"
#include "exsim/engine/exchange.hpp"
#include "exsim/venue_sim.hpp"
#include "net/http_server.hpp"
#include "net/transport.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace tb::exsim {

struct SimulatorOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: the system picks; port() tells which
  // Price paths, key generation and probability faults reproducible from this seed; without one, keys come
  // from the system CSPRNG (two simulators never share a key) and prices move as with seed 1.
  std::optional<uint64_t> seed;
  std::string state_file;                           // empty: nothing is loaded or saved
  std::chrono::milliseconds latency{0};             // added before every venue answer (--latency-ms)
  std::chrono::milliseconds timeout_hold{600'000};  // a "timeout" fault without hold_ms holds the request this long, then hangs up
  std::chrono::milliseconds save_interval{2'000};   // state is saved this often when something changed
};

class AdminApi;

using VenueFactory = std::function<std::vector<std::unique_ptr<VenueSim>>(Exchange&)>;

class Simulator {
 public:
  // venues builds the protocols over the engine (default_venue_sims from exsim/venues.hpp in production);
  // sleeper is how latency and held requests wait (nullptr: real timers on io).
  Simulator(boost::asio::io_context& io, SimulatorOptions options, const Clock& clock, const VenueFactory& venues,
            net::Sleeper* sleeper = nullptr);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Loads the state file if it exists (an unreadable one is an error: it is never overwritten), listens,
  // and starts the periodic save.
  Status start();
  // Stops listening and saves the state. Safe to call twice.
  void stop();

  uint16_t port() const;
  std::string base_url() const;  // http://127.0.0.1:PORT (a wildcard listen address reads as loopback)

  // Every request, without a socket: what the server calls, and what in-process users and tests call.
  net::Task<net::HttpResponse> handle(net::HttpRequest request);

  Exchange& exchange() { return *exchange_; }
  Status save_state();  // now, if a state file is configured
  void mark_dirty() { dirty_ = true; }

 private:
  net::Task<net::HttpResponse> handle_venue(VenueSim& sim, net::HttpRequest request, std::string path, std::string query);
  net::HttpResponse accept_ws(VenueSim& sim, const net::HttpRequest& request);
  net::Task<void> wait(std::chrono::milliseconds d);
  struct SaveTimer;
  net::Task<void> save_loop(std::shared_ptr<SaveTimer> timer);
  VenueSim* venue_for(std::string_view path) const;

  boost::asio::io_context& io_;
  SimulatorOptions options_;
  std::unique_ptr<Exchange> exchange_;
  std::vector<std::unique_ptr<VenueSim>> venues_;
  std::unique_ptr<net::Sleeper> own_sleeper_;
  net::Sleeper* sleeper_;
  std::unique_ptr<AdminApi> admin_;
  std::unique_ptr<net::HttpServer> server_;
  std::shared_ptr<SaveTimer> save_timer_;
  std::atomic<bool> dirty_{false};
  std::atomic<bool> running_{false};
};

}  // namespace tb::exsim
