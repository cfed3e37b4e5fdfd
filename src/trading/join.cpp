#include "trading/join.hpp"

#include <algorithm>
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

net::Task<int64_t> worker(std::shared_ptr<size_t> next, size_t n, const std::function<net::Task<int64_t>(size_t)>* task) {
  int64_t sum = 0;
  while (*next < n) {
    const size_t i = (*next)++;
    try {
      sum += co_await (*task)(i);
    } catch (...) {
    }
  }
  co_return sum;
}

}  // namespace

net::Task<int64_t> run_limited(size_t n, size_t width, std::function<net::Task<int64_t>(size_t index)> task) {
  auto next = std::make_shared<size_t>(0);
  std::vector<net::Task<int64_t>> workers;
  for (size_t w = 0; w < std::min(n, std::max<size_t>(width, 1)); ++w) workers.push_back(worker(next, n, &task));
  co_return co_await run_all(std::move(workers));  // `task` lives in this frame until every worker is done
}

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
