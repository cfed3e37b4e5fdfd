// The desk's group commit (trading/write_batch.hpp) on a real SQLite store: the writes asked for in one turn
// share one transaction, each caller resumes only after the commit, and a failing write fails alone; the
// same whether the transactions run on the callers' thread or on the batcher's own (serve's).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "store/temp_db.hpp"
#include "support/harness.hpp"
#include "trading/join.hpp"
#include "trading/write_batch.hpp"

namespace tb::trading {
namespace {

class WriteBatch : public ::testing::TestWithParam<bool> {};

struct BatchWorld {
  explicit BatchWorld(bool own_thread) : batch(*store, 512, own_thread) {}
  store::TempDb db;
  ManualClock clock;
  std::unique_ptr<store::SqliteStore> store = store::open_store(db.path(), clock);
  WriteBatcher batch;
  std::map<std::string, int> runs;  // how often each email's write ran
  int resumed = 0;

  // A user by that email; 1 when its write was committed. `ran_then`: which writes had run by then.
  net::Task<int64_t> add(std::string email, std::map<std::string, int>* ran_then = nullptr) {
    WriteBatcher::Write write = [this, email](store::Store& s) -> Status {
      runs[email] += 1;
      auto u = s.create_user(email, "h");
      if (!u) return u.error();
      return ok_status();
    };
    Status st = co_await batch.write(std::move(write));
    resumed += 1;
    if (ran_then) *ran_then = runs;
    if (st) {
      EXPECT_TRUE(store->find_user_by_email(email)->has_value()) << email << ": committed before its caller resumes";
    }
    co_return st ? 1 : 0;
  }
};

TEST_P(WriteBatch, TheWritesOfOneTurnRunTogetherBeforeAnyCallerResumes) {
  BatchWorld w(GetParam());
  std::map<std::string, int> first_saw;
  std::vector<net::Task<int64_t>> tasks;
  tasks.push_back(w.add("a@example.com", &first_saw));
  tasks.push_back(w.add("b@example.com"));
  tasks.push_back(w.add("c@example.com"));
  EXPECT_EQ(test::run(run_all(std::move(tasks))), 3);
  EXPECT_EQ(first_saw.size(), 3u);  // the first caller resumed after all three had run
  for (const auto& [email, n] : w.runs) EXPECT_EQ(n, 1) << email;
}

TEST_P(WriteBatch, AFailingWriteRollsTheBatchBackAndOnlyItFails) {
  BatchWorld w(GetParam());
  ASSERT_TRUE(w.store->create_user("taken@example.com", "h"));
  std::vector<net::Task<int64_t>> tasks;
  tasks.push_back(w.add("a@example.com"));
  tasks.push_back(w.add("taken@example.com"));  // a unique email: refused
  tasks.push_back(w.add("c@example.com"));
  EXPECT_EQ(test::run(run_all(std::move(tasks))), 2);
  EXPECT_TRUE(w.store->find_user_by_email("a@example.com")->has_value());
  EXPECT_TRUE(w.store->find_user_by_email("c@example.com")->has_value());
  EXPECT_EQ(w.runs["a@example.com"], 2);  // once in the batch rolled back, once alone
  EXPECT_EQ(w.runs["taken@example.com"], 2);
  EXPECT_EQ(w.runs["c@example.com"], 1);  // the batch stopped at the failure: alone only
  EXPECT_EQ(w.resumed, 3);
}

// Seen through a failure: only the batch that holds it runs again write by write.
TEST_P(WriteBatch, ABatchIsCappedAndTheRestGoInTheNext) {
  BatchWorld w(GetParam());
  ASSERT_TRUE(w.store->create_user("u3@example.com", "h"));
  WriteBatcher small(*w.store, 2, GetParam());
  std::vector<net::Task<int64_t>> tasks;
  for (int i = 0; i < 5; ++i) {
    tasks.push_back([](WriteBatcher& b, BatchWorld& w, int i) -> net::Task<int64_t> {
      const std::string email = "u" + std::to_string(i) + "@example.com";
      WriteBatcher::Write write = [&w, email](store::Store& s) -> Status {
        w.runs[email] += 1;
        auto u = s.create_user(email, "h");
        if (!u) return u.error();
        return ok_status();
      };
      Status st = co_await b.write(std::move(write));
      co_return st ? 1 : 0;
    }(small, w, i));
  }
  EXPECT_EQ(test::run(run_all(std::move(tasks))), 4);
  const std::map<std::string, int> expected{
      {"u0@example.com", 1}, {"u1@example.com", 1}, {"u2@example.com", 2}, {"u3@example.com", 2}, {"u4@example.com", 1}};
  EXPECT_EQ(w.runs, expected);  // batches {u0, u1}, {u2, u3} (run again alone), {u4}
}

// Serve's: the transactions on the batcher's own thread, the callers resumed on theirs.
TEST_P(WriteBatch, TheCallersResumeOnTheirOwnThread) {
  BatchWorld w(GetParam());
  const auto caller = std::this_thread::get_id();
  std::thread::id committed_on, resumed_on;
  auto one = [](BatchWorld& w, std::thread::id* committed_on, std::thread::id* resumed_on) -> net::Task<int64_t> {
    WriteBatcher::Write write = [committed_on](store::Store& s) -> Status {
      *committed_on = std::this_thread::get_id();
      return s.create_user("t@example.com", "h") ? ok_status() : Error::make(ErrorKind::Internal, "not written");
    };
    Status st = co_await w.batch.write(std::move(write));
    *resumed_on = std::this_thread::get_id();
    co_return st ? 1 : 0;
  };
  EXPECT_EQ(test::run(one(w, &committed_on, &resumed_on)), 1);
  EXPECT_EQ(resumed_on, caller);
  EXPECT_EQ(committed_on != caller, GetParam());
}

// Serve's: while one batch commits, the writes that come (over many turns) wait and then commit together.
TEST(WriteBatchOwnThread, TheWritesThatComeWhileABatchCommitsGoInOneBatchAfterIt) {
  BatchWorld w(true);
  auto slow = [](BatchWorld& w) -> net::Task<int64_t> {
    WriteBatcher::Write write = [](store::Store& s) -> Status {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a commit that takes long
      return s.create_user("slow@example.com", "h") ? ok_status() : Error::make(ErrorKind::Internal, "not written");
    };
    Status st = co_await w.batch.write(std::move(write));
    co_return st ? 1 : 0;
  };
  auto later = [](BatchWorld& w, int i) -> net::Task<int64_t> {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, std::chrono::milliseconds(20 * (i + 1)));
    co_await timer.async_wait(boost::asio::use_awaitable);  // each in a turn of its own, while `slow` commits
    co_return co_await w.add("later" + std::to_string(i) + "@example.com");
  };
  std::vector<net::Task<int64_t>> tasks;
  tasks.push_back(slow(w));
  for (int i = 0; i < 4; ++i) tasks.push_back(later(w, i));
  EXPECT_EQ(test::run(run_all(std::move(tasks))), 5);
  EXPECT_EQ(w.batch.commits(), 2);  // {slow}, then the four together
  for (int i = 0; i < 4; ++i) EXPECT_EQ(w.runs["later" + std::to_string(i) + "@example.com"], 1);
}

INSTANTIATE_TEST_SUITE_P(Threads, WriteBatch, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "OwnThread" : "CallersThread"; });

}  // namespace
}  // namespace tb::trading
