#pragma once
// A Simulator with the fake venue (or the venues given), a manual clock and an instant sleeper, driven
// through handle() with no socket: routing, faults and the admin API seen exactly as the server sees them.
#include <utility>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "exsim/server/fake_venue.hpp"
#include "exsim/server/simulator.hpp"
#include "support/harness.hpp"

namespace tb::exsim::test {

using nlohmann::json;

struct SimFixture {
  explicit SimFixture(SimulatorOptions options = {}, VenueFactory venues = {})
      : sim(io, std::move(options), clock, venues ? venues : VenueFactory([this](Exchange& e) { return fake(e); }), &sleeper) {}

  net::HttpResponse call(std::string method, std::string target, std::string body = {}, std::vector<net::Header> headers = {}) {
    net::HttpRequest r;
    r.method = std::move(method);
    r.url = std::move(target);
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.headers.push_back({"X-Peer-Addr", "10.1.2.3:4567"});
    return tb::test::run(sim.handle(std::move(r)));
  }
  json call_json(std::string method, std::string target, std::string body = {}) {
    auto r = call(std::move(method), std::move(target), std::move(body));
    return json::parse(r.body, nullptr, false);
  }
  json create_key(const json& spec) {
    auto r = call("POST", "/exsim/v1/keys", spec.dump());
    if (r.status != 200) throw std::runtime_error("create_key: " + std::to_string(r.status) + " " + r.body);
    return json::parse(r.body);
  }
  void add_fault(const json& spec) {
    auto r = call("POST", "/exsim/v1/faults", spec.dump());
    if (r.status != 200) throw std::runtime_error("add_fault: " + std::to_string(r.status) + " " + r.body);
  }

  boost::asio::io_context io;
  ManualClock clock{1'700'000'000'000};
  tb::test::InstantSleeper sleeper{clock};
  FakeVenues fake;
  Simulator sim;
};

}  // namespace tb::exsim::test
