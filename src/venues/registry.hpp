#pragma once
// The one place that names every venue: their descriptions, in the order users see them (registry.cpp), and
// their connectors (connectors.cpp). The descriptions come without connector code.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "venues/description.hpp"

namespace tb::venues {

class Venue;
struct VenueContext;
struct VenueConfig;

const std::vector<VenueDescription>& supported_venues();
// nullptr for an unknown id.
const VenueDescription* find_venue(std::string_view id);
// The display name of a venue; an unknown id as it is.
std::string_view display_name_of(std::string_view id);
// Every venue id, joined: "a, b, c".
std::string venue_ids(std::string_view separator = ", ");

// The venue's connector; nullptr for an unknown id. Defined in connectors.cpp (include venues/venue.hpp to call it).
std::unique_ptr<Venue> make_venue(std::string_view id, VenueContext ctx, VenueConfig config);
std::unique_ptr<Venue> make_venue(std::string_view id, VenueContext ctx);  // the default config

}  // namespace tb::venues
