#include "net/deadline_watch.hpp"

#include <algorithm>

namespace tb::net {

void DeadlineWatch::watch(Entry& entry, Clock::time_point deadline) {
  entry.deadline_ = deadline;
  entry.timed_out_ = false;
  entry.slot_ = entries_.size();
  entries_.push_back(&entry);
  if (deadline < armed_for_) arm(deadline);
}

void DeadlineWatch::unwatch(Entry& entry) {
  if (entry.slot_ == kNone) return;
  Entry* last = entries_.back();
  entries_[entry.slot_] = last;
  last->slot_ = entry.slot_;
  entries_.pop_back();
  entry.slot_ = kNone;
  if (entries_.empty() && armed_for_ != Clock::time_point::max()) {  // a waiting timer keeps io_context::run() going
    armed_for_ = Clock::time_point::max();
    timer_.cancel();
  }
}

void DeadlineWatch::arm(Clock::time_point at) {
  armed_for_ = at;
  timer_.expires_at(at);  // a wait set for later ends as cancelled
  timer_.async_wait([w = weak_from_this()](boost::system::error_code ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    if (auto self = w.lock()) self->expire_due();
  });
}

void DeadlineWatch::expire_due() {
  armed_for_ = Clock::time_point::max();
  const auto now = Clock::now();
  auto next = Clock::time_point::max();
  for (size_t i = 0; i < entries_.size(); ++i) {
    Entry* e = entries_[i];
    if (e->timed_out_) continue;
    if (e->deadline_ > now) {
      next = std::min(next, e->deadline_);
      continue;
    }
    e->timed_out_ = true;
    e->expire();  // may not unwatch: the operation's own scope does, once its handler has run
  }
  if (next != Clock::time_point::max()) arm(next);
}

}  // namespace tb::net
