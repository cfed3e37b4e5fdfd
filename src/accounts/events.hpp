#pragma once
// What happens to a user's exchange accounts, as it happens: created, test step, tested, renamed, keys
// replaced, invalid after a re-check, deleted. The web API streams these to the user (server-sent events),
// and notifiers (Telegram) listen for all users. Listeners run on the publisher's thread and must be quick
// (push to a queue); an event never carries a secret.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace tb::accounts {

struct AccountEvent {
  int64_t user_id = 0;
  std::string type;     // "account.created", "key_test.step", "account.tested", "account.invalid", ...
  nlohmann::json data;  // the account view, or the step
};

class EventBus {
 public:
  using Listener = std::function<void(const AccountEvent&)>;
  static constexpr int64_t kAllUsers = 0;

  // Unsubscribes when destroyed.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(EventBus* bus, uint64_t id) : bus_(bus), id_(id) {}
    Subscription(Subscription&& o) noexcept : bus_(o.bus_), id_(o.id_) { o.bus_ = nullptr; }
    Subscription& operator=(Subscription&& o) noexcept;
    ~Subscription() { reset(); }
    void reset();

   private:
    EventBus* bus_ = nullptr;
    uint64_t id_ = 0;
  };

  // user_id: whose events; kAllUsers for every user's.
  [[nodiscard]] Subscription subscribe(int64_t user_id, Listener listener);
  void publish(const AccountEvent& event) const;
  size_t listeners() const;

 private:
  struct Entry {
    int64_t user_id;
    std::shared_ptr<Listener> listener;
  };
  void unsubscribe(uint64_t id);
  mutable std::mutex mu_;
  std::map<uint64_t, Entry> entries_;
  uint64_t next_id_ = 1;
};

}  // namespace tb::accounts
