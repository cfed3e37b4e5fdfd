#pragma once
// Candles a live robot may step through: without a hole. A venue's answer can leave one (a candle it has
// not made yet, or a stretch it never makes: some venues send no candle for a minute without trades); the
// robot stops before it and the next pass asks the venue again from there. A hole still there after
// `tries` passes, with candles after it (the venue has moved on), is the venue's own: each of its candles
// is filled flat at the close before it with volume 0 (the mark of a filled candle), stored like the
// venue's, and stepped.
#include <cstdint>
#include <vector>

#include "core/types.hpp"

namespace tb::robots {

// A robot's first hole as the passes saw it (kept in memory: a restart only asks again).
struct GapWatch {
  int64_t gap_ms = -1;        // open time of the first missing candle; -1: none seen
  int64_t first_seen_ms = 0;  // when it was first seen missing
  int passes = 0;             // passes that saw it missing
};

struct Steppable {
  std::vector<Candle> candles;  // from the expected one on, without a hole, fills included
  std::vector<Candle> filled;   // the fills among them, to store
};

// `fetched`: the venue's closed candles, sorted. `expected_ms`: the candle the robot needs next (for a robot
// without a state, the first fetched). `previous`: the candle before it, when the robot has one (the close a
// fill repeats). Updates `watch` for the hole it stops at, if any.
Steppable steppable(const std::vector<Candle>& fetched, int64_t expected_ms, const Candle* previous, int64_t width, int64_t now_ms,
                    int tries, GapWatch& watch);

}  // namespace tb::robots
