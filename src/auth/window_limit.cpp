#include "auth/window_limit.hpp"

#include <algorithm>

namespace tb::auth {

WindowLimit::WindowLimit(const Clock& clock, int limit, std::chrono::milliseconds window, size_t max_keys)
    : clock_(clock),
      limit_(static_cast<size_t>(std::max(limit, 0))),
      window_ms_(window.count()),
      max_keys_(std::max<size_t>(max_keys, 1)) {}

WindowDecision WindowLimit::take(std::string_view key) {
  if (limit_ == 0) return {};
  const int64_t now = clock_.now_ms();
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) {
    while (entries_.size() >= max_keys_) {
      entries_.erase(order_.back());
      order_.pop_back();
    }
    order_.emplace_front(key);
    it = entries_.emplace(order_.front(), Entry{{}, order_.begin()}).first;
  } else {
    order_.splice(order_.begin(), order_, it->second.place);  // now the most recently seen
  }
  auto& times = it->second.times;
  while (!times.empty() && now - times.front() >= window_ms_) times.pop_front();
  if (times.size() >= limit_) return {false, std::chrono::milliseconds(times.front() + window_ms_ - now)};
  times.push_back(now);
  return {};
}

size_t WindowLimit::tracked_keys() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace tb::auth
