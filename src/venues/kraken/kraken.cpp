#include "venues/kraken/kraken.hpp"

namespace tb::venues {

std::unique_ptr<Venue> make_kraken(VenueContext, VenueConfig) { return nullptr; }  // placeholder until the connector lands

}  // namespace tb::venues
