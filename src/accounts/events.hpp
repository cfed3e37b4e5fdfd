#pragma once
// What happens to a user's exchange accounts, as it happens: created, test step, tested, renamed, keys
// replaced, invalid after a re-check, deleted, as typed values. The web API streams them to the user
// (server-sent events, rendered by web/account_json), and notifiers (Telegram) listen for all users. Listeners run on the publisher's
// thread and must be quick (push to a queue); an event never carries a secret.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <variant>

#include "accounts/account_view.hpp"

namespace tb::accounts {

// An account as it is after it changed.
struct AccountChanged {
  enum class Change {
    Created,  // added, its key test queued
    Updated,  // renamed, keys replaced, re-tested, re-checked, its test order settled
    Tested,   // a key test ended: the view holds the result
    Invalid,  // a re-check found the venue rejecting the key
  };
  Change change = Change::Updated;
  AccountView view;
};

// A key test's step started or ended.
struct KeyTestStepped {
  int64_t account_id = 0;
  int64_t test_id = 0;
  store::KeyTestStep step;
};

struct AccountDeleted {
  int64_t account_id = 0;
};

// What another module tells a user through the same listeners (the robots' trades, pauses, foreign
// orders): the event stream's name and JSON data, and the words a linked chat is told (empty: not told).
struct Notice {
  std::string name;  // "user_robot.updated", "order.updated", "position.opened", ...
  std::string data_json;
  std::string text;
};

struct AccountEvent {
  int64_t user_id = 0;
  std::variant<AccountChanged, KeyTestStepped, AccountDeleted, Notice> what;
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

  // user_id: whose events; kAllUsers for every user's. notices = false: the listener ignores Notice events
  // (see wants_notice).
  [[nodiscard]] Subscription subscribe(int64_t user_id, Listener listener, bool notices = true);
  // To this process's listeners; with a forwarder set, to the forwarder instead, which delivers it.
  void publish(const AccountEvent& event) const;
  // To this process's listeners only.
  void deliver(const AccountEvent& event) const;
  // Several processes over one database: every event goes through the database (cluster/node.hpp), which
  // hands it back to each process, this one too, so all see all events in one order. Set once before events
  // flow (serve's wiring); called on the publisher's thread.
  void forward_to(Listener forwarder) { forwarder_ = std::move(forwarder); }
  size_t listeners() const;
  // Whether a Notice for this user may reach a listener: a fan-out's notices (a JSON each, for every order)
  // are not made for nobody. Always with a forwarder: the other processes' listeners are not known here.
  bool wants_notice(int64_t user_id) const;

 private:
  struct Entry {
    int64_t user_id;
    std::shared_ptr<Listener> listener;
    bool notices = true;
  };
  void unsubscribe(uint64_t id);
  mutable std::mutex mu_;
  std::map<uint64_t, Entry> entries_;
  uint64_t next_id_ = 1;
  Listener forwarder_;
  std::map<int64_t, size_t> notice_listeners_;  // per user id (kAllUsers: every user's)
};

}  // namespace tb::accounts
