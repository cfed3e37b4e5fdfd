// Jobs claimed from the table, and the store under several threads and connections.
#include <atomic>
#include <barrier>
#include <set>
#include <thread>

#include "store/backends.hpp"

namespace tb::store {
namespace {

using Jobs = BackendTest;

TEST_P(Jobs, ClaimTakesTheOldestDueJobOfItsKind) {
  const int64_t now = clock_.now_ms();
  auto later = store_->enqueue_job("key_test", R"({"account":2})", now + 1000);
  auto old = store_->enqueue_job("key_test", R"({"account":1})", now - 10);
  auto other = store_->enqueue_job("recheck", "{}", now - 100);
  ASSERT_TRUE(later.ok() && old.ok() && other.ok());

  auto j = store_->claim_job("key_test", "worker-a", 30'000);
  ASSERT_TRUE(j.ok() && j->has_value());
  EXPECT_EQ((*j)->id, *old);
  EXPECT_EQ((*j)->kind, "key_test");
  EXPECT_EQ((*j)->payload, R"({"account":1})");
  EXPECT_EQ((*j)->claimed_by, "worker-a");
  EXPECT_EQ((*j)->claimed_until_ms, now + 30'000);
  EXPECT_EQ((*j)->attempts, 1);

  auto none = store_->claim_job("key_test", "worker-b", 30'000);  // the other one is not due yet
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  clock_.advance_ms(1000);
  auto next = store_->claim_job("key_test", "worker-b", 30'000);
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ((*next)->id, *later);

  auto done = store_->complete_job(*old, "worker-a");
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(*done);
  EXPECT_FALSE(store_->find_job(*old)->has_value());
  EXPECT_TRUE(store_->find_job(*other)->has_value());
}

TEST_P(Jobs, AnExpiredLeaseIsTakenOverAndTheOldWorkerCannotFinishIt) {
  auto id = store_->enqueue_job("recheck", "{}", clock_.now_ms());
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(store_->claim_job("recheck", "dead", 10'000)->has_value());
  clock_.advance_ms(9'999);
  EXPECT_FALSE(store_->claim_job("recheck", "alive", 10'000)->has_value());  // still held
  clock_.advance_ms(1);
  auto taken = store_->claim_job("recheck", "alive", 10'000);
  ASSERT_TRUE(taken->has_value());
  EXPECT_EQ((*taken)->claimed_by, "alive");
  EXPECT_EQ((*taken)->attempts, 2);

  EXPECT_FALSE(*store_->complete_job(*id, "dead"));
  EXPECT_FALSE(*store_->release_job(*id, "dead", 0));
  EXPECT_TRUE(store_->find_job(*id)->has_value());
  EXPECT_TRUE(*store_->complete_job(*id, "alive"));
}

TEST_P(Jobs, ReleaseRunsTheJobAgainLater) {
  auto id = store_->enqueue_job("order", "{}", clock_.now_ms());
  ASSERT_TRUE(store_->claim_job("order", "w", 60'000)->has_value());
  ASSERT_TRUE(*store_->release_job(*id, "w", clock_.now_ms() + 5'000));  // back off 5 s
  auto j = *store_->find_job(*id);
  ASSERT_TRUE(j.has_value());
  EXPECT_FALSE(j->claimed_by.has_value());
  EXPECT_FALSE(j->claimed_until_ms.has_value());
  EXPECT_EQ(j->run_at_ms, clock_.now_ms() + 5'000);
  EXPECT_FALSE(store_->claim_job("order", "w", 60'000)->has_value());
  clock_.advance_ms(5'000);
  auto again = store_->claim_job("order", "w2", 60'000);
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ((*again)->attempts, 2);
}

TEST_P(Jobs, TheJobsOfAGoneWorkerAreHandedBackAtOnce) {
  ASSERT_TRUE(store_->enqueue_job("key_test", "a", clock_.now_ms()).ok());
  ASSERT_TRUE(store_->enqueue_job("key_test", "b", clock_.now_ms()).ok());
  ASSERT_TRUE(store_->enqueue_job("key_test", "c", clock_.now_ms()).ok());
  ASSERT_TRUE(store_->claim_job("key_test", "host:1", 300'000)->has_value());
  ASSERT_TRUE(store_->claim_job("key_test", "host:1", 300'000)->has_value());
  ASSERT_TRUE(store_->claim_job("key_test", "host:2", 300'000)->has_value());
  EXPECT_EQ(*store_->job_holders(), (std::vector<std::string>{"host:1", "host:2"}));
  EXPECT_EQ(*store_->release_jobs_of("host:1"), 2);
  EXPECT_EQ(*store_->job_holders(), (std::vector<std::string>{"host:2"}));
  // Long before the lease runs out, another worker takes them.
  EXPECT_TRUE(store_->claim_job("key_test", "host:3", 300'000)->has_value());
  EXPECT_TRUE(store_->claim_job("key_test", "host:3", 300'000)->has_value());
  EXPECT_FALSE(store_->claim_job("key_test", "host:3", 300'000)->has_value());
}

TEST_P(Jobs, AProcessRowIsBeatenListedAndRemoved) {
  ProcessRow a{"host:1", "host", 1, 1'000, 2'000, "telegram"};
  ProcessRow b{"host:2", "host", 2, 1'500, 2'500, ""};
  ASSERT_TRUE(store_->beat_process(b).ok());
  ASSERT_TRUE(store_->beat_process(a).ok());
  a.beat_ms = 4'000;
  a.roles = "telegram,desk/3";
  ASSERT_TRUE(store_->beat_process(a).ok());  // the next beat replaces the row
  EXPECT_EQ(*store_->list_processes(), (std::vector<ProcessRow>{a, b}));
  EXPECT_TRUE(*store_->remove_process("host:1"));
  EXPECT_FALSE(*store_->remove_process("host:1"));
  EXPECT_EQ(*store_->list_processes(), (std::vector<ProcessRow>{b}));
}

// Two workers, each with its own connection to the database (as two processes would have), claim at once;
// each keeps what it claimed (a long lease), so a job handed out twice would show up in both lists.
using JobsAcrossConnections = BackendTest;

TEST_P(JobsAcrossConnections, TwoWorkersNeverGetTheSameJob) {
  ManualClock& clock = clock_;
  Store* a = store_.get();
  auto b_store = second_store();
  Store* b = b_store.get();
  ASSERT_TRUE(a && b);
  constexpr int kJobs = 400;
  ASSERT_TRUE(a->with_transaction([&](Store& s) -> Status {
                 for (int i = 0; i < kJobs; ++i)
                   if (auto j = s.enqueue_job("key_test", std::to_string(i), clock.now_ms()); !j) return j.error();
                 return ok_status();
               }).ok());

  // Lockstep rounds: in every round both workers call claim_job at the same moment, the worst case for a
  // claim that is not one atomic step; neither can starve the other, so both surely take part.
  constexpr int kRounds = kJobs / 2 + 1;
  std::barrier round(2);
  std::vector<int64_t> got_a, got_b;
  std::atomic<int> errors{0};
  auto work = [&](Store& store, const std::string& name, std::vector<int64_t>& got) {
    for (int r = 0; r < kRounds; ++r) {
      round.arrive_and_wait();
      auto j = store.claim_job("key_test", name, 3'600'000);
      if (!j.ok()) {
        ++errors;
        continue;
      }
      if (!j->has_value()) continue;
      EXPECT_EQ((*j)->claimed_by, name);
      got.push_back((*j)->id);
    }
  };
  std::thread ta(work, std::ref(*a), "a", std::ref(got_a));
  std::thread tb(work, std::ref(*b), "b", std::ref(got_b));
  ta.join();
  tb.join();

  EXPECT_EQ(errors.load(), 0);
  std::set<int64_t> all(got_a.begin(), got_a.end());
  for (int64_t id : got_b) EXPECT_TRUE(all.insert(id).second) << "job " << id << " handed out twice";
  EXPECT_EQ(all.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(got_a.size() + got_b.size(), static_cast<size_t>(kJobs));
  EXPECT_EQ(got_a.size(), static_cast<size_t>(kJobs / 2));  // one job each per round: both took part
  EXPECT_EQ(got_b.size(), static_cast<size_t>(kJobs / 2));
  for (int64_t id : got_a) ASSERT_TRUE(*a->complete_job(id, "a"));
  for (int64_t id : got_b) ASSERT_TRUE(*b->complete_job(id, "b"));
}

using StoreThreads = BackendTest;

TEST_P(StoreThreads, ConcurrentWritesOnOneStoreAllLand) {
  Store* store = store_.get();
  ASSERT_TRUE(store);
  auto uid = store->create_user("ann@example.com", "h");
  ASSERT_TRUE(uid.ok());
  constexpr int kThreads = 4, kEach = 100;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!store->append_audit({0, uid->id, "t" + std::to_string(t), std::nullopt, "", "{}", 0}).ok()) ++errors;
        if (!store->create_user("u" + std::to_string(t) + "-" + std::to_string(i) + "@example.com", "h").ok()) ++errors;
        // A transaction from another thread waits for the mutex instead of interleaving.
        auto st = store->with_transaction([&](Store& s) -> Status {
          auto j = s.enqueue_job("k", "{}", 0);
          return j.ok() ? ok_status() : Status(j.error());
        });
        if (!st.ok()) ++errors;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(store->list_audit(uid->id, 10'000)->size(), static_cast<size_t>(kThreads * kEach));
  int users = 0;
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kEach; ++i)
      users += store->find_user_by_email("u" + std::to_string(t) + "-" + std::to_string(i) + "@example.com")->has_value();
  EXPECT_EQ(users, kThreads * kEach);
}

TEST_P(StoreThreads, WritersOnTwoConnectionsWaitForEachOtherInsteadOfFailing) {
  Store* a = store_.get();
  auto b_store = second_store();
  Store* b = b_store.get();
  ASSERT_TRUE(a && b);
  std::atomic<int> errors{0};
  auto write = [&](Store& s, char tag) {
    for (int i = 0; i < 200; ++i) {
      auto st = s.with_transaction([&](Store& t) -> Status {
        auto u = t.create_user(std::string(1, tag) + std::to_string(i) + "@example.com", "h");
        return u.ok() ? ok_status() : Status(u.error());
      });
      if (!st.ok()) ++errors;
    }
  };
  std::thread ta(write, std::ref(*a), 'a');
  std::thread tb(write, std::ref(*b), 'b');
  ta.join();
  tb.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_TRUE(a->find_user_by_email("b199@example.com")->has_value());
  EXPECT_TRUE(b->find_user_by_email("a199@example.com")->has_value());
}

INSTANTIATE_BACKENDS(Jobs);
INSTANTIATE_BACKENDS(JobsAcrossConnections);
INSTANTIATE_BACKENDS(StoreThreads);

}  // namespace
}  // namespace tb::store
