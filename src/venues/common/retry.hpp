#pragma once
// Which failures are worth another try, and how long to wait first. Only calls that are safe to repeat
// (reads) are ever retried; an order sent twice is a real loss.
#include <chrono>

#include "core/core.hpp"

namespace tb::venues {

bool is_transient(const Error& e);  // network trouble, 5xx, rate limits with a short wait
std::chrono::milliseconds retry_delay(const Error& e, int attempt);  // attempt = 1, 2, ...

}  // namespace tb::venues
