#pragma once
// What the SQLite store's files share (not part of the store's door): reading rows into the store's types,
// the column lists those readers expect, and one-row and all-rows queries.
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "store/sqlite_db.hpp"
#include "store/store.hpp"

namespace tb::store::sqlite_rows {

using Lock = std::lock_guard<std::recursive_mutex>;

inline Error not_found(std::string_view what, int64_t id) {
  return Error::make(ErrorKind::InvalidArgument, std::string(what) + ": no row with id " + std::to_string(id));
}

// An optional decimal as its column's text, NULL when absent.
inline std::optional<std::string> text_of(const std::optional<Decimal>& d) {
  return d ? std::optional<std::string>(d->to_string()) : std::nullopt;
}

inline Result<Decimal> decimal_column(const Stmt& s, int col, std::string_view what) {
  auto d = Decimal::parse(s.text_at(col));
  if (!d) return Error::make(ErrorKind::Internal, "store: " + std::string(what) + " is not a decimal");
  return *d;
}

inline constexpr const char* kUserCols = "id, email, password_hash, created_at";
inline User read_user(const Stmt& s) { return User{s.int_at(0), s.text_at(1), s.text_at(2), s.int_at(3)}; }

inline constexpr const char* kSessionCols = "token_hash, user_id, csrf_token, expires_at, ip, user_agent, created_at, last_seen_at";
inline Session read_session(const Stmt& s) {
  return Session{s.text_at(0), s.int_at(1), s.text_at(2), s.int_at(3), s.text_at(4), s.text_at(5), s.int_at(6), s.int_at(7)};
}

inline constexpr const char* kAccountCols =
    "id, user_id, name, venue, masked_key, status, reason, usd_total, last_checked_at, created_at, updated_at";
// The row's own columns; its portfolio comes from read_portfolios (sqlite_owned_rows.hpp).
inline Result<Account> read_account(const Stmt& s) {
  Account a;
  a.id = s.int_at(0);
  a.user_id = s.int_at(1);
  a.name = s.text_at(2);
  a.venue = s.text_at(3);
  a.masked_key = s.text_at(4);
  auto status = parse_account_status(s.text_at(5));
  if (!status) return Error::make(ErrorKind::Internal, "store: accounts.status is unknown");
  a.status = *status;
  a.reason = s.text_at(6);
  auto usd = decimal_column(s, 7, "accounts.usd_total");
  if (!usd) return usd.error();
  a.usd_total = *usd;
  a.last_checked_ms = s.opt_int_at(8);
  a.created_ms = s.int_at(9);
  a.updated_ms = s.int_at(10);
  return a;
}

inline Result<std::vector<Account>> read_accounts(Stmt& s) {
  std::vector<Account> out;
  for (;;) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return out;
    auto a = read_account(s);
    if (!a) return a.error();
    out.push_back(std::move(*a));
  }
}

inline constexpr const char* kKeyTestCols =
    "id, account_id, outcome, started_at, finished_at, reason_code, message, trading_expires_at, retry_at";
// The row's own columns; its steps and warnings come from read_test_parts (sqlite_owned_rows.hpp).
inline Result<KeyTest> read_key_test(const Stmt& s) {
  KeyTest t;
  t.id = s.int_at(0);
  t.account_id = s.int_at(1);
  t.outcome = s.text_at(2);
  t.started_ms = s.int_at(3);
  t.finished_ms = s.opt_int_at(4);
  auto reason = parse_invalid_reason(s.text_at(5));
  if (!reason) return Error::make(ErrorKind::Internal, "store: key_tests.reason_code is unknown");
  t.reason = *reason;
  t.message = s.text_at(6);
  t.trading_expires_ms = s.opt_int_at(7);
  t.retry_at_ms = s.opt_int_at(8);
  return t;
}

inline constexpr const char* kJobCols = "id, kind, payload, run_at, claimed_by, claimed_until, attempts";
inline Job read_job(const Stmt& s) {
  return Job{s.int_at(0), s.text_at(1), s.text_at(2), s.int_at(3), s.opt_text_at(4), s.opt_int_at(5), static_cast<int>(s.int_at(6))};
}

inline constexpr const char* kTelegramCols =
    "telegram_user_id, chat_id, user_id, username, first_name, dialog, last_update_id, blocked, created_at, updated_at";
inline TelegramLink read_telegram_link(const Stmt& s) {
  return TelegramLink{s.int_at(0),  s.int_at(1), s.int_at(2),      s.text_at(3), s.text_at(4),
                      s.text_at(5), s.int_at(6), s.int_at(7) != 0, s.int_at(8),  s.int_at(9)};
}

inline constexpr const char* kOrderCols =
    "id, account_id, purpose, venue, symbol, client_order_id, venue_order_id, side, type, price, amount, state, "
    "absent_answers, note, created_at, updated_at, settled_at, user_robot_id, signal_seq, leg, attempt, reduce_only, filled, "
    "average_price, fee, applied, fee_pending, position_id";
inline Result<OrderRecord> read_order(const Stmt& s) {
  OrderRecord o;
  o.id = s.int_at(0);
  o.account_id = s.int_at(1);
  o.purpose = s.text_at(2);
  o.venue = s.text_at(3);
  o.symbol = s.text_at(4);
  o.client_order_id = s.text_at(5);
  o.venue_order_id = s.text_at(6);
  o.side = s.text_at(7);
  o.type = s.text_at(8);
  auto price = decimal_column(s, 9, "orders.price");
  if (!price) return price.error();
  auto amount = decimal_column(s, 10, "orders.amount");
  if (!amount) return amount.error();
  o.price = *price;
  o.amount = *amount;
  o.state = s.text_at(11);
  o.absent_answers = static_cast<int>(s.int_at(12));
  o.note = s.text_at(13);
  o.created_ms = s.int_at(14);
  o.updated_ms = s.int_at(15);
  o.settled_ms = s.opt_int_at(16);
  o.user_robot_id = s.opt_int_at(17);
  o.signal_seq = s.int_at(18);
  o.leg = s.text_at(19);
  o.attempt = static_cast<int>(s.int_at(20));
  o.reduce_only = s.int_at(21) != 0;
  Decimal* amounts[] = {&o.filled, &o.average_price, &o.fee, &o.applied};
  for (int i = 0; i < 4; ++i) {
    auto d = decimal_column(s, 22 + i, "orders' fills");
    if (!d) return d.error();
    *amounts[i] = *d;
  }
  o.fee_pending = s.int_at(26) != 0;
  o.position_id = s.opt_int_at(27);
  return o;
}

inline constexpr const char* kVenueLimitCols = "venue, egress_ip, name, window_start, used, blocked_until, updated_at";
inline VenueLimit read_venue_limit(const Stmt& s) {
  return VenueLimit{s.text_at(0), s.text_at(1), s.text_at(2), s.int_at(3), s.int_at(4), s.int_at(5), s.int_at(6)};
}

inline constexpr const char* kLimitEntryCols = "scope, subject, hits, window_start, locked_until, level, times, seen_at, expires_at";
inline LimitEntry read_limit_entry(const Stmt& s) {
  return LimitEntry{s.text_at(0), s.text_at(1), s.int_at(2), s.int_at(3), s.int_at(4), s.int_at(5), s.text_at(6), s.int_at(7), s.int_at(8)};
}

// The one row a look-up finds, read by `read` (which returns T or Result<T>), or an empty optional.
template <typename T, typename Read, typename... Args>
inline Result<std::optional<T>> select_one(SqliteDb& db, const std::string& sql, Read read, const Args&... args) {
  auto s = db.prepare(sql);
  if (!s) return s.error();
  auto row = s->bind_all(args...).step();
  if (!row) return row.error();
  if (!*row) return std::optional<T>();
  if constexpr (std::is_same_v<decltype(read(*s)), T>) {
    return std::optional<T>(read(*s));
  } else {
    auto v = read(*s);
    if (!v) return v.error();
    return std::optional<T>(std::move(*v));
  }
}

// Every row a query finds, each read by `read`.
template <typename T, typename Read, typename... Args>
inline Result<std::vector<T>> select_all(SqliteDb& db, const std::string& sql, Read read, const Args&... args) {
  auto s = db.prepare(sql);
  if (!s) return s.error();
  s->bind_all(args...);
  std::vector<T> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    if constexpr (std::is_same_v<decltype(read(*s)), T>) {
      out.push_back(read(*s));
    } else {
      auto v = read(*s);
      if (!v) return v.error();
      out.push_back(std::move(*v));
    }
  }
}

inline AccountSecret read_secret(const Stmt& s) {
  return AccountSecret{s.int_at(0), s.text_at(1), s.text_at(2), static_cast<int>(s.int_at(3))};
}

inline constexpr const char* kAuditCols = "id, user_id, action, account_id, ip, detail, at, channel, telegram_user_id";
inline AuditEntry read_audit(const Stmt& s) {
  return AuditEntry{s.int_at(0),  s.int_at(1), s.text_at(2), s.opt_int_at(3), s.text_at(4),
                    s.text_at(5), s.int_at(6), s.text_at(7), s.opt_int_at(8)};
}

inline std::string cols(const char* c) { return c; }
// The same columns, each prefixed with a table's alias ("o.").
inline std::string cols(const char* c, std::string_view prefix) {
  std::string out(prefix), all(c);
  for (char ch : all) {
    out += ch;
    if (ch == ' ') out += prefix;
  }
  return out;
}

}  // namespace tb::store::sqlite_rows
