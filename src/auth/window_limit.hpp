#pragma once
// At most `limit` events per key in any sliding window (registrations per client IP): each key keeps the
// times of its last `limit` events, so the answer is exact and the memory per key small. Memory is bounded:
// at most max_keys keys, the least recently seen dropped first. Thread-safe.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace tb::auth {

struct WindowDecision {
  bool allowed = true;
  std::chrono::milliseconds retry_after{0};  // when refused: until the oldest counted event leaves the window
};

class WindowLimit {
 public:
  // limit 0: no limit.
  WindowLimit(const Clock& clock, int limit, std::chrono::milliseconds window, size_t max_keys = 100'000);

  // Counts one event of `key` when under the limit; a refused event is not counted.
  WindowDecision take(std::string_view key);
  size_t tracked_keys() const;

 private:
  using Order = std::list<std::string>;
  struct Entry {
    std::deque<int64_t> times;  // oldest first, all inside the window
    Order::iterator place;
  };

  const Clock& clock_;
  const size_t limit_;
  const int64_t window_ms_;
  const size_t max_keys_;
  mutable std::mutex mu_;
  Order order_;  // most recently seen first
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace tb::auth
