#pragma once
// Kraken as data: names, key formats, key guide, refusal advice (venues/description.hpp).
#include "venues/description.hpp"

namespace tb::venues::kraken {

const VenueDescription& description();

}  // namespace tb::venues::kraken
