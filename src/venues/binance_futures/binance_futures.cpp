#include "venues/binance_futures/binance_futures.hpp"

namespace tb::venues {

std::unique_ptr<Venue> make_binance_futures(VenueContext, VenueConfig) { return nullptr; }  // placeholder until the connector lands

}  // namespace tb::venues
