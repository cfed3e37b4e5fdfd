#pragma once
// One venue of the real exchange simulator in-process, with tradebridge's own connector wired to it: each
// request becomes a SimRequest for VenueSim::handle, injected faults answered as the exsim server answers
// them (timeout: no answer, outcome unknown). One ManualClock drives connector, engine and sleeps.
#include <utility>

#include <memory>
#include <stdexcept>
#include <string>

#include "exsim/server/fault_answers.hpp"
#include "exsim/venues.hpp"
#include "support/harness.hpp"
#include "venues/registry.hpp"

namespace tb::accounts::test {

using exsim::to_sim_request;

inline std::unique_ptr<exsim::VenueSim> make_sim(const std::string& venue, exsim::Exchange& ex) {
  for (auto& s : exsim::default_venue_sims(ex))
    if (s->venue() == venue) return std::move(s);
  throw std::runtime_error("no simulator for " + venue);
}

struct SimWorld {
  explicit SimWorld(std::string venue_id) : venue_id(std::move(venue_id)) {
    harness.transport.set_handler([this](const net::HttpRequest& r) { return answer(r); });
    venues::VenueConfig config;
    config.base_url = "http://127.0.0.1:8081";
    venue = venues::make_venue(this->venue_id, harness.context(), config);
    if (!venue) throw std::runtime_error("no connector for " + this->venue_id);
  }

  Result<net::HttpResponse> answer(const net::HttpRequest& r) {
    exsim::SimRequest s = to_sim_request(r, peer_ip);
    std::string endpoint = sim->endpoint(s.path);
    bool cut_answer = false;
    if (auto fault = exchange.take_fault(venue_id, endpoint)) {
      if (*fault == "bad_json") cut_answer = true;  // processed, then the answer is cut on its way back
      if (*fault == "timeout") {
        Error e = Error::make(ErrorKind::NetworkError, "timed out");
        e.outcome_unknown = true;
        return e;
      }
      if (*fault == "http_500") return sim->internal_error();  // in the venue's own shape
      if (*fault == "rate_limit") return sim->rate_limited_on(endpoint);
      if (*fault == "maintenance") return sim->maintenance();
    }
    auto out = sim->handle(s);
    if (cut_answer) return exsim::truncated_answer(std::move(out));
    // The venue did the work but its answer is lost on the way back.
    if (lose_answers_of == endpoint && lose_count > 0) {
      --lose_count;
      Error e = Error::make(ErrorKind::NetworkError, "connection reset after sending");
      e.outcome_unknown = true;
      return e;
    }
    return out;
  }

  // The quote asset each venue trades the test order against.
  std::string quote() const { return venue_id == "binance_futures" ? "USDT" : "USD"; }

  exsim::ApiKey key(exsim::KeyPermissions p, std::string quote_amount = "10000", std::vector<std::string> whitelist = {}) {
    exsim::NewKey spec;
    spec.venue = venue_id;
    spec.label = "keytest";
    spec.permissions = p;
    spec.ip_whitelist = std::move(whitelist);
    spec.balances[quote()] = *Decimal::parse(quote_amount);
    if (venue_id != "binance_futures") spec.balances["BTC"] = *Decimal::parse("0.5");
    auto k = exchange.create_key(spec);
    if (!k) throw std::runtime_error(k.error().describe());
    return *k;
  }
  static exsim::KeyPermissions trading() { return {.read = true, .trade = true, .futures = true, .withdraw = false}; }

  std::string venue_id;
  tb::test::VenueHarness harness{
      [](const net::HttpRequest&) -> Result<net::HttpResponse> { return Error::make(ErrorKind::NetworkError, "unset"); }};
  exsim::Exchange exchange{harness.clock, 7};
  std::unique_ptr<exsim::VenueSim> sim = make_sim(venue_id, exchange);
  std::unique_ptr<venues::Venue> venue;
  std::string peer_ip = "127.0.0.1";
  std::string lose_answers_of;
  int lose_count = 0;
};

inline crypto::LocalSigner signer_for(const exsim::ApiKey& k) { return crypto::LocalSigner(k.key, crypto::Secret(k.secret)); }

}  // namespace tb::accounts::test
