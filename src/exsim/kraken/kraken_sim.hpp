#pragma once
// Kraken Spot REST on top of the simulator's engine: /0/public/<Method> and /0/private/<Method>.
// make_kraken_sim is declared with the other venues in exsim/venues.hpp; this header is the folder's door.
#include "exsim/engine/exchange.hpp"
#include "exsim/venues.hpp"
