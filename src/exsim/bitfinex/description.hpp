#pragma once
// What the engine knows of Bitfinex: key formats, default markets with their rules and fees (sim_venue.hpp).
#include "exsim/engine/sim_venue.hpp"

namespace tb::exsim::bitfinex {

SimVenue description();

}  // namespace tb::exsim::bitfinex
