#pragma once
// The three venue protocols the simulator serves. Each is defined in its own folder (exsim/<venue>/); the
// server builds them over one shared Exchange and routes requests to whichever owns the path.
#include <memory>
#include <vector>

#include "exsim/venue_sim.hpp"

namespace tb::exsim {

std::unique_ptr<VenueSim> make_binance_futures_sim(Exchange& exchange);  // /fapi/... /sapi/...
std::unique_ptr<VenueSim> make_kraken_sim(Exchange& exchange);           // /0/public/... /0/private/...
std::unique_ptr<VenueSim> make_bitfinex_sim(Exchange& exchange);         // /v2/...

// All three, in that order.
std::vector<std::unique_ptr<VenueSim>> default_venue_sims(Exchange& exchange);

}  // namespace tb::exsim
