#pragma once
// This serve process among the others over the same database (DESIGN.md § Scale, docs/SCALING.md).
//
// Every beat (a second):
//  - its row in `processes` is written with the roles it holds, and the jobs of a process whose row went
//    stale (no beat for stale_after: it died) are handed back at once instead of after their leases;
//  - its Coordination session is checked: a lost session lost every lock, and the roles held here stop;
//  - each role with one owner (the Telegram poller, the candle loops) is taken when its lock is free;
//  - the trading desk's accounts are split into `shards` shares by id; this process holds its fair part
//    (shards ÷ live processes, rounded up) and gives extra shares back only while the desk is between
//    passes, so an order in flight never changes hands.
// Events published on the bus go through the database (LISTEN/NOTIFY) and come back to every process, this
// one too, so a browser on any process sees them all, in one order.
// SQLite: the same with file locks, and no event crosses (its processes share one machine and one file).
//
// Threads: serve's io thread, for everything.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "accounts/events.hpp"
#include "cluster/event_codec.hpp"
#include "core/clock.hpp"
#include "net/transport.hpp"
#include "store/coordination.hpp"
#include "store/store.hpp"

namespace tb::cluster {

struct NodeOptions {
  std::chrono::milliseconds beat{1'000};
  std::chrono::milliseconds live_within{5'000};   // a process beaten within it counts in the fair share
  std::chrono::milliseconds stale_after{10'000};  // a process silent this long died: its jobs are handed back
  int shards = 16;
};

// Work with one owner among the processes.
struct Role {
  std::string name;                 // "telegram", "candles": shown in /healthz and the processes row
  std::function<void()> start;      // this process took the lock
  std::function<void()> stop;       // it lost it (its session was lost); may be empty
  bool restartable = true;          // false: once lost, never taken again by this process
  std::function<void()> elsewhere;  // once, when the first beat finds another process holding it; may be empty
};

class Node {
 public:
  Node(store::Store& store, std::unique_ptr<store::Coordination> coordination, const Clock& clock, store::ProcessRow self,
       NodeOptions options, std::ostream& log);
  ~Node();

  void add_role(Role role);  // before run()
  // The bus's events go through the database and are delivered to it when they come back; the other
  // processes' too (their accounts read anew by view_of).
  void relay(accounts::EventBus& bus, ViewOf view_of);
  std::function<void(const std::string& token_hash)> on_session_ended;  // another process signed it out
  std::function<void()> on_wake;                                        // another process took a signal
  void session_ended(const std::string& token_hash);                    // tell the others
  void wake_others();
  // The desk is between passes (no order of it in flight): a share may change hands.
  std::function<bool()> desk_idle;

  // The desk's filter: an account of a share this process holds.
  bool owns_account(int64_t account_id) const;
  net::Task<void> run();  // beats until stop()
  void tick();            // one beat (run() calls it each beat; tests too)
  void stop();            // no more beats; locks given back when the session closes
  // After the io loop ended: the row goes and the jobs still claimed by this process are handed back.
  void leave();

  const std::string& id() const { return self_.id; }
  std::vector<std::string> roles() const;  // held now, e.g. {"telegram", "desk/0", ...}
  bool shared() const { return coordination_->shared(); }

 private:
  struct Held {
    Role role;
    bool held = false;
    bool retired = false;
    bool tried = false;
  };
  void beat();
  void sweep_stale(int64_t now);
  void session_lost();
  void take_roles();
  void balance_shards(int64_t now);
  void send(const Crossing& c);
  void publish_through(const accounts::AccountEvent& e);
  void deliver_unsent();
  void drain();
  void arrived(const store::Notification& n);
  net::Task<void> listen_loop();

  store::Store& store_;
  std::unique_ptr<store::Coordination> coordination_;
  const Clock& clock_;
  store::ProcessRow self_;
  NodeOptions options_;
  std::ostream& log_;
  std::vector<Held> roles_;
  std::vector<bool> shards_;  // held by this process
  accounts::EventBus* bus_ = nullptr;
  ViewOf view_of_;
  std::map<int64_t, accounts::AccountEvent> sent_;  // own events on their way through the database, by number
  int64_t next_seq_ = 0;
  bool stopping_ = false;
  uint64_t session_ = 0;  // counts sessions: the listener waits on the socket of the one it was started on
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tb::cluster
