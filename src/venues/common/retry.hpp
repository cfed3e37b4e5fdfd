#pragma once
// Which failures are worth another try, and how long to wait first. Only calls that are safe to repeat
// (reads) are ever retried; an order sent twice is a real loss.
#include <chrono>
#include <string_view>

#include "core/core.hpp"

namespace tb::venues {

bool is_transient(const Error& e);                                   // network trouble, 5xx, rate limits with a short wait
std::chrono::milliseconds retry_delay(const Error& e, int attempt);  // attempt = 1, 2, ...

// What a call answers instead of sleeping through a budget wait longer than VenueConfig::max_throttle_wait.
Error rate_limit_wait(std::string_view venue_name, std::chrono::milliseconds wait);

}  // namespace tb::venues
