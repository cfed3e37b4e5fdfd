#pragma once
// Runs tasks concurrently on the caller's executor and waits for them all: the fan-out of one signal to
// every user robot (Boost 1.74 has no parallel group).
#include <vector>

#include "net/transport.hpp"

namespace tb::trading {

// The sum of the tasks' results; a task that throws counts 0 (and is logged by its caller, not here).
net::Task<int64_t> run_all(std::vector<net::Task<int64_t>> tasks);

}  // namespace tb::trading
