#pragma once
// Kraken Spot REST on top of the simulator's engine: /0/public/<Method> and /0/private/<Method>.
#include <memory>

#include "exsim/engine/exchange.hpp"
#include "exsim/venue_sim.hpp"

namespace tb::exsim {

std::unique_ptr<VenueSim> make_kraken_sim(Exchange& exchange);

}  // namespace tb::exsim
