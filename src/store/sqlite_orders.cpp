// SqliteStore: the order ledger and the venues' kept limits.
#include "store/sqlite_store.hpp"

#include <algorithm>

#include "store/sqlite_rows.hpp"

namespace tb::store {

using namespace sqlite_rows;

// ---- orders ----

// The row as given; its id too when it is set (a robot order's, taken first), else the next one.
Result<OrderRecord> SqliteStore::insert_order(const OrderRecord& order) {
  Lock lock(mu_);
  return in_transaction<OrderRecord>([&]() -> Result<OrderRecord> {
    OrderRecord o = order;
    if (o.id == 0) {
      auto id = take_id(order_ids_);
      if (!id) return id.error();
      o.id = *id;
    }
    o.created_ms = o.updated_ms = clock_.now_ms();
    auto s = db_->prepare(
        "INSERT INTO orders (id, account_id, purpose, venue, symbol, client_order_id, venue_order_id, side, type, price, amount, "
        "state, absent_answers, note, created_at, updated_at, settled_at, user_robot_id, signal_seq, leg, attempt, reduce_only) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return s.error();
    if (auto st = s->bind_all(o.id, o.account_id, o.purpose, o.venue, o.symbol, o.client_order_id, o.venue_order_id, o.side, o.type,
                              o.price.to_string(), o.amount.to_string(), o.state, int64_t{o.absent_answers}, o.note, o.created_ms,
                              o.updated_ms, o.settled_ms, o.user_robot_id, o.signal_seq, o.leg, int64_t{o.attempt}, int64_t{o.reduce_only})
                      .run();
        !st)
      return st.error();
    return o;
  });
}

Result<OrderRecord> SqliteStore::record_order(const OrderRecord& order) {
  OrderRecord o = order;
  o.id = 0;
  return insert_order(o);
}

Status SqliteStore::update_order(const OrderRecord& o) {
  Lock lock(mu_);
  auto s = db_->prepare(
      "UPDATE orders SET venue_order_id = ?, state = ?, absent_answers = ?, note = ?, settled_at = ?, filled = ?, average_price = ?, "
      "fee = ?, applied = ?, fee_pending = ?, position_id = ?, updated_at = ? WHERE id = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(o.venue_order_id, o.state, int64_t{o.absent_answers}, o.note, o.settled_ms, o.filled.to_string(),
                            o.average_price.to_string(), o.fee.to_string(), o.applied.to_string(), int64_t{o.fee_pending}, o.position_id,
                            clock_.now_ms(), o.id)
                    .run();
      !st)
    return st;
  if (db_->changes() == 0) return not_found("order", o.id);
  return ok_status();
}

Result<std::optional<OrderRecord>> SqliteStore::find_order(int64_t id) {
  Lock lock(mu_);
  return select_one<OrderRecord>(*db_, "SELECT " + cols(kOrderCols) + " FROM orders WHERE id = ?", read_order, id);
}

Result<std::vector<OrderRecord>> SqliteStore::unsettled_orders(int64_t account_id) {
  Lock lock(mu_);
  return select_all<OrderRecord>(
      *db_, "SELECT " + cols(kOrderCols) + " FROM orders WHERE account_id = ? AND settled_at IS NULL ORDER BY id", read_order, account_id);
}

Result<std::vector<OrderRecord>> SqliteStore::unsettled_orders_of_user(int64_t user_id) {
  Lock lock(mu_);
  return select_all<OrderRecord>(*db_,
                                 "SELECT " + cols(kOrderCols, "o.") +
                                     " FROM accounts a JOIN orders o ON o.account_id = a.id AND o.settled_at IS NULL "
                                     "WHERE a.user_id = ? ORDER BY o.id",
                                 read_order, user_id);
}

// ---- venue limits ----

Result<std::vector<VenueLimit>> SqliteStore::venue_limits(std::string_view venue, std::string_view egress_ip) {
  Lock lock(mu_);
  return select_all<VenueLimit>(*db_, "SELECT " + cols(kVenueLimitCols) + " FROM venue_limits WHERE venue = ? AND egress_ip = ?",
                                read_venue_limit, std::string(venue), std::string(egress_ip));
}

Status SqliteStore::save_venue_limit(const VenueLimit& l) {
  Lock lock(mu_);
  auto s = db_->prepare(
      "INSERT INTO venue_limits (venue, egress_ip, name, window_start, used, blocked_until, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (venue, egress_ip, name) DO UPDATE SET window_start = excluded.window_start, used = excluded.used, "
      "blocked_until = excluded.blocked_until, updated_at = excluded.updated_at");
  if (!s) return s.error();
  return s->bind_all(l.venue, l.egress_ip, l.name, l.window_start_ms, l.used, l.blocked_until_ms, clock_.now_ms()).run();
}

}  // namespace tb::store
