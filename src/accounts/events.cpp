#include "accounts/events.hpp"

#include <vector>

namespace tb::accounts {

EventBus::Subscription& EventBus::Subscription::operator=(Subscription&& o) noexcept {
  if (this != &o) {
    reset();
    bus_ = o.bus_;
    id_ = o.id_;
    o.bus_ = nullptr;
  }
  return *this;
}

void EventBus::Subscription::reset() {
  if (bus_) bus_->unsubscribe(id_);
  bus_ = nullptr;
}

EventBus::Subscription EventBus::subscribe(int64_t user_id, Listener listener, bool notices) {
  std::lock_guard lock(mu_);
  uint64_t id = next_id_++;
  entries_.emplace(id, Entry{user_id, std::make_shared<Listener>(std::move(listener)), notices});
  if (notices) notice_listeners_[user_id] += 1;
  return Subscription(this, id);
}

void EventBus::unsubscribe(uint64_t id) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  if (it->second.notices)
    if (auto n = notice_listeners_.find(it->second.user_id); n != notice_listeners_.end() && --n->second == 0) notice_listeners_.erase(n);
  entries_.erase(it);
}

bool EventBus::wants_notice(int64_t user_id) const {
  if (forwarder_) return true;
  std::lock_guard lock(mu_);
  return notice_listeners_.count(kAllUsers) > 0 || notice_listeners_.count(user_id) > 0;
}

void EventBus::publish(const AccountEvent& event) const {
  if (forwarder_) forwarder_(event);
  else deliver(event);
}

void EventBus::deliver(const AccountEvent& event) const {
  // Called outside the lock, so a listener may subscribe or unsubscribe without deadlock.
  std::vector<std::shared_ptr<Listener>> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, e] : entries_)
      if (e.user_id == kAllUsers || e.user_id == event.user_id) targets.push_back(e.listener);
  }
  for (const auto& l : targets) (*l)(event);
}

size_t EventBus::listeners() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace tb::accounts
