#pragma once
// The ledger of orders on users' accounts, and the venues' limits kept per egress IP. Part of the store's door (store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/error.hpp"

namespace tb::store {

// An order sent (or about to be sent) to a venue on a user's account, written down before it is sent
// (DESIGN.md § Robots): a lost answer or a crash never loses it, and only the venue's answer settles it.
struct OrderRecord {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string purpose;  // "key_test"; the robots add theirs
  std::string venue;
  std::string symbol;           // the venue's market id
  std::string client_order_id;  // ours, unique per account: what we ask the venue by
  std::string venue_order_id;   // once the venue told it
  std::string side;             // "buy" / "sell"
  std::string type;             // "limit" / "market"
  Decimal price;                // zero for market orders
  Decimal amount;
  std::string state;       // orders::OrderState's text: "intent", "unknown", "open", "cancelled", ...
  int absent_answers = 0;  // how often the venue answered that it has no such order
  std::string note;        // the last thing learnt, in plain words
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  std::optional<int64_t> settled_ms;  // empty while the order may still be open
  // A robot's order (purpose "robot"): whose, for which signal and leg, and what of it filled.
  std::optional<int64_t> user_robot_id;
  int64_t signal_seq = 0;
  std::string leg;  // "entry" / "exit"
  int attempt = 0;  // the leg's re-placements after a timeout
  bool reduce_only = false;
  Decimal filled;
  Decimal average_price;
  Decimal fee;      // in quote, as the venue reported it
  Decimal applied;  // the filled amount already counted in the user robot's position
  // The venue tells this order's fee apart (its trades), asked later at a pace its request weight allows.
  bool fee_pending = false;
  // The position its fill moved: where a fee learnt later is counted. It may name a position deleted since
  // with its user robot (ids are never given again); no key ties the two.
  std::optional<int64_t> position_id;
};

// What a venue told us of its limits from one egress IP (a weight window, a wait it asked for), kept so a
// restarted process starts where the last one stopped.
struct VenueLimit {
  std::string venue;
  std::string egress_ip;  // "" when unknown: one process's own address
  std::string name;       // the budget: "weight", "orders", "auth/r/orders", ...
  int64_t window_start_ms = 0;
  int64_t used = 0;
  int64_t blocked_until_ms = 0;
  int64_t updated_ms = 0;
};

class OrderStore {
 public:
  virtual ~OrderStore() = default;

  // orders: the ledger of orders on users' accounts
  // An intent, before it is sent (state as given, created/updated from the clock). InvalidArgument
  // "client_order_id: ..." when the account already has an order with that id: an order is never sent twice.
  virtual Result<OrderRecord> record_order(const OrderRecord& order) = 0;
  // venue_order_id, state, absent_answers, note, settled_ms, filled, average_price, fee, applied, fee_pending
  // and position_id of
  // order.id; updated_ms from the clock.
  virtual Status update_order(const OrderRecord& order) = 0;
  virtual Result<std::optional<OrderRecord>> find_order(int64_t id) = 0;
  virtual Result<std::vector<OrderRecord>> unsettled_orders(int64_t account_id) = 0;  // oldest first
  // Every unsettled order of the user's accounts in one read, for the account list.
  virtual Result<std::vector<OrderRecord>> unsettled_orders_of_user(int64_t user_id) = 0;

  // venue limits, per venue and egress IP
  virtual Result<std::vector<VenueLimit>> venue_limits(std::string_view venue, std::string_view egress_ip) = 0;
  virtual Status save_venue_limit(const VenueLimit& limit) = 0;  // inserts or replaces; updated_ms from the clock
};

}  // namespace tb::store
