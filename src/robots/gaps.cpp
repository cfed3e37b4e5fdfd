#include "robots/gaps.hpp"

namespace tb::robots {

namespace {

Candle flat(int64_t open_ms, const Decimal& price) { return Candle{open_ms, price, price, price, price, Decimal()}; }

}  // namespace

Steppable steppable(const std::vector<Candle>& fetched, int64_t expected_ms, const Candle* previous, int64_t width, int64_t now_ms,
                    int tries, GapWatch& watch) {
  Steppable out;
  int64_t next = expected_ms;
  bool first_hole = true;
  for (const auto& c : fetched) {
    if (c.open_time_ms < next) continue;  // before the robot's place, or a duplicate
    if (c.open_time_ms > next) {
      // A hole [next, c): the first one a pass meets counts the passes; the venue's own once every missing
      // candle closed before the hole was first seen and was asked for on `tries` passes since.
      if (first_hole) {
        if (watch.gap_ms == next) ++watch.passes;
        else watch = GapWatch{next, now_ms, 1};
        first_hole = false;
      }
      if (watch.passes < tries || c.open_time_ms > watch.first_seen_ms) return out;
      const Candle* before = !out.candles.empty() ? &out.candles.back() : previous;
      const Decimal price = before ? before->close : c.open;
      for (int64_t m = next; m < c.open_time_ms; m += width) {
        out.filled.push_back(flat(m, price));
        out.candles.push_back(out.filled.back());
      }
    }
    out.candles.push_back(c);
    next = c.open_time_ms + width;
  }
  if (first_hole) watch = GapWatch{};  // no hole this pass
  return out;
}

}  // namespace tb::robots
