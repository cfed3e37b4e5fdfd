// PgStore: the order ledger, the venues' kept limits, the audit log and balance snapshots.
#include "store/pg/pg_rows.hpp"
#include "store/pg/pg_store_impl.hpp"

namespace tb::store::pg {

// ---- orders ----

namespace {

// The row as given; its id too when it is set (a robot order's, taken first), else the sequence's next.
Result<OrderRecord> insert_order(PgConn& c, OrderRecord o, int64_t now_ms) {
  o.created_ms = o.updated_ms = now_ms;
  const std::optional<int64_t> id = o.id ? std::optional<int64_t>(o.id) : std::nullopt;
  auto inserted = returned_id(
      c,
      "INSERT INTO orders (id, account_id, purpose, venue, symbol, client_order_id, venue_order_id, side, type, price, amount, state, "
      "absent_answers, note, created_at, updated_at, settled_at, user_robot_id, signal_seq, leg, attempt, reduce_only) "
      "VALUES (coalesce($1, nextval(pg_get_serial_sequence('orders', 'id'))), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
      "$14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id",
      PgParams(id, o.account_id, o.purpose, o.venue, o.symbol, o.client_order_id, o.venue_order_id, o.side, o.type, o.price.to_string(),
               o.amount.to_string(), o.state, o.absent_answers, o.note, o.created_ms, o.updated_ms, o.settled_ms, o.user_robot_id,
               o.signal_seq, o.leg, o.attempt, o.reduce_only));
  if (!inserted) return inserted.error();
  o.id = *inserted;
  return o;
}

}  // namespace

Result<OrderRecord> PgStore::record_order(const OrderRecord& order) {
  OrderRecord o = order;
  o.id = 0;
  return with_conn([&](PgConn& c) { return insert_order(c, o, clock_.now_ms()); });
}

Result<OrderRecord> PgStore::record_robot_order(const OrderRecord& order, const ClientOrderIdOf& client_order_id_of) {
  return with_conn([&](PgConn& c) -> Result<OrderRecord> {
    auto id = select_one<int64_t>(c, "SELECT nextval(pg_get_serial_sequence('orders', 'id'))", [](const PgRow& r) { return r.int_at(0); });
    if (!id) return id.error();
    if (!*id) return Error::make(ErrorKind::Internal, "store: the orders' sequence gave no id");
    OrderRecord o = order;
    o.id = **id;
    o.client_order_id = client_order_id_of(o.id);
    return insert_order(c, o, clock_.now_ms());
  });
}

Status PgStore::update_order(const OrderRecord& o) {
  auto n = with_conn([&](PgConn& c) {
    return affected(
        c,
        "UPDATE orders SET venue_order_id = $1, state = $2, absent_answers = $3, note = $4, settled_at = $5, filled = $6, "
        "average_price = $7, fee = $8, applied = $9, fee_pending = $10, position_id = $11, updated_at = $12 WHERE id = $13",
        PgParams(o.venue_order_id, o.state, o.absent_answers, o.note, o.settled_ms, o.filled.to_string(), o.average_price.to_string(),
                 o.fee.to_string(), o.applied.to_string(), o.fee_pending, o.position_id, clock_.now_ms(), o.id));
  });
  if (!n) return n.error();
  if (*n == 0) return not_found("order", o.id);
  return ok_status();
}

Result<std::optional<OrderRecord>> PgStore::find_order(int64_t id) {
  return with_conn([&](PgConn& c) {
    return select_one<OrderRecord>(c, "SELECT " + cols(kOrderCols) + " FROM orders WHERE id = $1", read_order, PgParams(id));
  });
}

Result<std::vector<OrderRecord>> PgStore::unsettled_orders(int64_t account_id) {
  return with_conn([&](PgConn& c) {
    return select_all<OrderRecord>(c,
                                   "SELECT " + cols(kOrderCols) + " FROM orders WHERE account_id = $1 AND settled_at IS NULL ORDER BY id",
                                   read_order, PgParams(account_id));
  });
}

Result<std::vector<OrderRecord>> PgStore::unsettled_orders_of_user(int64_t user_id) {
  return with_conn([&](PgConn& c) {
    return select_all<OrderRecord>(c,
                                   "SELECT " + cols(kOrderCols, "o.") +
                                       " FROM accounts a JOIN orders o ON o.account_id = a.id AND o.settled_at IS NULL "
                                       "WHERE a.user_id = $1 ORDER BY o.id",
                                   read_order, PgParams(user_id));
  });
}

// ---- venue limits ----

Result<std::vector<VenueLimit>> PgStore::venue_limits(std::string_view venue, std::string_view egress_ip) {
  return with_conn([&](PgConn& c) {
    return select_all<VenueLimit>(c, "SELECT " + cols(kVenueLimitCols) + " FROM venue_limits WHERE venue = $1 AND egress_ip = $2",
                                  read_venue_limit, PgParams(venue, egress_ip));
  });
}

Status PgStore::save_venue_limit(const VenueLimit& l) {
  return with_conn([&](PgConn& c) {
    return exec(c,
                "INSERT INTO venue_limits (venue, egress_ip, name, window_start, used, blocked_until, updated_at) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (venue, egress_ip, name) DO UPDATE SET "
                "window_start = excluded.window_start, used = excluded.used, blocked_until = excluded.blocked_until, "
                "updated_at = excluded.updated_at",
                PgParams(l.venue, l.egress_ip, l.name, l.window_start_ms, l.used, l.blocked_until_ms, clock_.now_ms()));
  });
}

// ---- audit ----

Result<int64_t> PgStore::append_audit(const AuditEntry& e) {
  const int64_t at = e.at_ms ? e.at_ms : clock_.now_ms();
  return with_conn([&](PgConn& c) {
    return returned_id(c,
                       "INSERT INTO audit_log (user_id, action, account_id, ip, detail, at, channel, telegram_user_id) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                       PgParams(e.user_id, e.action, e.account_id, e.ip, e.detail_json, at, e.channel, e.telegram_user_id));
  });
}

Result<std::vector<AuditEntry>> PgStore::list_audit(int64_t user_id, int limit) {
  return with_conn([&](PgConn& c) {
    return select_all<AuditEntry>(c, "SELECT " + cols(kAuditCols) + " FROM audit_log WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
                                  read_audit, PgParams(user_id, limit));
  });
}

// ---- balance snapshots ----

Status PgStore::add_balance_snapshot(const BalanceSnapshot& b) {
  return with_conn([&](PgConn& c) {
    return exec(c,
                "INSERT INTO balance_snapshots (account_id, at, usd_total) VALUES ($1, $2, $3) "
                "ON CONFLICT (account_id, at) DO UPDATE SET usd_total = excluded.usd_total",
                PgParams(b.account_id, b.at_ms, b.usd_total.to_string()));
  });
}

Result<std::vector<BalanceSnapshot>> PgStore::list_balance_snapshots(int64_t account_id, int64_t from_ms, int64_t to_ms) {
  return with_conn([&](PgConn& c) {
    return select_all<BalanceSnapshot>(
        c, "SELECT account_id, at, usd_total FROM balance_snapshots WHERE account_id = $1 AND at >= $2 AND at <= $3 ORDER BY at",
        [](const PgRow& r) -> Result<BalanceSnapshot> {
          auto usd = decimal_at(r, 2, "balance_snapshots.usd_total");
          if (!usd) return usd.error();
          return BalanceSnapshot{r.int_at(0), r.int_at(1), *usd};
        },
        PgParams(account_id, from_ms, to_ms));
  });
}

}  // namespace tb::store::pg
