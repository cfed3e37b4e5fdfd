#include "net/response_stream.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>
#include <mutex>

namespace tb::net {

namespace asio = boost::asio;

// Producers touch the queue under the mutex from any thread; the timer is only touched on the strand. A
// push queues first and then posts the timer's cancel to the strand, and next() checks the queue and arms
// the timer in one step on that strand, so a wake-up is never lost: the cancel runs either before the
// check (which then sees the chunk) or after the wait began (and ends it). A stale cancel only makes next()
// look again.
struct QueueStream::State {
  State(asio::any_io_executor executor, std::chrono::milliseconds keepalive_, size_t max_queued_)
      : strand(asio::make_strand(executor)), timer(strand), keepalive(keepalive_), max_queued(max_queued_) {}

  asio::strand<asio::any_io_executor> strand;
  asio::steady_timer timer;
  const std::chrono::milliseconds keepalive;
  const size_t max_queued;

  mutable std::mutex mu;
  std::deque<std::string> queue;
  bool finished = false;
  bool is_closed = false;
  std::function<void()> on_close;

  void wake(const std::shared_ptr<State>& self) {
    asio::post(strand, [self] { self->timer.cancel(); });
  }

  // Marks the stream closed under the lock; returns the callback to run outside it (empty if it already was).
  std::function<void()> close_locked(bool& was_open) {
    was_open = !is_closed;
    if (is_closed) return {};
    is_closed = true;
    queue.clear();
    return std::exchange(on_close, {});
  }

  static Task<std::optional<std::string>> next_on_strand(std::shared_ptr<State> self) {
    using clock = std::chrono::steady_clock;
    const auto deadline = self->keepalive.count() > 0 ? clock::now() + self->keepalive : clock::time_point::max();
    for (;;) {
      bool ended = false;
      std::string out;
      {
        std::lock_guard lock(self->mu);
        if (self->is_closed) {
          ended = true;
        } else if (!self->queue.empty()) {
          size_t total = 0;
          for (auto& c : self->queue) total += c.size();
          out.reserve(total);
          for (auto& c : self->queue) out += c;
          self->queue.clear();
        } else if (self->finished) {
          ended = true;
        }
      }
      if (ended) co_return std::nullopt;
      if (!out.empty()) co_return out;
      if (clock::now() >= deadline) co_return std::string(":\n\n");
      self->timer.expires_at(deadline);
      boost::system::error_code ec;
      co_await self->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }
};

QueueStream::QueueStream(asio::any_io_executor executor, std::chrono::milliseconds keepalive, size_t max_queued)
    : state_(std::make_shared<State>(std::move(executor), keepalive, max_queued == 0 ? 1 : max_queued)) {}

// No wake-up here: whoever awaits next() holds the stream, so none is pending, and the io_context may be gone.
QueueStream::~QueueStream() {
  std::function<void()> callback;
  bool was_open = false;
  {
    std::lock_guard lock(state_->mu);
    callback = state_->close_locked(was_open);
  }
  if (callback) callback();
}

bool QueueStream::push(std::string chunk) {
  std::function<void()> callback;
  bool overflow = false;
  {
    std::lock_guard lock(state_->mu);
    if (state_->is_closed || state_->finished) return false;
    if (chunk.empty()) return true;
    if (state_->queue.size() >= state_->max_queued) {
      bool was_open = false;
      callback = state_->close_locked(was_open);
      overflow = true;
    } else {
      state_->queue.push_back(std::move(chunk));
    }
  }
  state_->wake(state_);
  if (callback) callback();
  return !overflow;
}

void QueueStream::finish() {
  {
    std::lock_guard lock(state_->mu);
    if (state_->is_closed || state_->finished) return;
    state_->finished = true;
  }
  state_->wake(state_);
}

void QueueStream::close() {
  std::function<void()> callback;
  bool was_open = false;
  {
    std::lock_guard lock(state_->mu);
    callback = state_->close_locked(was_open);
  }
  if (was_open) state_->wake(state_);
  if (callback) callback();
}

bool QueueStream::closed() const {
  std::lock_guard lock(state_->mu);
  return state_->is_closed;
}

void QueueStream::on_close(std::function<void()> callback) {
  {
    std::lock_guard lock(state_->mu);
    if (!state_->is_closed) {
      state_->on_close = std::move(callback);
      return;
    }
  }
  if (callback) callback();
}

size_t QueueStream::queued() const {
  std::lock_guard lock(state_->mu);
  return state_->queue.size();
}

Task<std::optional<std::string>> QueueStream::next() {
  // Run on the strand that owns the timer, and come back to the caller's executor with the result.
  co_return co_await asio::co_spawn(state_->strand, State::next_on_strand(state_), asio::use_awaitable);
}

std::string format_sse_event(std::string_view data, std::string_view event, std::string_view id) {
  auto append_clean = [](std::string& out, std::string_view field, std::string_view value) {
    out.append(field).append(": ");
    for (char c : value)
      if (c != '\r' && c != '\n' && c != '\0') out.push_back(c);
    out.push_back('\n');
  };
  std::string out;
  out.reserve(data.size() + event.size() + id.size() + 32);
  if (!event.empty()) append_clean(out, "event", event);
  if (!id.empty()) append_clean(out, "id", id);
  size_t start = 0;
  for (;;) {
    size_t end = data.find_first_of("\r\n", start);
    out.append("data: ").append(data.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)).push_back('\n');
    if (end == std::string_view::npos) break;
    start = end + (data[end] == '\r' && end + 1 < data.size() && data[end + 1] == '\n' ? 2 : 1);
  }
  out.push_back('\n');
  return out;
}

}  // namespace tb::net
