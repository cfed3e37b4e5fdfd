#include "venues/futures_settings.hpp"

namespace tb::venues {

FuturesSettings* futures_settings(Venue& venue) { return venue.futures_settings(); }

}  // namespace tb::venues
