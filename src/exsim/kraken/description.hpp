#pragma once
// What the engine knows of Kraken: key formats, default markets with their rules and fees (sim_venue.hpp).
#include "exsim/engine/sim_venue.hpp"

namespace tb::exsim::kraken {

SimVenue description();

}  // namespace tb::exsim::kraken
