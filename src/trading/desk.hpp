#pragma once
// The trading desk: turns robots' signals into orders on the accounts of the user robots that follow them
// (DESIGN.md § Robots), exactly once.
//
// Each pass, for every started user robot, the robot's signals after its handled_seq are planned into legs
// (plan.hpp) and written down as order intents in one transaction with the new handled_seq: a crash before
// it leaves the signal to the next pass, a crash after it leaves intents that are never planned again. The
// client order id is made from the intent's row id in the venue's form, so a retry or a restart asks for
// the same order, never a second one. An answer that never came leaves the order `unknown`; only the
// venue settles it (settle pass: found by client order id, or absent twice over a while, then sent again
// with the same id). Fills move the user robot's position in the transaction that records them, once.
// Signals fan out to the user robots, up to DeskOptions::fan_out at once, their writes grouped into shared
// transactions (write_batch.hpp); one user robot's legs go in order (an exit before the entry that reverses it).
//
// Passes overlap (run()): one that waits on a venue's silence (up to a request's timeout) holds neither the
// other user robots' signals nor their settles. A user robot is worked on by one pass at a time, and a pass
// that read it before another pass worked on it leaves it to the next; an order is settled by one at a time.
//
// Threads: run every call on one thread (serve's io thread); the store is called synchronously.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/steady_timer.hpp>

#include "core/clock.hpp"
#include "crypto/signer.hpp"
#include "net/transport.hpp"
#include "store/store.hpp"
#include "venues/venue.hpp"

namespace tb::trading {

inline constexpr std::string_view kPurpose = "robot";

struct DeskOptions {
  std::chrono::milliseconds interval{1'000};  // how often new signals and unsettled orders are looked at
  int64_t signals_per_pass = 100;             // per user robot
  // An intent or unknown order the venue does not know is sent again only after this many "no such
  // order" answers, the last at least absent_after after it was written: one still in transit may land.
  int absent_answers = 2;
  std::chrono::milliseconds absent_after{10'000};
  // An unsettled order is asked again after ask_first, then twice as long each time up to ask_max: not
  // every pass, since the venue counts each question against the IP's weight.
  std::chrono::milliseconds ask_first{250};
  std::chrono::milliseconds ask_max{10'000};
  // Fees the venue tells apart (its trades of an order) are asked for this many orders a pass, oldest first.
  int64_t fee_lookups_per_pass = 2;
  // --reconcile-interval: how often each trading account's open orders and positions are compared with
  // ours (and once at start).
  std::chrono::milliseconds reconcile_interval{60'000};
  // ... at most this many accounts each time, in turn (each costs the IP's request weight at the venue).
  size_t reconcile_accounts = 25;
  // A signal with a price trades as a limit order at it; one not filled within order_timeout is cancelled
  // (confirmed) and what is left placed again slippage_step (a fraction of the price) further, up to
  // slippage_steps times; after that an exit goes at market and an entry is skipped. Without a price: market.
  std::chrono::milliseconds order_timeout{120'000};
  // The accounts this process trades on: several serve processes over one database split them (cluster/);
  // empty: every account.
  std::function<bool(int64_t account_id)> owns;
  Decimal slippage_step = Decimal::from_units(1, 3);  // 0.1 %
  int slippage_steps = 2;
  // A pass follows at most this many user robots at once (the others wait their turn): the requests in
  // flight are capped per venue anyway (net::HttpClientOptions::max_per_origin), and each user robot under
  // way holds its context and buffers.
  size_t fan_out = 512;
  // The grouped writes commit on a thread of their own (WriteBatcher's own_thread), so the event loop reads
  // the venues' answers meanwhile: serve's. The store and the clock must then be safe to call from it.
  bool commit_thread = false;
  // run() starts a pass every interval (at once on a signal) while fewer than this many are under way: a
  // pass waiting on a venue's silence lasts up to a request's timeout (15 s), the others go on meanwhile.
  int max_passes = 64;
};

// What the desk did that users hear of: a user robot paused (message says why), an order's new state, a
// position opened or closed.
struct DeskEvent {
  enum Kind { UserRobotUpdated, OrderUpdated, PositionOpened, PositionClosed, ForeignOrder } kind = UserRobotUpdated;
  store::UserRobot user_robot;
  std::optional<store::OrderRecord> order;
  std::optional<store::RobotPosition> position;
  std::optional<Order> foreign;  // ForeignOrder: an open order on the account that is not ours (never touched)
};

using VenueFor = std::function<venues::Venue*(std::string_view venue_id)>;
// An account's signer; it may be kept and handed out again (AccountService::trading_signer keeps them).
using SignerFor = std::function<Result<std::shared_ptr<crypto::Signer>>(const store::Account& account)>;

class WriteBatcher;  // write_batch.hpp

class TradingDesk {
 public:
  TradingDesk(store::Store& store, VenueFor venues, SignerFor signers, const Clock& clock, DeskOptions options, std::ostream& log);
  ~TradingDesk();

  // One pass: new signals of every started user robot, stops under way, and every unsettled robot order.
  // Returns the orders sent.
  net::Task<int64_t> run_once();
  // run_once every interval, overlapping those under way, and reconcile_once every reconcile_interval, until
  // stop(); returns once they have all ended.
  net::Task<void> run();
  // Every account a user robot runs on: open orders not in our ledger are told once (foreign_order), and on
  // a futures venue a position that differs from the sum of its user robots' pauses them with both amounts.
  // Returns the findings (foreign orders and differing positions).
  net::Task<int64_t> reconcile_once();
  void stop() { stopping_ = true; }
  // A new signal: the next pass starts now instead of at the end of the interval (any thread).
  void wake();
  // No pass under way, so no order of this desk in flight: an account may move to another process.
  bool between_passes() const { return passes_ == 0; }

  std::function<void(const DeskEvent&)> on_event;  // called on the desk's thread; must not block
  // Whether a user's events are heard at all (serve: a stream open or a chat linked); unset: every user's.
  // A fan-out's orders make two events each, copies of their rows: none is made for nobody.
  std::function<bool(int64_t user_id)> heard;
  // Before a pass follows its user robots, the signers of their accounts are opened together (serve:
  // AccountService::open_trading_signers, one read of their secrets); unset: SignerFor opens each.
  std::function<void(const std::vector<store::Account>&)> open_signers;

  struct Ctx;        // one user robot's account, robot, venue and signer for a pass (desk_context.hpp)
  struct PassReads;  // what a pass reads once for all the user robots of a robot (desk_context.hpp)
  struct Answered;   // an answer on its way into the ledger (desk_fills.cpp)

 private:
  // The user robot's new signals, unless another pass works on it, or has since this one read it at `read_at`.
  net::Task<int64_t> follow(store::UserRobot ur, PassReads& reads, uint64_t read_at);
  // `known`: the open position as the pass read it, when it is still the one to plan on.
  net::Task<int64_t> handle_signal(Ctx& ctx, const store::RobotSignal& signal,
                                   std::optional<std::optional<store::RobotPosition>> known = std::nullopt);
  // `settled` (when given): the venue's answer settled the order and it is recorded so.
  net::Task<int64_t> send(Ctx& ctx, store::OrderRecord order, bool* settled = nullptr);
  net::Task<int64_t> settle(store::OrderRecord order);  // the orders sent again
  net::Task<int64_t> finish_stop(store::UserRobot ur);
  net::Task<int64_t> settle_fees();  // desk_fees.cpp
  net::Task<int64_t> settle_fee(store::OrderRecord order);
  Result<std::unique_ptr<Ctx>> context_of(const store::UserRobot& ur, PassReads* reads = nullptr);
  // The intents and the new handled_seq, committed (in a batch with other user robots') before it returns.
  net::Task<Status> write_intents(Ctx& ctx, std::vector<store::OrderRecord>& intents, int64_t handled_seq);
  // What the venue said of an order, with its fill moved into the position; `next` (a re-placement) is
  // written in the same transaction and named, so a crash never loses nor doubles it.
  Status record(Ctx& ctx, store::OrderRecord order, const Order& answer, std::optional<store::OrderRecord>* next = nullptr);
  net::Task<Status> record_batched(Ctx& ctx, store::OrderRecord order, Order answer);  // record() in a batch
  Answered answered(const Ctx& ctx, store::OrderRecord order, Order answer) const;
  Status write_answer(store::Store& s, Answered& a);  // the transaction's part: runs again from a's inputs
  void published(const Answered& a) const;
  void moved(Ctx& ctx, const Answered& a) const;
  net::Task<int64_t> time_out(Ctx& ctx, store::OrderRecord order);  // a limit order past order_timeout
  void pause(store::UserRobot& ur, std::string why);                // ur as written
  void publish(DeskEvent event) const;
  bool heard_by(int64_t user_id) const { return on_event && (!heard || heard(user_id)); }

  store::Store& store_;
  VenueFor venues_;
  SignerFor signers_;
  const Clock& clock_;
  DeskOptions options_;
  std::ostream& log_;
  std::unique_ptr<WriteBatcher> batch_;
  bool stopping_ = false;
  int passes_ = 0;  // run_once and reconcile_once calls under way
  struct Pass;      // counts one while it lives (desk_context.hpp)
  bool reconciling_ = false;
  net::Task<void> pass();       // run_once for run(), its failure logged
  net::Task<void> reconcile();  // reconcile_once for run(), likewise
  bool owns(int64_t account_id) const { return !options_.owns || options_.owns(account_id); }
  std::atomic<boost::asio::steady_timer*> timer_{nullptr};  // run()'s wait, while it runs
  std::atomic<bool> woken_{false};                          // a wake() since the last pass began
  net::Task<int64_t> reconcile_account(std::vector<store::UserRobot> robots, uint64_t read_at);
  struct Asked {
    int64_t next_ms = 0;
    int times = 0;
  };
  int64_t reconciled_up_to_ = 0;    // the last account of the last reconciliation's slice
  std::map<int64_t, Asked> asked_;  // unsettled orders asked by this process: when to ask next
  // A new question about the order (it is on the book now, or sent again): asked soon, then backing off anew.
  void ask_afresh(int64_t order_id) { asked_[order_id] = Asked{clock_.now_ms() + options_.ask_first.count(), 1}; }
  // Looked up a few times an order in a fan-out, never walked in order: hashed.
  std::unordered_set<int64_t> in_flight_;             // orders this process is sending now: not settled behind their back
  std::unordered_set<int64_t> settling_;              // orders a pass asks the venue about now (their settle, their fee)
  std::unordered_set<int64_t> working_;               // user robots a pass follows, reconciles or asks a fee of now
  std::unordered_map<int64_t, int> settling_robots_;  // user robots whose orders are being settled: how many
  uint64_t stamp_ = 0;                                // counts reads and the ends of work on user robots
  std::unordered_map<int64_t, uint64_t> touched_;     // user robot -> stamp_ when work on it last ended
  struct Working;                                     // marks user robots in working_ while it lives (desk_context.hpp)
  // No pass works on the user robot now, nor has since `read_at`: what a pass read of it then still holds.
  bool free_since(int64_t user_robot_id, uint64_t read_at) const;
  std::set<std::pair<int64_t, std::string>> foreign_told_;  // (account, venue order id) already told
};

}  // namespace tb::trading
