#pragma once
// Inside the desk: what one user robot's pass works with, how an entry is sized and an intent made.
#include <map>
#include <memory>
#include <set>
#include <span>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "trading/desk.hpp"
#include "trading/plan.hpp"
#include "venues/registry.hpp"

namespace tb::trading {

struct TradingDesk::Ctx {
  store::UserRobot ur;
  store::Account account;
  store::Robot robot;
  venues::Venue* venue = nullptr;
  const venues::VenueDescription* description = nullptr;
  std::shared_ptr<crypto::Signer> signer;  // kept across passes by whoever makes it (SignerFor)
  std::optional<Market> market;            // read once a pass, when needed
  PassReads* reads = nullptr;              // the pass's, when it follows signals
  bool waiting = false;                    // an order of this pass not settled yet: the next signal waits for it
  // The open position (or none) as this pass read it and then wrote it: an answer's fill moves it without
  // reading it again. Unset: read in the answer's transaction (a settle, a stop).
  std::optional<std::optional<store::RobotPosition>> position;
};

// A pass fans one robot's signals out to all its user robots: the robot and its signals after a seq are read
// once for them all (most user robots of a robot have handled the same signals), and the accounts and open
// positions of all the pass's user robots in one read each. A position read so is the one a user robot's
// first signal of the pass is planned on: only the desk moves it, and not for a user robot between passes.
struct TradingDesk::PassReads {
  std::map<int64_t, store::Robot> robots;
  std::map<int64_t, Market> markets;  // by robot: its market, picked from the venue's list once, not per user robot
  std::map<std::pair<int64_t, int64_t>, std::vector<store::RobotSignal>> signals;  // (robot, after seq)
  std::map<int64_t, store::Account> accounts;                                      // without balances (store::AccountStore::account_rows)
  bool accounts_read = false;                                                      // else each is read on its own
  std::map<int64_t, store::RobotPosition> positions;                               // by user robot: the open ones
  bool positions_read = false;                                                     // else each is read on its own
};

// A pass (or a reconciliation) under way while it lives. The first to start with no other under way forgets
// when user robots were last touched: no read is left that could be older.
struct TradingDesk::Pass {
  explicit Pass(TradingDesk& d) : desk(d) {
    if (++desk.passes_ == 1) desk.touched_.clear();
  }
  ~Pass() { --desk.passes_; }
  Pass(const Pass&) = delete;
  Pass& operator=(const Pass&) = delete;
  TradingDesk& desk;
};

// User robots worked on while it lives: a follow, a reconciliation or a fee's look-up has them alone
// (TradingDesk::working_); settles share them (settling_robots_: two orders of one user robot settle
// together). When it ends they count as touched then.
struct TradingDesk::Working {
  Working(TradingDesk& d, std::span<const int64_t> user_robots, bool shared = false)
      : desk(d), ids(user_robots.begin(), user_robots.end()), shared(shared) {
    for (int64_t id : ids)
      if (shared) ++desk.settling_robots_[id];
      else desk.working_.insert(id);
  }
  Working(TradingDesk& d, int64_t user_robot, bool shared = false) : Working(d, std::span<const int64_t>(&user_robot, 1), shared) {}
  ~Working() {
    const uint64_t end = ++desk.stamp_;
    for (int64_t id : ids) {
      if (!shared) desk.working_.erase(id);
      else if (auto it = desk.settling_robots_.find(id); it != desk.settling_robots_.end() && --it->second == 0)
        desk.settling_robots_.erase(it);
      desk.touched_[id] = end;
    }
  }
  Working(const Working&) = delete;
  Working& operator=(const Working&) = delete;
  TradingDesk& desk;
  boost::container::small_vector<int64_t, 1> ids;  // most often one: no allocation a follow
  bool shared;
};

// Takes `id` out of `set` when it ends: an order is asked about (TradingDesk::settling_) until its settle ends.
struct Unmark {
  std::unordered_set<int64_t>& set;
  int64_t id;
  ~Unmark() { set.erase(id); }
};

// The robot's market on its venue (its step, tick and minimums): ctx.market, read once.
net::Task<Result<const Market*>> market_of(TradingDesk::Ctx& ctx);

// The entry's amount from the user robot's volume at the signal's price (the ticker's when the signal has
// none). InvalidArgument "volume: ..." when it is below the market minimum; other errors are the venue's.
net::Task<Result<Decimal>> size_entry(TradingDesk::Ctx& ctx, const store::RobotSignal& signal);

// The intent of one leg: a limit order at `price` when given, else a market order; not yet named (the
// store gives its row id first).
store::OrderRecord intent_of(const TradingDesk::Ctx& ctx, int64_t signal_seq, const Leg& leg, const Decimal& amount,
                             std::optional<Decimal> price = std::nullopt);

// The re-placement of a timed-out limit order for what is left: one slippage step further (a buy higher, a
// sell lower, on the market's tick), or at market for an exit past the last step; empty for an entry past
// it (skipped).
std::optional<store::OrderRecord> next_attempt(const store::OrderRecord& o, const Decimal& left, const DeskOptions& options,
                                               const Decimal& tick);

// The venue's words settle nothing when its answer may not have been the last: these errors leave an
// order's outcome unknown (it may be on the book).
bool outcome_unknown(ErrorKind kind);

}  // namespace tb::trading
