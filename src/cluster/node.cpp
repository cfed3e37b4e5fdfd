// The node's life (run, stop, leave) and the events crossing between processes; node_tick.cpp has the beat.
#include "cluster/node.hpp"

#include <unistd.h>

#include <utility>  // before Asio's awaitable header: Boost 1.74 misses it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/failure_log.hpp"

namespace tb::cluster {

namespace {
constexpr const char* kChannel = "tb_events";
}

Node::Node(store::Store& store, std::unique_ptr<store::Coordination> coordination, const Clock& clock, store::ProcessRow self,
           NodeOptions options, std::ostream& log)
    : store_(store),
      coordination_(std::move(coordination)),
      clock_(clock),
      self_(std::move(self)),
      options_(options),
      log_(log),
      shards_(static_cast<size_t>(options.shards), false) {}

Node::~Node() { *alive_ = false; }

void Node::add_role(Role role) { roles_.push_back(Held{std::move(role)}); }

void Node::relay(accounts::EventBus& bus, ViewOf view_of) {
  bus_ = &bus;
  view_of_ = std::move(view_of);
  if (!coordination_->shared()) return;
  logged("listen to the other processes", coordination_->listen(kChannel));
  bus.forward_to([this](const accounts::AccountEvent& e) { publish_through(e); });
}

// Kept until the database hands it back; delivered here at once when it cannot go (this process's
// listeners then see it, the others do not).
void Node::publish_through(const accounts::AccountEvent& e) {
  const int64_t seq = ++next_seq_;
  auto payload = encode(Crossing{e}, seq);
  if (!payload) log_ << "cluster: an event too large to go to the other processes stays in this one\n";
  if (!payload || stopping_ || !coordination_) return bus_->deliver(e);
  sent_.emplace(seq, e);
  if (logged("send an event to the other processes", coordination_->notify(kChannel, *payload))) return;
  sent_.erase(seq);
  bus_->deliver(e);
}

// A lost session will not hand back what was sent on it: delivered here, in order.
void Node::deliver_unsent() {
  auto unsent = std::move(sent_);
  sent_.clear();
  if (bus_)
    for (const auto& [seq, e] : unsent) bus_->deliver(e);
}

void Node::session_ended(const std::string& token_hash) { send(Crossing{SessionEnded{token_hash}}); }
void Node::wake_others() { send(Crossing{Wake{}}); }

bool Node::owns_account(int64_t account_id) const {
  if (account_id < 0) return false;
  return shards_[static_cast<size_t>(account_id % options_.shards)];
}

void Node::send(const Crossing& c) {
  if (!coordination_->shared() || stopping_) return;
  auto payload = encode(c);
  if (!payload) {
    log_ << "cluster: an event too large to cross to the other processes was not sent\n";
    return;
  }
  // A failure loses this event for the other processes only; the next beat replaces a lost session.
  logged("send an event to the other processes", coordination_->notify(kChannel, *payload));
}

void Node::drain() {
  auto got = coordination_->take();
  if (!got) return;  // the session is lost: the next beat replaces it
  for (const auto& n : *got) arrived(n);
}

void Node::arrived(const store::Notification& n) {
  if (n.own) {  // the original, as published here: not read again
    auto seq = sequence_of(n.payload);
    auto it = seq ? sent_.find(*seq) : sent_.end();
    if (it == sent_.end()) return;
    accounts::AccountEvent e = std::move(it->second);
    sent_.erase(it);
    if (bus_) bus_->deliver(e);
    return;
  }
  auto c = decode(n.payload, view_of_);
  if (!c) return;
  if (auto* e = std::get_if<accounts::AccountEvent>(&*c)) {
    if (bus_) bus_->deliver(*e);
  } else if (auto* s = std::get_if<SessionEnded>(&*c)) {
    if (on_session_ended) on_session_ended(s->token_hash);
  } else if (on_wake) {
    on_wake();
  }
}

net::Task<void> Node::run() {
  auto ex = co_await boost::asio::this_coro::executor;
  auto alive = alive_;
  tick();  // the first shares are taken before the desk's first pass
  if (coordination_->shared()) boost::asio::co_spawn(ex, listen_loop(), boost::asio::detached);
  boost::asio::steady_timer timer(ex);
  while (*alive && !stopping_) {
    timer.expires_after(options_.beat);
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (!*alive || stopping_) break;
    tick();
  }
}

// Waits on the session's socket and delivers what arrives; a new session (after a lost one) is waited on anew.
net::Task<void> Node::listen_loop() {
  auto ex = co_await boost::asio::this_coro::executor;
  auto alive = alive_;
  boost::asio::steady_timer pause(ex);
  while (*alive && !stopping_) {
    const uint64_t session = session_;
    const int fd = coordination_->socket();
    boost::asio::posix::stream_descriptor socket(ex, fd >= 0 ? ::dup(fd) : -1);
    while (fd >= 0 && *alive && !stopping_ && session == session_) {
      boost::system::error_code ec;
      co_await socket.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                                 boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec || !*alive || stopping_ || session != session_) break;
      auto got = coordination_->take();
      if (!got) break;  // lost: wait for the beat to open a new session
      for (const auto& n : *got) arrived(n);
    }
    if (!*alive || stopping_) break;
    pause.expires_after(std::chrono::milliseconds(200));
    boost::system::error_code ec;
    co_await pause.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  }
}

void Node::stop() { stopping_ = true; }

void Node::leave() {
  stopping_ = true;
  deliver_unsent();
  logged("remove this process's row", store_.remove_process(self_.id));
  logged("hand back this process's jobs", store_.release_jobs_of(self_.id));
  coordination_.reset();  // the session ends: its locks go with it
}

}  // namespace tb::cluster
