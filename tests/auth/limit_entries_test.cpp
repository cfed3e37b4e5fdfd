#include "auth/limit_entries.hpp"

#include <gtest/gtest.h>

#include "auth/login_limiter.hpp"
#include "auth/window_limit.hpp"

namespace tb::auth {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

void hit(std::optional<LimitEntry>& e) {
  if (!e) e = LimitEntry{};
  e->hits += 1;
}

TEST(MemoryLimitEntries, ChangesFindsAndForgetsPerTable) {
  MemoryLimitEntries entries;
  EXPECT_FALSE(entries.find("a", "k")->has_value());
  EXPECT_EQ((*entries.change("a", "k", hit))->hits, 1);
  EXPECT_EQ((*entries.change("a", "k", hit))->hits, 2);
  EXPECT_EQ((*entries.find("a", "k"))->hits, 2);
  EXPECT_FALSE(entries.find("b", "k")->has_value());  // another table, another entry
  EXPECT_EQ(*entries.size("a"), 1u);
  EXPECT_FALSE(entries.change("a", "k", [](std::optional<LimitEntry>& e) { e.reset(); })->has_value());
  EXPECT_FALSE(entries.find("a", "k")->has_value());
  EXPECT_EQ(*entries.size("a"), 0u);
  ASSERT_TRUE(entries.change("a", "k", [](std::optional<LimitEntry>&) {}).ok());  // left empty: nothing is kept
  EXPECT_EQ(*entries.size("a"), 0u);
}

TEST(MemoryLimitEntries, EachTableKeepsItsOwnMostRecent) {
  MemoryLimitEntries entries(2);
  ASSERT_TRUE(entries.change("a", "1", hit).ok());
  ASSERT_TRUE(entries.change("a", "2", hit).ok());
  ASSERT_TRUE(entries.change("b", "1", hit).ok());
  ASSERT_TRUE(entries.change("a", "1", hit).ok());  // now the most recent of a
  ASSERT_TRUE(entries.change("a", "3", hit).ok());  // 2 goes
  EXPECT_EQ(*entries.size("a"), 2u);
  EXPECT_TRUE(entries.find("a", "1")->has_value());
  EXPECT_FALSE(entries.find("a", "2")->has_value());
  EXPECT_TRUE(entries.find("b", "1")->has_value());
}

// Two limiters over one storage, as two serve processes over one database: a guesser alternating between
// them is locked out after the same five failures as on one.
TEST(SharedLimitEntries, TwoLimitersShareOneLockout) {
  ManualClock clock;
  MemoryLimitEntries shared;
  LoginLimiter one(clock, shared, "sign-in");
  LoginLimiter two(clock, shared, "sign-in");
  for (int i = 0; i < 4; ++i) {
    LoginLimiter& limiter = i % 2 ? two : one;
    ASSERT_TRUE(limiter.check("alice@example.com", "10.0.0.1").allowed);
    EXPECT_TRUE(limiter.record_failure("alice@example.com", "10.0.0.1").allowed);
  }
  EXPECT_FALSE(one.record_failure("alice@example.com", "10.0.0.1").allowed);
  EXPECT_EQ(two.check("alice@example.com", "10.0.0.9").retry_after, minutes(1));
  EXPECT_EQ(two.tracked_accounts(), 1u);
  two.record_success("alice@example.com");  // a right password on one clears the account on both
  EXPECT_TRUE(one.check("alice@example.com", "10.0.0.9").allowed);
  // Another name, other tables: the gates' wrong codes do not add to sign-in's failures.
  LoginLimiter codes(clock, shared, "2fa");
  for (int i = 0; i < 4; ++i) codes.record_failure("alice@example.com", "10.0.0.1");
  EXPECT_TRUE(one.check("alice@example.com", "10.0.0.9").allowed);
  EXPECT_EQ(*shared.size("2fa.account"), 1u);
}

TEST(SharedLimitEntries, TwoWindowLimitsShareOneCount) {
  ManualClock clock;
  MemoryLimitEntries shared;
  WindowLimit one(clock, shared, "register.ip", 3, hours(1));
  WindowLimit two(clock, shared, "register.ip", 3, hours(1));
  EXPECT_TRUE(one.take("198.51.100.7").allowed);
  EXPECT_TRUE(two.take("198.51.100.7").allowed);
  clock.advance_ms(1000);
  EXPECT_TRUE(one.take("198.51.100.7").allowed);
  const WindowDecision refused = two.take("198.51.100.7");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, std::chrono::milliseconds(3'600'000 - 1000));
  auto entry = *shared.find("register.ip", "198.51.100.7");
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->expires_ms, clock.now_ms() + 3'600'000);  // forgettable once the last event leaves the window
}

// Storage that fails, as a lost database does.
class BrokenEntries final : public LimitEntries {
 public:
  Result<std::optional<LimitEntry>> change(std::string_view, std::string_view, const Change&) override { return broken(); }
  Result<std::optional<LimitEntry>> find(std::string_view, std::string_view) override { return broken(); }
  Result<size_t> size(std::string_view) override { return broken(); }

 private:
  static Error broken() { return Error::make(ErrorKind::Internal, "store: the database is gone"); }
};

// A guesser must not gain from a failing database: the attempt is refused with the store's error, not let
// through uncounted.
TEST(BrokenLimitEntries, RefuseWithTheError) {
  ManualClock clock;
  BrokenEntries broken;
  LoginLimiter limiter(clock, broken, "sign-in");
  const LoginDecision d = limiter.check("alice@example.com", "10.0.0.1");
  EXPECT_FALSE(d.allowed);
  ASSERT_TRUE(d.failure.has_value());
  EXPECT_EQ(d.failure->kind, ErrorKind::Internal);
  EXPECT_FALSE(limiter.record_failure("alice@example.com", "10.0.0.1").allowed);
  EXPECT_EQ(limiter.tracked_accounts(), 0u);
  WindowLimit window(clock, broken, "register.ip", 3, hours(1));
  const WindowDecision w = window.take("198.51.100.7");
  EXPECT_FALSE(w.allowed);
  ASSERT_TRUE(w.failure.has_value());
  EXPECT_EQ(w.failure->message, "store: the database is gone");
}

}  // namespace
}  // namespace tb::auth
