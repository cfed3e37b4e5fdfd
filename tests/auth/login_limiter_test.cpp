#include "auth/login_limiter.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace tb::auth {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using Blocker = LoginDecision::Blocker;

constexpr int64_t kMinute = 60'000;

class LoginLimiterTest : public ::testing::Test {
 protected:
  ManualClock clock;
  LoginLimiter limiter{clock};

  void fail_n(int n, std::string_view account, std::string_view ip) {
    for (int i = 0; i < n; ++i) limiter.record_failure(account, ip);
  }
};

TEST_F(LoginLimiterTest, FifthAccountFailureLocksForOneMinute) {
  fail_n(4, "alice@example.com", "10.0.0.1");
  EXPECT_TRUE(limiter.check("alice@example.com", "10.0.0.1").allowed);
  const LoginDecision d = limiter.record_failure("alice@example.com", "10.0.0.1");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.blocked_by, Blocker::Account);
  EXPECT_EQ(d.retry_after, minutes(1));
  // The account is locked from any IP; other accounts from the same IP are not.
  EXPECT_FALSE(limiter.check("alice@example.com", "10.9.9.9").allowed);
  EXPECT_TRUE(limiter.check("bob@example.com", "10.0.0.1").allowed);
}

TEST_F(LoginLimiterTest, WaitShrinksAndLockExpires) {
  fail_n(5, "alice@example.com", "10.0.0.1");
  clock.advance_ms(45'000);
  EXPECT_EQ(limiter.check("alice@example.com", "10.0.0.1").retry_after, milliseconds(15'000));
  clock.advance_ms(15'000);
  const LoginDecision d = limiter.check("alice@example.com", "10.0.0.1");
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.retry_after, milliseconds(0));
}

TEST_F(LoginLimiterTest, FailuresOutsideTheWindowDoNotAddUp) {
  fail_n(4, "alice@example.com", "10.0.0.1");
  clock.advance_ms(15 * kMinute);
  fail_n(4, "alice@example.com", "10.0.0.1");
  EXPECT_TRUE(limiter.check("alice@example.com", "10.0.0.1").allowed);
  EXPECT_FALSE(limiter.record_failure("alice@example.com", "10.0.0.1").allowed);
}

TEST_F(LoginLimiterTest, LockoutDoublesEachTimeUpToTheCap) {
  const int64_t expected_minutes[] = {1, 2, 4, 8, 16, 32, 60, 60};
  for (int64_t m : expected_minutes) {
    fail_n(4, "alice@example.com", "10.0.0.1");
    const LoginDecision d = limiter.record_failure("alice@example.com", "10.0.0.1");
    ASSERT_FALSE(d.allowed);
    EXPECT_EQ(d.retry_after, minutes(m));
    clock.advance_ms(m * kMinute);
    ASSERT_TRUE(limiter.check("alice@example.com", "10.0.0.2").allowed);
  }
}

TEST_F(LoginLimiterTest, AttemptsDuringALockAreNotCounted) {
  fail_n(5, "alice@example.com", "10.0.0.1");
  fail_n(10, "alice@example.com", "10.0.0.1");  // refused attempts: the lock does not grow
  EXPECT_EQ(limiter.check("alice@example.com", "10.0.0.1").retry_after, minutes(1));
  clock.advance_ms(kMinute);
  EXPECT_TRUE(limiter.check("alice@example.com", "10.0.0.1").allowed);
}

TEST_F(LoginLimiterTest, SuccessResetsTheAccountButNotTheIp) {
  fail_n(4, "alice@example.com", "10.0.0.1");
  limiter.record_success("alice@example.com");
  fail_n(4, "alice@example.com", "10.0.0.1");
  EXPECT_TRUE(limiter.check("alice@example.com", "10.0.0.1").allowed);
  // Lockout level is forgotten too: the next lock is the first again.
  EXPECT_EQ(limiter.record_failure("alice@example.com", "10.0.0.1").retry_after, minutes(1));
  clock.advance_ms(kMinute);
  limiter.record_success("alice@example.com");
  fail_n(4, "alice@example.com", "10.0.0.1");
  EXPECT_EQ(limiter.record_failure("alice@example.com", "10.0.0.1").retry_after, minutes(1));
}

TEST_F(LoginLimiterTest, TwentyFailuresFromOneIpLockTheIp) {
  // Spread over many accounts so no single account reaches its limit.
  for (int i = 0; i < 19; ++i) limiter.record_failure("user" + std::to_string(i) + "@example.com", "10.0.0.1");
  EXPECT_TRUE(limiter.check("new@example.com", "10.0.0.1").allowed);
  const LoginDecision d = limiter.record_failure("user19@example.com", "10.0.0.1");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.blocked_by, Blocker::Ip);
  EXPECT_EQ(d.retry_after, minutes(1));
  EXPECT_FALSE(limiter.check("new@example.com", "10.0.0.1").allowed);
  EXPECT_TRUE(limiter.check("new@example.com", "10.0.0.2").allowed);
  limiter.record_success("user0@example.com");  // a correct password does not unlock the IP
  EXPECT_FALSE(limiter.check("user0@example.com", "10.0.0.1").allowed);
}

TEST_F(LoginLimiterTest, ReportsTheLongerOfTwoLocks) {
  fail_n(5, "alice@example.com", "10.0.0.1");  // account lock 1 min
  clock.advance_ms(kMinute);
  fail_n(5, "alice@example.com", "10.0.0.1");                                                // account lock 2 min
  for (int i = 0; i < 10; ++i) limiter.record_failure("u" + std::to_string(i), "10.0.0.1");  // IP: 20 → 1 min
  const LoginDecision d = limiter.check("alice@example.com", "10.0.0.1");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.blocked_by, Blocker::Account);
  EXPECT_EQ(d.retry_after, minutes(2));
}

TEST_F(LoginLimiterTest, LockoutLevelIsForgottenAfterAQuietDay) {
  fail_n(5, "alice@example.com", "10.0.0.1");
  clock.advance_ms(kMinute);
  fail_n(5, "alice@example.com", "10.0.0.1");
  clock.advance_ms(24 * 60 * kMinute);
  EXPECT_EQ(limiter.tracked_accounts(), 1u);
  fail_n(4, "alice@example.com", "10.0.0.1");
  EXPECT_EQ(limiter.record_failure("alice@example.com", "10.0.0.1").retry_after, minutes(1));
}

TEST(LoginRetryMessage, RoundsTheWaitUp) {
  const auto refused = [](int64_t ms) { return LoginDecision{false, Blocker::Account, milliseconds(ms)}; };
  EXPECT_EQ(retry_message(LoginDecision{}), "");
  EXPECT_EQ(retry_message(refused(1)), "too many failed sign-in attempts: try again in 1 second");
  EXPECT_EQ(retry_message(refused(15'000)), "too many failed sign-in attempts: try again in 15 seconds");
  EXPECT_EQ(retry_message(refused(15'001)), "too many failed sign-in attempts: try again in 16 seconds");
  EXPECT_EQ(retry_message(refused(60'000)), "too many failed sign-in attempts: try again in 60 seconds");
  EXPECT_EQ(retry_message(refused(60'001)), "too many failed sign-in attempts: try again in 2 minutes");
  EXPECT_EQ(retry_message(refused(3'600'000)), "too many failed sign-in attempts: try again in 60 minutes");
  EXPECT_EQ(retry_message(refused(3'600'001)), "too many failed sign-in attempts: try again in 2 hours");
  EXPECT_EQ(retry_message(LoginDecision{false, Blocker::Ip, milliseconds(120'000)}),
            "too many failed sign-in attempts: try again in 2 minutes");
}

TEST(LoginLimiterBound, EvictsTheLeastRecentlySeen) {
  ManualClock clock;
  LoginLimits limits;
  limits.max_entries = 3;
  LoginLimiter limiter(clock, limits);
  for (int i = 0; i < 5; ++i) limiter.record_failure("alice@example.com", "10.0.0.1");  // alice locked
  for (int i = 0; i < 2; ++i) limiter.record_failure("a" + std::to_string(i), "10.0.1." + std::to_string(i));
  EXPECT_EQ(limiter.tracked_accounts(), 3u);
  limiter.record_failure("alice@example.com", "10.0.0.1");  // alice seen again: now the most recent
  for (int i = 2; i < 1000; ++i) {
    limiter.record_failure("a" + std::to_string(i), "10.0.1." + std::to_string(i));
    ASSERT_LE(limiter.tracked_accounts(), 3u);
    ASSERT_LE(limiter.tracked_ips(), 3u);
  }
  // 998 newer accounts pushed alice out: the table stays small, at the cost of her lock.
  EXPECT_TRUE(limiter.check("alice@example.com", "10.0.0.1").allowed);
}

TEST(LoginLimiterBound, IpFloodDoesNotEvictAnAccountLock) {
  ManualClock clock;
  LoginLimits limits;
  limits.max_entries = 10;
  LoginLimiter limiter(clock, limits);
  for (int i = 0; i < 5; ++i) limiter.record_failure("alice@example.com", "10.0.0." + std::to_string(i));
  for (int i = 0; i < 500; ++i) limiter.record_failure("alice@example.com", "10.1." + std::to_string(i));
  EXPECT_LE(limiter.tracked_ips(), 10u);
  EXPECT_EQ(limiter.tracked_accounts(), 1u);
  EXPECT_FALSE(limiter.check("alice@example.com", "10.9.9.9").allowed);
}

TEST(LoginLimiterThreads, ConcurrentFailuresAreAllCounted) {
  ManualClock clock;
  LoginLimits limits;
  limits.ip_failures = 400;
  LoginLimiter limiter(clock, limits);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 99; ++i) limiter.record_failure("t" + std::to_string(t) + "-" + std::to_string(i % 3), "10.0.0.1");
    });
  for (auto& th : threads) th.join();
  EXPECT_TRUE(limiter.check("nobody", "10.0.0.1").allowed);  // 396 of 400
  for (int i = 0; i < 3; ++i) limiter.record_failure("x" + std::to_string(i), "10.0.0.1");
  EXPECT_TRUE(limiter.check("nobody", "10.0.0.1").allowed);       // 399
  EXPECT_FALSE(limiter.record_failure("y", "10.0.0.1").allowed);  // 400
}

}  // namespace
}  // namespace tb::auth
