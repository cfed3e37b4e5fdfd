#pragma once
// Client-side rate limiting, so we slow down before a venue bans the IP or the key. Pure arithmetic on
// times passed in: reserve() says how long to wait before sending (0 = send now) and books the cost.
#include <chrono>
#include <cstdint>
#include <mutex>

namespace tb::venues {

// A fixed window aligned to the epoch, as Binance counts request weight per minute. The venue's own
// count (X-MBX-USED-WEIGHT-1M) is folded in with observe(), so other processes on the IP are counted too.
class WindowLimiter {
 public:
  WindowLimiter(int64_t limit, int64_t window_ms) : limit_(limit), window_ms_(window_ms) {}
  std::chrono::milliseconds reserve(int64_t weight, int64_t now_ms);
  void observe(int64_t used, int64_t now_ms);
  int64_t used(int64_t now_ms);

 private:
  void roll(int64_t now_ms);
  std::mutex mu_;
  int64_t limit_, window_ms_;
  int64_t window_start_ = 0, used_ = 0;
};

// A counter that grows by each call's cost and decays continuously, as Kraken counts per key.
class DecayLimiter {
 public:
  DecayLimiter(double max, double decay_per_second) : max_(max), decay_(decay_per_second) {}
  std::chrono::milliseconds reserve(double cost, int64_t now_ms);

 private:
  std::mutex mu_;
  double max_, decay_;
  double level_ = 0;
  int64_t last_ms_ = 0;
};

}  // namespace tb::venues
