#pragma once
#include <memory>

#include "venues/venue.hpp"

namespace tb::venues {

std::unique_ptr<Venue> make_kraken(VenueContext ctx, VenueConfig config);

}  // namespace tb::venues
