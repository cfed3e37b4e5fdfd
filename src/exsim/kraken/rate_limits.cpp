#include "exsim/kraken/rate_limits.hpp"

#include <algorithm>

namespace tb::exsim::kraken {

double cancel_penalty(int64_t age_ms) {
  if (age_ms < 5'000) return 8;
  if (age_ms < 10'000) return 6;
  if (age_ms < 15'000) return 5;
  if (age_ms < 45'000) return 4;
  if (age_ms < 90'000) return 2;
  if (age_ms < 300'000) return 1;
  return 0;
}

bool DecayCounters::admit(const std::string& bucket, const DecayRule& rule, double cost, int64_t now_ms) {
  if (cost <= 0) return true;
  std::lock_guard lock(mu_);
  auto& l = levels_[bucket];
  double elapsed_s = std::max<int64_t>(0, now_ms - l.at_ms) / 1000.0;
  l.value = std::max(0.0, l.value - elapsed_s * rule.decay_per_second);
  l.at_ms = now_ms;
  // A hair of tolerance: a client modelling the same counter on the same clock must not be refused by
  // floating-point rounding.
  if (l.value + cost > rule.max + 1e-6) return false;
  l.value += cost;
  return true;
}

}  // namespace tb::exsim::kraken
