#pragma once
// Virtual time for tests of code that waits: sleep() suspends on a timer, and run() runs whatever is ready,
// then moves the ManualClock to the earliest wake-up and wakes it — so concurrent waiters interleave as
// they would in real time, in no real time at all.
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <memory>

#include "core/clock.hpp"
#include "net/transport.hpp"

namespace tb::telegram::test {

class VirtualTime final : public net::Sleeper {
 public:
  VirtualTime(ManualClock& clock, boost::asio::io_context& io) : clock_(clock), io_(io) {}

  net::Task<void> sleep(std::chrono::milliseconds d) override {
    waits.push_back(d);
    if (d.count() <= 0) co_return;
    auto timer = std::make_shared<boost::asio::steady_timer>(io_);
    timer->expires_at(boost::asio::steady_timer::time_point::max());
    wakeups_.emplace(std::make_pair(clock_.now_ms() + d.count(), seq_++), timer);
    boost::system::error_code ec;
    co_await timer->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }

  // Until nothing is ready and nobody sleeps.
  void run() {
    for (;;) {
      io_.restart();
      io_.poll();
      if (wakeups_.empty()) return;
      auto first = wakeups_.begin();
      if (first->first.first > clock_.now_ms()) clock_.set_ms(first->first.first);
      auto timer = first->second;
      wakeups_.erase(first);
      timer->cancel();
    }
  }

  std::vector<std::chrono::milliseconds> waits;

 private:
  ManualClock& clock_;
  boost::asio::io_context& io_;
  std::map<std::pair<int64_t, uint64_t>, std::shared_ptr<boost::asio::steady_timer>> wakeups_;
  uint64_t seq_ = 0;
};

}  // namespace tb::telegram::test
