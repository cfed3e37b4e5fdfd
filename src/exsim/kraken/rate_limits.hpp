#pragma once
// Kraken counts with decaying counters, not windows (exchanges.md §3.4): a call adds its cost, the
// counter falls at a steady rate, and a call that would lift it over the maximum is refused. Three of
// them: per API key (REST calls), per key and pair (the trading engine's limiter), per IP (public calls).
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace tb::exsim::kraken {

struct DecayRule {
  double max;
  double decay_per_second;
};

// Starter tier, the most restrictive: what tradebridge's connector assumes too.
inline constexpr DecayRule kKeyRule{15, 0.33};
inline constexpr DecayRule kTradingRule{60, 1.0};
// Public calls: about one a second per IP, not formally specified; a burst of 20 like the connector.
inline constexpr DecayRule kPublicRule{20, 1.0};

// Trading-limiter penalty for cancelling an order of this age (younger orders cost more).
double cancel_penalty(int64_t order_age_ms);

class DecayCounters {
 public:
  // Adds cost if it fits under rule.max; false (and nothing added) when the call must be refused.
  bool admit(const std::string& bucket, const DecayRule& rule, double cost, int64_t now_ms);

 private:
  struct Level {
    double value = 0;
    int64_t at_ms = 0;
  };
  std::mutex mu_;
  std::map<std::string, Level, std::less<>> levels_;
};

}  // namespace tb::exsim::kraken
