#pragma once
// The one place that names every venue.
#include <memory>
#include <string_view>
#include <vector>

#include "venues/venue.hpp"

namespace tb::venues {

struct VenueInfo {
  std::string_view id;
  std::string_view display_name;
};

const std::vector<VenueInfo>& supported_venues();
// nullptr for an unknown id.
std::unique_ptr<Venue> make_venue(std::string_view id, VenueContext ctx, VenueConfig config = {});

}  // namespace tb::venues
