// One timer for many deadlines: each entry is told once when its own passes, in deadline order, and never
// after it was unwatched; an io_context with nothing watched has no work left.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "net/deadline_watch.hpp"

namespace tb::net {
namespace {

using namespace std::chrono_literals;
using Clock = DeadlineWatch::Clock;

struct Named : DeadlineWatch::Entry {
  Named(std::string n, std::vector<std::string>& log) : name(std::move(n)), expired(log) {}
  std::string name;
  std::vector<std::string>& expired;

 protected:
  void expire() override { expired.push_back(name); }
};

TEST(DeadlineWatch, EachEntryIsToldOnceWhenItsOwnDeadlinePassesAndNotOnceUnwatched) {
  boost::asio::io_context io;
  auto watch = std::make_shared<DeadlineWatch>(io);
  std::vector<std::string> expired;
  Named late("late", expired), early("early", expired), done("done", expired);
  const auto t0 = Clock::now();
  watch->watch(late, t0 + 120ms);
  watch->watch(early, t0 + 40ms);  // earlier than the timer is set for: it is set again
  watch->watch(done, t0 + 20ms);
  watch->unwatch(done);  // finished in time
  io.run_for(80ms);
  EXPECT_EQ(expired, std::vector<std::string>({"early"}));
  EXPECT_TRUE(early.timed_out());
  EXPECT_FALSE(late.timed_out());
  io.restart();
  io.run_for(100ms);
  EXPECT_EQ(expired, std::vector<std::string>({"early", "late"}));
  EXPECT_FALSE(done.timed_out());
  watch->unwatch(early);
  watch->unwatch(late);
  EXPECT_EQ(watch->watched(), 0u);
  // A new watch starts untimed.
  watch->watch(early, Clock::now() + 10s);
  EXPECT_FALSE(early.timed_out());
  watch->unwatch(early);
}

TEST(DeadlineWatch, NothingWatchedLeavesTheIoContextWithoutWork) {
  boost::asio::io_context io;
  auto watch = std::make_shared<DeadlineWatch>(io);
  std::vector<std::string> expired;
  Named a("a", expired);
  watch->watch(a, Clock::now() + 30s);
  watch->unwatch(a);
  const auto t0 = Clock::now();
  io.run();  // returns at once: the timer's wait was cancelled with the last entry
  EXPECT_LT(Clock::now() - t0, 5s);
  EXPECT_TRUE(expired.empty());
}

TEST(DeadlineWatch, AWatchGoneBeforeTheDeadlineTellsNobody) {
  boost::asio::io_context io;
  std::vector<std::string> expired;
  Named a("a", expired);
  {
    auto watch = std::make_shared<DeadlineWatch>(io);
    watch->watch(a, Clock::now() + 20ms);
    watch->unwatch(a);
    watch->watch(a, Clock::now() + 20ms);  // the client's own watch ends while this one is still watched
  }
  std::this_thread::sleep_for(40ms);  // past the deadline
  io.run();                           // the timer's wait ended as cancelled with it
  EXPECT_TRUE(expired.empty());
  EXPECT_FALSE(a.timed_out());
}

}  // namespace
}  // namespace tb::net
