#pragma once
// Bitfinex as data: names, key formats, key guide, refusal advice (venues/description.hpp).
#include "venues/description.hpp"

namespace tb::venues::bitfinex {

const VenueDescription& description();

}  // namespace tb::venues::bitfinex
