#pragma once
// The simulator's registry: the one place that names every venue it serves. Each is defined in its own
// folder (exsim/<venue>/): its protocol (a VenueSim) and its facts for the engine (a SimVenue). The server
// builds the protocols over one shared Exchange and routes requests to whichever owns the path.
#include <memory>
#include <string>
#include <vector>

#include "exsim/engine/sim_venue.hpp"
#include "exsim/venue_sim.hpp"

namespace tb::exsim {

std::unique_ptr<VenueSim> make_binance_futures_sim(Exchange& exchange);  // /fapi/... /sapi/...
std::unique_ptr<VenueSim> make_kraken_sim(Exchange& exchange);           // /0/public/... /0/private/...
std::unique_ptr<VenueSim> make_bitfinex_sim(Exchange& exchange);         // /v2/...

// All three, in that order.
std::vector<std::unique_ptr<VenueSim>> default_venue_sims(Exchange& exchange);
// Their facts for the engine, in the same order.
const std::vector<SimVenue>& default_sim_venues();

}  // namespace tb::exsim
