#pragma once
// The open event streams (GET /api/v1/events), by user and by session: at most `max_per_user` at once per
// user (each holds a connection and a subscription), and a session that ends takes its streams with it —
// they get `event: session.ended` and close, instead of streaming to a signed-out browser. Thread-safe:
// sessions end on the io thread (logout) and on the worker pool (a password change). The count is per process,
// on purpose: it bounds what this process holds open (connections, subscriptions), unlike the abuse limits
// that live in the database (app/store_limit_entries.hpp) because a guess counts wherever it lands.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "net/response_stream.hpp"

namespace tb::web {

class EventStreams {
 public:
  static constexpr size_t kDefaultMaxPerUser = 5;
  explicit EventStreams(size_t max_per_user = kDefaultMaxPerUser) : max_per_user_(max_per_user) {}

  // Registers a stream of the session; nullopt when its user already has max_per_user open. The caller
  // calls remove(id) when the stream closes (a client hang-up, the server stopping).
  std::optional<uint64_t> add(int64_t user_id, std::string token_hash, std::weak_ptr<net::QueueStream> stream);
  void remove(uint64_t id);
  bool contains(uint64_t id) const;
  // Every stream of the session gets `event: session.ended` {"reason": reason} and ends; their slots are free.
  void end_session(std::string_view token_hash, std::string_view reason);
  void end(uint64_t id, std::string_view reason);  // one stream, the same way
  size_t open(int64_t user_id) const;
  size_t max_per_user() const { return max_per_user_; }

 private:
  struct Entry {
    int64_t user_id = 0;
    std::string token_hash;
    std::weak_ptr<net::QueueStream> stream;
  };
  void erase_locked(std::map<uint64_t, Entry>::iterator it);
  static void send_end(const std::weak_ptr<net::QueueStream>& stream, std::string_view reason);

  const size_t max_per_user_;
  mutable std::mutex mu_;
  std::map<uint64_t, Entry> entries_;
  std::map<int64_t, size_t> per_user_;
  uint64_t next_id_ = 1;
};

}  // namespace tb::web
