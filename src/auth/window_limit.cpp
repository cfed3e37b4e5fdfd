#include "auth/window_limit.hpp"

#include <algorithm>

namespace tb::auth {

WindowLimit::WindowLimit(const Clock& clock, int limit, std::chrono::milliseconds window, size_t max_keys)
    : clock_(clock),
      limit_(static_cast<size_t>(std::max(limit, 0))),
      window_ms_(window.count()),
      own_(std::make_unique<MemoryLimitEntries>(max_keys)),
      entries_(*own_),
      table_("events") {}

WindowLimit::WindowLimit(const Clock& clock, LimitEntries& entries, std::string table, int limit, std::chrono::milliseconds window)
    : clock_(clock),
      limit_(static_cast<size_t>(std::max(limit, 0))),
      window_ms_(window.count()),
      entries_(entries),
      table_(std::move(table)) {}

WindowDecision WindowLimit::take(std::string_view key) {
  if (limit_ == 0) return {};
  const int64_t now = clock_.now_ms();
  WindowDecision d;
  auto kept = entries_.change(table_, key, [&](std::optional<LimitEntry>& e) {
    if (!e) e = LimitEntry{};
    auto& times = e->times;
    times.erase(times.begin(), std::find_if(times.begin(), times.end(), [&](int64_t t) { return now - t < window_ms_; }));
    e->seen_ms = now;
    if (times.size() >= limit_) {
      d = {false, std::chrono::milliseconds(times.front() + window_ms_ - now), std::nullopt};
    } else {
      times.push_back(now);
    }
    e->expires_ms = times.back() + window_ms_;  // then every event has left the window
  });
  if (!kept) return {false, std::chrono::milliseconds(0), kept.error()};
  return d;
}

size_t WindowLimit::tracked_keys() const {
  auto n = entries_.size(table_);
  return n ? *n : 0;
}

}  // namespace tb::auth
