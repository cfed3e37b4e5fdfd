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
  if (now_ms < blocked_until_) return std::chrono::milliseconds(blocked_until_ - now_ms);
  roll(now_ms);
  if (used_ + weight > limit_ && used_ > 0) return std::chrono::milliseconds(window_start_ + window_ms_ - now_ms);
  used_ += weight;
  save(now_ms, false);
  return std::chrono::milliseconds(0);
}

void WindowLimiter::observe(int64_t used, int64_t now_ms) {
  std::lock_guard lock(mu_);
  roll(now_ms);
  used_ = std::max(used_, used);
  save(now_ms, false);  // a venue that reports its count on every answer: kept at most once a second
}

void WindowLimiter::block_until(int64_t until_ms, int64_t now_ms) {
  std::lock_guard lock(mu_);
  blocked_until_ = std::max(blocked_until_, until_ms);
  save(now_ms, true);
}

void WindowLimiter::keep_in(LimitBook* book, std::string venue, std::string budget, int64_t now_ms) {
  std::lock_guard lock(mu_);
  book_ = book;
  venue_ = std::move(venue);
  budget_ = std::move(budget);
  if (!book_) return;
  if (auto s = book_->load(venue_, budget_)) {
    blocked_until_ = std::max(blocked_until_, s->blocked_until_ms);
    roll(now_ms);
    if (s->window_start_ms == window_start_) used_ = std::max(used_, s->used);  // the same window still runs
  }
}

void WindowLimiter::save(int64_t now_ms, bool at_once) {
  if (!book_ || (!at_once && now_ms - saved_ms_ < 1000)) return;
  saved_ms_ = now_ms;
  book_->save(venue_, budget_, {window_start_, used_, blocked_until_});
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
