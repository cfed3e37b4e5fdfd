#pragma once
// Binance USD-M Futures as data: names, key formats, key guide, refusal advice (venues/description.hpp).
#include "venues/description.hpp"

namespace tb::venues::binance_futures {

const VenueDescription& description();

}  // namespace tb::venues::binance_futures
