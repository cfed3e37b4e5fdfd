#include "venues/registry.hpp"

#include "venues/binance_futures/description.hpp"
#include "venues/bitfinex/description.hpp"
#include "venues/kraken/description.hpp"

namespace tb::venues {

const std::vector<VenueDescription>& supported_venues() {
  static const std::vector<VenueDescription> venues = {
      binance_futures::description(),
      kraken::description(),
      bitfinex::description(),
  };
  return venues;
}

const VenueDescription* find_venue(std::string_view id) {
  for (const auto& v : supported_venues())
    if (v.id == id) return &v;
  return nullptr;
}

std::string_view display_name_of(std::string_view id) {
  const VenueDescription* v = find_venue(id);
  return v ? v->display_name : id;
}

std::string venue_ids(std::string_view separator) {
  std::string out;
  for (const auto& v : supported_venues()) out += (out.empty() ? "" : std::string(separator)) + std::string(v.id);
  return out;
}

}  // namespace tb::venues
