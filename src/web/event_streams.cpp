#include "web/event_streams.hpp"

#include <vector>

#include <nlohmann/json.hpp>

namespace tb::web {

std::optional<uint64_t> EventStreams::add(int64_t user_id, std::string token_hash, std::weak_ptr<net::QueueStream> stream) {
  std::lock_guard lock(mu_);
  size_t& count = per_user_[user_id];
  if (count >= max_per_user_) return std::nullopt;
  ++count;
  uint64_t id = next_id_++;
  entries_.emplace(id, Entry{user_id, std::move(token_hash), std::move(stream)});
  return id;
}

void EventStreams::erase_locked(std::map<uint64_t, Entry>::iterator it) {
  auto user = per_user_.find(it->second.user_id);
  if (user != per_user_.end() && --user->second == 0) per_user_.erase(user);
  entries_.erase(it);
}

void EventStreams::remove(uint64_t id) {
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(id); it != entries_.end()) erase_locked(it);
}

bool EventStreams::contains(uint64_t id) const {
  std::lock_guard lock(mu_);
  return entries_.count(id) != 0;
}

size_t EventStreams::open(int64_t user_id) const {
  std::lock_guard lock(mu_);
  auto it = per_user_.find(user_id);
  return it == per_user_.end() ? 0 : it->second;
}

void EventStreams::send_end(const std::weak_ptr<net::QueueStream>& stream, std::string_view reason) {
  auto s = stream.lock();
  if (!s) return;
  s->push(net::format_sse_event(nlohmann::json{{"reason", reason}}.dump(), "session.ended"));
  s->finish();  // the server writes what is queued, then closes the connection
}

void EventStreams::end_session(std::string_view token_hash, std::string_view reason) {
  std::vector<std::weak_ptr<net::QueueStream>> ending;
  {
    std::lock_guard lock(mu_);
    for (auto it = entries_.begin(); it != entries_.end();) {
      auto here = it++;
      if (here->second.token_hash != token_hash) continue;
      ending.push_back(here->second.stream);
      erase_locked(here);
    }
  }
  for (const auto& s : ending) send_end(s, reason);  // outside the lock: a push may run on_close, which removes
}

void EventStreams::end(uint64_t id, std::string_view reason) {
  std::weak_ptr<net::QueueStream> stream;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    stream = it->second.stream;
    erase_locked(it);
  }
  send_end(stream, reason);
}

}  // namespace tb::web
