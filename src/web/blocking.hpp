#pragma once
// Runs a slow synchronous call (password hashing) on a worker pool while the awaiting coroutine waits on
// its own executor, so the io thread keeps serving other requests meanwhile. `where` is the pool, or a
// strand over it: calls posted to one strand run one at a time, holding at most one of the pool's threads.
//
// The call travels as a std::function and the wake-up is a timer cancelled from the home executor: GCC 12
// mishandles closure types taken by value as coroutine parameters (as Asio 1.74's async_initiate does for
// use_awaitable), so no lambda crosses into a coroutine frame here. The result comes in an optional:
// Boost 1.74's awaitable wants a default-constructible value.
#include <utility>

#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/transport.hpp"

namespace tb::web {

template <typename R>
struct BlockingCall {
  explicit BlockingCall(const boost::asio::any_io_executor& home) : done(home) {}
  boost::asio::steady_timer done;
  std::optional<R> result;
};

template <typename R, typename Where>
net::Task<std::optional<R>> run_blocking(Where& where, std::function<R()> fn) {
  auto call = std::make_shared<BlockingCall<R>>(co_await boost::asio::this_coro::executor);
  call->done.expires_at(boost::asio::steady_timer::time_point::max());
  auto work = std::make_shared<std::function<R()>>(std::move(fn));
  boost::asio::post(where, [call, work] {
    auto value = std::make_shared<R>((*work)());
    boost::asio::post(call->done.get_executor(), [call, value] {
      call->result.emplace(std::move(*value));
      call->done.cancel();
    });
  });
  while (!call->result) {
    boost::system::error_code ec;
    co_await call->done.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
  co_return std::move(call->result);
}

}  // namespace tb::web
