#pragma once
// What the engine knows of Binance USD-M Futures: key formats, default markets with their rules and fees (sim_venue.hpp).
#include "exsim/engine/sim_venue.hpp"

namespace tb::exsim::binance_futures {

SimVenue description();

}  // namespace tb::exsim::binance_futures
