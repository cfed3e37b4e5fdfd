// The abuse limits of two serve processes over one database (each its own store connection, as each process
// has its own): a guesser alternating between them is locked out after the same failures as on one.
#include <atomic>
#include <thread>

#include "app/store_limit_entries.hpp"
#include "auth/login_limiter.hpp"
#include "auth/window_limit.hpp"
#include "store/backends.hpp"

namespace tb::app {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using store::Backend;
using store::backend_name;
using store::BackendTest;

class SharedLimits : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    other_ = second_store();
    ASSERT_TRUE(other_);
    entries_a_ = std::make_unique<StoreLimitEntries>(*store_);
    entries_b_ = std::make_unique<StoreLimitEntries>(*other_);
  }
  std::unique_ptr<store::Store> other_;
  std::unique_ptr<StoreLimitEntries> entries_a_, entries_b_;
};

TEST_P(SharedLimits, AGuesserAlternatingBetweenProcessesIsLockedOutAsOnOne) {
  auth::LoginLimiter one(clock_, *entries_a_, "sign-in");
  auth::LoginLimiter two(clock_, *entries_b_, "sign-in");
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 4; ++i) {
      auth::LoginLimiter& limiter = i % 2 ? two : one;
      ASSERT_TRUE(limiter.check("alice@example.com", "10.0.0.1").allowed) << "failure " << i;
      ASSERT_TRUE(limiter.record_failure("alice@example.com", "10.0.0.1").allowed);
    }
    const auth::LoginDecision locked = one.record_failure("alice@example.com", "10.0.0.1");
    EXPECT_FALSE(locked.allowed);
    EXPECT_EQ(locked.retry_after, minutes(1 << round));  // the lockout doubles across processes too
    const auth::LoginDecision elsewhere = two.check("alice@example.com", "10.9.9.9");
    EXPECT_FALSE(elsewhere.allowed);
    EXPECT_FALSE(elsewhere.failure.has_value());
    EXPECT_EQ(elsewhere.retry_after, minutes(1 << round));
    clock_.advance_ms((1 << round) * 60'000);
  }
  EXPECT_EQ(one.tracked_accounts(), 1u);
  EXPECT_EQ(two.tracked_ips(), 1u);
  two.record_success("alice@example.com");  // a right password in one process clears the account in both
  EXPECT_EQ(one.tracked_accounts(), 0u);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(one.record_failure("alice@example.com", "10.0.0.2").allowed);
  EXPECT_EQ(two.record_failure("alice@example.com", "10.0.0.2").retry_after, minutes(1));
}

TEST_P(SharedLimits, FailuresAtOnceInTwoProcessesAreAllCounted) {
  auth::LoginLimits limits;
  limits.account_failures = 1000;  // only the IP's count matters here
  limits.ip_failures = 81;
  auth::LoginLimiter one(clock_, *entries_a_, "sign-in", limits);
  auth::LoginLimiter two(clock_, *entries_b_, "sign-in", limits);
  std::atomic<int> refused{0};
  auto guess = [&](auth::LoginLimiter& limiter, int process) {
    for (int i = 0; i < 40; ++i)
      if (!limiter.record_failure("u" + std::to_string(process) + "-" + std::to_string(i % 4), "10.0.0.1").allowed) ++refused;
  };
  std::thread ta(guess, std::ref(one), 1);
  std::thread tb(guess, std::ref(two), 2);
  ta.join();
  tb.join();
  EXPECT_EQ(refused.load(), 0);
  EXPECT_TRUE(one.check("nobody", "10.0.0.1").allowed);       // 80 of 81
  EXPECT_FALSE(two.record_failure("x", "10.0.0.1").allowed);  // 81: a lost update would leave it open
}

TEST_P(SharedLimits, RegistrationsCountOnceForEveryProcess) {
  auth::WindowLimit one(clock_, *entries_a_, "register.ip", 3, hours(1));
  auth::WindowLimit two(clock_, *entries_b_, "register.ip", 3, hours(1));
  EXPECT_TRUE(one.take("198.51.100.7").allowed);
  clock_.advance_ms(10'000);
  EXPECT_TRUE(two.take("198.51.100.7").allowed);
  EXPECT_TRUE(one.take("198.51.100.7").allowed);
  const auth::WindowDecision refused = two.take("198.51.100.7");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, std::chrono::milliseconds(3'600'000 - 10'000));  // the first event's time, as stored
  clock_.advance_ms(3'600'000 - 10'000);
  EXPECT_TRUE(one.take("198.51.100.7").allowed);
  EXPECT_FALSE(two.take("198.51.100.7").allowed);
  // Once its last event left the window, the entry is expired and the hourly purge removes it.
  clock_.advance_ms(3'600'000);
  EXPECT_EQ(*store_->delete_expired_limit_entries(), 1);
  EXPECT_EQ(one.tracked_keys(), 0u);
}

INSTANTIATE_BACKENDS(SharedLimits);

}  // namespace
}  // namespace tb::app
