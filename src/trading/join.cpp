#include "trading/join.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

namespace tb::trading {

namespace asio = boost::asio;

namespace {

struct Join {
  explicit Join(asio::any_io_executor ex, size_t n) : timer(ex, asio::steady_timer::time_point::max()), left(n) {}
  asio::steady_timer timer;  // cancelled when the last task ends: the waiter's wake-up
  size_t left;
  int64_t sum = 0;
};

net::Task<void> joined(std::shared_ptr<Join> join, net::Task<int64_t> task) {
  try {
    join->sum += co_await std::move(task);
  } catch (...) {
  }
  if (--join->left == 0) join->timer.cancel();
}

}  // namespace

net::Task<int64_t> run_all(std::vector<net::Task<int64_t>> tasks) {
  if (tasks.empty()) co_return 0;
  auto ex = co_await asio::this_coro::executor;
  auto join = std::make_shared<Join>(ex, tasks.size());
  for (auto& t : tasks) asio::co_spawn(ex, joined(join, std::move(t)), asio::detached);
  while (join->left > 0) {
    boost::system::error_code ec;
    co_await join->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return join->sum;
}

}  // namespace tb::trading
