#include "trading/write_batch.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace tb::trading {

namespace asio = boost::asio;

struct WriteBatcher::Batch {
  explicit Batch(asio::any_io_executor ex) : home(ex), done(std::move(ex), asio::steady_timer::time_point::max()) {}
  asio::any_io_executor home;  // the writers' executor: where they are woken
  std::vector<Write> writes;
  std::vector<Status> results;
  asio::steady_timer done;  // cancelled once the results are in: every writer's wake-up
  bool flushed = false;
};

WriteBatcher::WriteBatcher(store::Store& store, size_t max_batch, bool own_thread)
    : store_(store), max_batch_(max_batch), writer_(own_thread ? std::make_unique<asio::thread_pool>(1) : nullptr) {}

WriteBatcher::~WriteBatcher() {
  if (writer_) writer_->join();
}

net::Task<Status> WriteBatcher::write(Write write) {
  auto ex = co_await asio::this_coro::executor;
  if (!open_ || open_->writes.size() >= max_batch_) {
    if (open_) full_.push_back(std::move(open_));
    open_ = std::make_shared<Batch>(ex);
    // Posted: it runs after the handlers already queued, so the writers ready in this turn join first.
    if (!writing_) asio::post(ex, [this] { flush_next(); });
  }
  std::shared_ptr<Batch> batch = open_;
  const size_t index = batch->writes.size();
  batch->writes.push_back(std::move(write));
  while (!batch->flushed) {
    boost::system::error_code ec;
    co_await batch->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return batch->results[index];
}

void WriteBatcher::flush_next() {
  if (writing_) return;
  std::shared_ptr<Batch> batch;
  if (!full_.empty()) {
    batch = std::move(full_.front());
    full_.pop_front();
  } else if (open_) {
    batch = std::move(open_);
  } else {
    return;
  }
  auto wake = [this, batch] {
    batch->flushed = true;
    batch->done.cancel();
    writing_ = false;
    flush_next();  // what came in while it committed, together
  };
  writing_ = true;
  if (!writer_) {
    commit(*batch);
    wake();
    return;
  }
  // The results are handed back through the writers' executor: it alone touches `flushed`, the timer and
  // the queue.
  asio::post(*writer_, [this, batch, wake] {
    commit(*batch);
    asio::post(batch->home, wake);
  });
}

void WriteBatcher::commit(Batch& b) {
  commits_ += 1;
  try {
    Status together = store_.with_transaction([&](store::Store& s) -> Status {
      for (auto& w : b.writes)
        if (auto st = w(s); !st) return st;
      return ok_status();
    });
    if (together || b.writes.size() == 1) {
      b.results.assign(b.writes.size(), together);
    } else {  // one of them failed (or the commit): each alone, so only the failing ones fail
      for (auto& w : b.writes) b.results.push_back(store_.with_transaction([&](store::Store& s) { return w(s); }));
    }
  } catch (const std::exception& e) {  // rolled back: the writes not answered yet fail (none is sent)
    b.results.resize(b.writes.size(), Error::make(ErrorKind::Internal, std::string("store: ") + e.what()));
  }
}

}  // namespace tb::trading
