#include "auth/window_limit.hpp"

#include <gtest/gtest.h>

namespace tb::auth {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

TEST(WindowLimit, AllowsTheLimitPerWindowThenSaysWhenTheOldestLeaves) {
  ManualClock clock;
  WindowLimit limit(clock, 3, hours(1));
  EXPECT_TRUE(limit.take("198.51.100.7").allowed);
  clock.advance_ms(10'000);
  EXPECT_TRUE(limit.take("198.51.100.7").allowed);
  EXPECT_TRUE(limit.take("198.51.100.7").allowed);
  auto refused = limit.take("198.51.100.7");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, milliseconds(3'600'000 - 10'000));
  EXPECT_TRUE(limit.take("203.0.113.9").allowed);  // another IP has its own count
  // Refusals are not counted: once the first event leaves the window, exactly one more fits.
  clock.advance_ms(3'600'000 - 10'000);
  EXPECT_TRUE(limit.take("198.51.100.7").allowed);
  EXPECT_FALSE(limit.take("198.51.100.7").allowed);
}

TEST(WindowLimit, ZeroMeansNoLimit) {
  ManualClock clock;
  WindowLimit limit(clock, 0, hours(1));
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limit.take("198.51.100.7").allowed);
}

TEST(WindowLimit, KeepsAtMostMaxKeysDroppingTheLeastRecentlySeen) {
  ManualClock clock;
  WindowLimit limit(clock, 1, hours(1), 2);
  EXPECT_TRUE(limit.take("a").allowed);
  EXPECT_TRUE(limit.take("b").allowed);
  EXPECT_FALSE(limit.take("a").allowed);  // a is now the most recently seen
  EXPECT_TRUE(limit.take("c").allowed);   // b goes
  EXPECT_EQ(limit.tracked_keys(), 2u);
  EXPECT_FALSE(limit.take("a").allowed);
  EXPECT_TRUE(limit.take("b").allowed);  // forgotten, so counted afresh
}

}  // namespace
}  // namespace tb::auth
