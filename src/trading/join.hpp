#pragma once
// Runs tasks concurrently on the caller's executor and waits for them all: the fan-out of one signal to
// every user robot (Boost 1.74 has no parallel group).
#include <functional>
#include <vector>

#include "net/transport.hpp"

namespace tb::trading {

// The sum of the tasks' results; a task that throws counts 0 (and is logged by its caller, not here).
net::Task<int64_t> run_all(std::vector<net::Task<int64_t>> tasks);

// The tasks task(0) .. task(n - 1), made as they start and at most `width` at once (each of `width` workers
// takes the next when its last is done): a fan-out to thousands of accounts holds the memory of `width` of
// them at a time, not of all while most wait for a connection. The sum of their results, as run_all.
net::Task<int64_t> run_limited(size_t n, size_t width, std::function<net::Task<int64_t>(size_t index)> task);

}  // namespace tb::trading
