#include "venues/bitfinex/bitfinex.hpp"

namespace tb::venues {

std::unique_ptr<Venue> make_bitfinex(VenueContext, VenueConfig) { return nullptr; }  // placeholder until the connector lands

}  // namespace tb::venues
