#pragma once
// Shared by the bitfinex tests: run a venue call to its Result, and the venue's documented answers.
#include <optional>

#include "support/harness.hpp"

namespace tb::venues::bitfinex {

using test::run;

}  // namespace tb::venues::bitfinex
