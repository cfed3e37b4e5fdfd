#include "venues/common/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace tb::venues {

void WindowLimiter::roll(int64_t now_ms) {
  int64_t start = now_ms - now_ms % window_ms_;
  if (start != window_start_) {
    window_start_ = start;
    used_ = 0;
  }
}

std::chrono::milliseconds WindowLimiter::reserve(int64_t weight, int64_t now_ms) {
  std::lock_guard lock(mu_);
  roll(now_ms);
  if (used_ + weight > limit_ && used_ > 0) return std::chrono::milliseconds(window_start_ + window_ms_ - now_ms);
  used_ += weight;
  return std::chrono::milliseconds(0);
}

void WindowLimiter::observe(int64_t used, int64_t now_ms) {
  std::lock_guard lock(mu_);
  roll(now_ms);
  used_ = std::max(used_, used);
}

int64_t WindowLimiter::used(int64_t now_ms) {
  std::lock_guard lock(mu_);
  roll(now_ms);
  return used_;
}

std::chrono::milliseconds DecayLimiter::reserve(double cost, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (last_ms_ != 0 && now_ms > last_ms_) level_ = std::max(0.0, level_ - decay_ * static_cast<double>(now_ms - last_ms_) / 1000.0);
  last_ms_ = std::max(last_ms_, now_ms);
  if (level_ + cost > max_ && level_ > 0) {
    double excess = level_ + cost - max_;
    return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(excess / decay_ * 1000.0)));
  }
  level_ += cost;
  return std::chrono::milliseconds(0);
}

}  // namespace tb::venues
