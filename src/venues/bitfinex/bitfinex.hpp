#pragma once
#include <memory>

#include "venues/venue.hpp"

namespace tb::venues {

std::unique_ptr<Venue> make_bitfinex(VenueContext ctx, VenueConfig config);

}  // namespace tb::venues
