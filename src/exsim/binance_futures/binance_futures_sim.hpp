#pragma once
// Binance USD-M Futures (`/fapi/...`, plus the spot host's `/sapi/...` key endpoints) spoken on top of the
// simulator's engine, as exchanges.md §2 describes the venue and as ccxt's binanceusdm reads it.
#include <memory>

#include "exsim/venue_sim.hpp"

namespace tb::exsim {

std::unique_ptr<VenueSim> make_binance_futures_sim(Exchange& exchange);

}  // namespace tb::exsim
