// The desk's fan-out helpers (trading/join.hpp): every task runs, at most `width` at once.
#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "support/harness.hpp"
#include "trading/join.hpp"

namespace tb::trading {
namespace {

TEST(Join, RunLimitedRunsEveryTaskAndNoMoreThanTheWidthAtOnce) {
  int running = 0, most = 0, started = 0;
  std::function<net::Task<int64_t>(size_t)> task = [&](size_t i) -> net::Task<int64_t> {
    ++started;
    most = std::max(most, ++running);
    boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, std::chrono::milliseconds(1 + i % 3));
    co_await t.async_wait(boost::asio::use_awaitable);
    --running;
    co_return static_cast<int64_t>(i);
  };
  EXPECT_EQ(test::run(run_limited(7, 3, task)), 0 + 1 + 2 + 3 + 4 + 5 + 6);
  EXPECT_EQ(started, 7);
  EXPECT_EQ(most, 3);
  EXPECT_EQ(test::run(run_limited(0, 3, task)), 0);
  EXPECT_EQ(test::run(run_limited(2, 0, task)), 1);  // a width of 0 is taken as 1
}

}  // namespace
}  // namespace tb::trading
