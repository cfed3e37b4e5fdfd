// The abuse limits' entries: one change at a time per entry, across connections as across processes.
#include <atomic>
#include <barrier>
#include <thread>

#include "store/backends.hpp"

namespace tb::store {
namespace {

using Limits = BackendTest;

// Adds one hit, starting the entry when there is none.
void hit(std::optional<LimitEntry>& e) {
  if (!e) e = LimitEntry{};
  e->hits += 1;
  e->expires_ms = 1'700'000'100'000;
}

TEST_P(Limits, AnEntryIsMadeChangedFoundAndRemoved) {
  bool saw_none = false;
  auto made = store_->change_limit_entry("sign-in.account", "ann@example.com", [&](std::optional<LimitEntry>& e) {
    saw_none = !e.has_value();
    e = LimitEntry{"ignored", "ignored", 1, 1'000, 61'000, 1, "1000 2000", 2'000, 86'402'000};
  });
  ASSERT_TRUE(made.ok()) << made.error().describe();
  EXPECT_TRUE(saw_none);
  const LimitEntry want{"sign-in.account", "ann@example.com", 1, 1'000, 61'000, 1, "1000 2000", 2'000, 86'402'000};
  EXPECT_EQ(*made, want);  // the scope and subject are the ones asked for
  EXPECT_EQ(*store_->find_limit_entry("sign-in.account", "ann@example.com"), want);
  EXPECT_FALSE(store_->find_limit_entry("sign-in.ip", "ann@example.com")->has_value());

  std::optional<LimitEntry> seen;
  auto changed = store_->change_limit_entry("sign-in.account", "ann@example.com", [&](std::optional<LimitEntry>& e) {
    seen = e;
    e->hits = 2;
  });
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(seen, want);
  EXPECT_EQ((*store_->find_limit_entry("sign-in.account", "ann@example.com"))->hits, 2);
  ASSERT_TRUE(store_->change_limit_entry("sign-in.ip", "10.0.0.1", hit).ok());
  EXPECT_EQ(*store_->count_limit_entries("sign-in.account"), 1);
  EXPECT_EQ(*store_->count_limit_entries("sign-in.ip"), 1);

  auto removed = store_->change_limit_entry("sign-in.account", "ann@example.com", [](std::optional<LimitEntry>& e) { e.reset(); });
  ASSERT_TRUE(removed.ok());
  EXPECT_FALSE(removed->has_value());
  EXPECT_FALSE(store_->find_limit_entry("sign-in.account", "ann@example.com")->has_value());
  EXPECT_EQ(*store_->count_limit_entries("sign-in.account"), 0);
  // Removing what is not there, or leaving nothing where nothing was, writes nothing.
  ASSERT_TRUE(store_->change_limit_entry("sign-in.account", "bob@example.com", [](std::optional<LimitEntry>&) {}).ok());
  EXPECT_EQ(*store_->count_limit_entries("sign-in.account"), 0);
}

TEST_P(Limits, ExpiredEntriesArePurged) {
  const int64_t now = clock_.now_ms();
  const auto expiring = [](int64_t at) { return [at](std::optional<LimitEntry>& e) { e = LimitEntry{"", "", 1, 0, 0, 0, "", 0, at}; }; };
  ASSERT_TRUE(store_->change_limit_entry("register.ip", "a", expiring(now - 1)).ok());
  ASSERT_TRUE(store_->change_limit_entry("register.ip", "b", expiring(now)).ok());
  ASSERT_TRUE(store_->change_limit_entry("register.ip", "c", expiring(now + 1)).ok());
  ASSERT_TRUE(store_->change_limit_entry("sign-in.ip", "a", expiring(now - 1)).ok());
  EXPECT_EQ(*store_->delete_expired_limit_entries(), 3);
  EXPECT_EQ(*store_->count_limit_entries("register.ip"), 1);
  EXPECT_TRUE(store_->find_limit_entry("register.ip", "c")->has_value());
  clock_.advance_ms(1);
  EXPECT_EQ(*store_->delete_expired_limit_entries(), 1);
  EXPECT_EQ(*store_->count_limit_entries("register.ip"), 0);
}

TEST_P(Limits, AChangeInsideATransactionGoesWithIt) {
  Status st = store_->with_transaction([&](Store& s) -> Status {
    if (auto r = s.change_limit_entry("2fa.user", "7", hit); !r) return r.error();
    return Error::make(ErrorKind::Internal, "changed my mind");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(store_->find_limit_entry("2fa.user", "7")->has_value());
  ASSERT_TRUE(store_
                  ->with_transaction([&](Store& s) -> Status {
                    auto r = s.change_limit_entry("2fa.user", "7", hit);
                    if (!r) return r.error();
                    return ok_status();
                  })
                  .ok());
  EXPECT_EQ((*store_->find_limit_entry("2fa.user", "7"))->hits, 1);
}

// Two connections (as two processes have) add hits at the same moments, round after round: to one entry (a
// lost update would leave fewer hits than were added) and each round to a new one (both may find it missing,
// and both must still count).
using LimitsAcrossConnections = BackendTest;

TEST_P(LimitsAcrossConnections, NoHitIsLost) {
  auto b_store = second_store();
  ASSERT_TRUE(store_ && b_store);
  constexpr int kRounds = 150;
  std::barrier round(2);
  std::atomic<int> errors{0};
  auto work = [&](Store& store) {
    for (int r = 0; r < kRounds; ++r) {
      round.arrive_and_wait();
      if (!store.change_limit_entry("sign-in.ip", "10.0.0.1", hit).ok()) ++errors;
      if (!store.change_limit_entry("sign-in.account", "user" + std::to_string(r), hit).ok()) ++errors;
    }
  };
  std::thread ta(work, std::ref(*store_));
  std::thread tb(work, std::ref(*b_store));
  ta.join();
  tb.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ((*store_->find_limit_entry("sign-in.ip", "10.0.0.1"))->hits, 2 * kRounds);
  for (int r = 0; r < kRounds; ++r) {
    auto e = store_->find_limit_entry("sign-in.account", "user" + std::to_string(r));
    ASSERT_TRUE(e.ok() && e->has_value());
    EXPECT_EQ((*e)->hits, 2) << "user" << r;
  }
}

INSTANTIATE_BACKENDS(Limits);
INSTANTIATE_BACKENDS(LimitsAcrossConnections);

}  // namespace
}  // namespace tb::store
