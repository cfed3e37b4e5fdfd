#pragma once
// Kraken spot. Its order objects carry their `fee` (Order::fee; fee_asset left empty: the answer does not
// name it, and Kraken charges the quote currency unless the order's oflags hold fcib), so it lists no
// fills per order (order_trades answers InvalidArgument).
#include <memory>

#include "venues/venue.hpp"

namespace tb::venues {

std::unique_ptr<Venue> make_kraken(VenueContext ctx, VenueConfig config);

}  // namespace tb::venues
