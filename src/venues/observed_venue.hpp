#pragma once
// A Venue that reports the outcome of every call (for the metrics "venue calls by outcome") and passes
// everything else through to the venue it wraps.
#include <functional>
#include <memory>
#include <string_view>

#include "venues/venue.hpp"

namespace tb::venues {

// outcome: "ok" or the error kind ("rate_limited", "network_error", ...).
using CallObserver = std::function<void(std::string_view venue, Action action, std::string_view outcome)>;

std::unique_ptr<Venue> observe_calls(std::unique_ptr<Venue> venue, CallObserver observer);

}  // namespace tb::venues
