#pragma once
// At most `limit` events per key in any sliding window (registrations per client IP): each key keeps the
// times of its last `limit` events, so the answer is exact and the memory per key small. The entries live in
// a LimitEntries (limit_entries.hpp): this process's memory by default, at most max_keys keys, the least
// recently seen dropped first; or storage every serve process on the database shares. Thread-safe.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/limit_entries.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace tb::auth {

struct WindowDecision {
  bool allowed = true;
  std::chrono::milliseconds retry_after{0};  // when refused: until the oldest counted event leaves the window
  std::optional<Error> failure;              // the entry could not be kept: refused, and report this instead
};

class WindowLimit {
 public:
  // limit 0: no limit. Entries in this process's memory.
  WindowLimit(const Clock& clock, int limit, std::chrono::milliseconds window, size_t max_keys = 100'000);
  // Entries in `entries` (which must outlive this), in the table `table`.
  WindowLimit(const Clock& clock, LimitEntries& entries, std::string table, int limit, std::chrono::milliseconds window);

  // Counts one event of `key` when under the limit; a refused event is not counted.
  WindowDecision take(std::string_view key);
  size_t tracked_keys() const;

 private:
  const Clock& clock_;
  const size_t limit_;
  const int64_t window_ms_;
  std::unique_ptr<LimitEntries> own_;  // when none were given
  LimitEntries& entries_;
  const std::string table_;
};

}  // namespace tb::auth
