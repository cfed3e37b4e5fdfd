#pragma once
// tradebridge's own Bitfinex connector wired to the simulator in-process: every net::HttpRequest the
// connector sends becomes a SimRequest (raw path, query and body) handed to the VenueSim, with injected
// faults answered as the server answers them. One ManualClock drives the connector, the engine and sleeps.
#include <memory>
#include <string>

#include "exsim/bitfinex/bitfinex_sim.hpp"
#include "support/harness.hpp"
#include "venues/registry.hpp"

namespace tb::exsim::test_support {

struct SimWorld {
  SimWorld() {
    harness.transport.set_handler([this](const net::HttpRequest& r) -> Result<net::HttpResponse> { return answer(r); });
    venues::VenueConfig config;
    config.base_url = "http://127.0.0.1:8081";
    venue = venues::make_venue("bitfinex", harness.context(), config);
  }

  net::HttpResponse answer(const net::HttpRequest& r) {
    SimRequest s = to_sim_request(r, peer_ip);
    if (auto fault = exchange.take_fault("bitfinex", sim->endpoint(s.path))) {
      if (*fault == "rate_limit") return sim->rate_limited();
      if (*fault == "maintenance") return sim->maintenance();
    }
    return sim->handle(s);
  }

  // A key with its own account; USD and BTC to trade with.
  ApiKey key(KeyPermissions p, std::vector<std::string> whitelist = {}, std::string usd = "10000", std::string btc = "1") {
    NewKey spec;
    spec.venue = "bitfinex";
    spec.label = "test";
    spec.permissions = p;
    spec.ip_whitelist = std::move(whitelist);
    spec.balances["USD"] = *Decimal::parse(usd);
    spec.balances["BTC"] = *Decimal::parse(btc);
    auto k = exchange.create_key(spec);
    if (!k) throw std::runtime_error(k.error().describe());
    return *k;
  }
  static crypto::LocalSigner signer(const ApiKey& k) { return crypto::LocalSigner(k.key, crypto::Secret(k.secret)); }

  test::VenueHarness harness{
      [](const net::HttpRequest&) -> Result<net::HttpResponse> { return Error::make(ErrorKind::NetworkError, "unset"); }};
  Exchange exchange{harness.clock, 1};
  std::unique_ptr<VenueSim> sim = make_bitfinex_sim(exchange);
  std::unique_ptr<venues::Venue> venue;
  std::string peer_ip = "127.0.0.1";
};

}  // namespace tb::exsim::test_support
