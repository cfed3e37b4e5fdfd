#pragma once
#include <memory>

#include "venues/venue.hpp"

namespace tb::venues {

std::unique_ptr<Venue> make_binance_futures(VenueContext ctx, VenueConfig config);

}  // namespace tb::venues
