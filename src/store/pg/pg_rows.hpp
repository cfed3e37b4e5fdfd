#pragma once
// What the PostgreSQL store's files share (not part of the store's door): one-row and all-rows queries, and
// the readers of rows into the store's types. The column lists are SQLite's (sqlite_rows.hpp): one schema.
#include <string>
#include <type_traits>
#include <vector>

#include "store/pg/pg_conn.hpp"
#include "store/sqlite_rows.hpp"  // the column lists
#include "store/store.hpp"

namespace tb::store::pg {

using sqlite_rows::cols;
using sqlite_rows::kAccountCols;
using sqlite_rows::kAuditCols;
using sqlite_rows::kJobCols;
using sqlite_rows::kKeyTestCols;
using sqlite_rows::kLimitEntryCols;
using sqlite_rows::kOrderCols;
using sqlite_rows::kSessionCols;
using sqlite_rows::kTelegramCols;
using sqlite_rows::kUserCols;
using sqlite_rows::kVenueLimitCols;
using sqlite_rows::not_found;

inline Result<Decimal> decimal_at(const PgRow& r, int col, std::string_view what) {
  auto d = Decimal::parse(r.text_at(col));
  if (!d) return Error::make(ErrorKind::Internal, "store: " + std::string(what) + " is not a decimal");
  return *d;
}

inline User read_user(const PgRow& r) { return User{r.int_at(0), r.text_at(1), r.text_at(2), r.int_at(3)}; }
inline Session read_session(const PgRow& r) {
  return Session{r.text_at(0), r.int_at(1), r.text_at(2), r.int_at(3), r.text_at(4), r.text_at(5), r.int_at(6), r.int_at(7)};
}
inline Job read_job(const PgRow& r) {
  return Job{r.int_at(0), r.text_at(1), r.text_at(2), r.int_at(3), r.opt_text_at(4), r.opt_int_at(5), static_cast<int>(r.int_at(6))};
}
inline TelegramLink read_telegram_link(const PgRow& r) {
  return TelegramLink{r.int_at(0),  r.int_at(1), r.int_at(2),  r.text_at(3), r.text_at(4),
                      r.text_at(5), r.int_at(6), r.bool_at(7), r.int_at(8),  r.int_at(9)};
}
inline VenueLimit read_venue_limit(const PgRow& r) {
  return VenueLimit{r.text_at(0), r.text_at(1), r.text_at(2), r.int_at(3), r.int_at(4), r.int_at(5), r.int_at(6)};
}
inline LimitEntry read_limit_entry(const PgRow& r) {
  return LimitEntry{r.text_at(0), r.text_at(1), r.int_at(2), r.int_at(3), r.int_at(4), r.int_at(5), r.text_at(6), r.int_at(7), r.int_at(8)};
}
inline AccountSecret read_secret(const PgRow& r) {
  return AccountSecret{r.int_at(0), r.text_at(1), r.text_at(2), static_cast<int>(r.int_at(3))};
}
inline AuditEntry read_audit(const PgRow& r) {
  return AuditEntry{r.int_at(0),  r.int_at(1), r.text_at(2), r.opt_int_at(3), r.text_at(4),
                    r.text_at(5), r.int_at(6), r.text_at(7), r.opt_int_at(8)};
}
Result<Account> read_account(const PgRow& r);
Result<KeyTest> read_key_test(const PgRow& r);
Result<OrderRecord> read_order(const PgRow& r);

// Every row `sql` finds, each read by `read` (which returns T or Result<T>).
template <typename T, typename Read>
Result<std::vector<T>> select_all(PgConn& c, std::string_view sql, Read read, const PgParams& params = PgParams()) {
  auto res = c.run(sql, params);
  if (!res) return res.error();
  std::vector<T> out;
  out.reserve(static_cast<size_t>(res->rows()));
  for (int i = 0; i < res->rows(); ++i) {
    if constexpr (std::is_same_v<decltype(read(res->row(i))), T>) {
      out.push_back(read(res->row(i)));
    } else {
      auto v = read(res->row(i));
      if (!v) return v.error();
      out.push_back(std::move(*v));
    }
  }
  return out;
}

// The one row a look-up finds, or an empty optional.
template <typename T, typename Read>
Result<std::optional<T>> select_one(PgConn& c, std::string_view sql, Read read, const PgParams& params = PgParams()) {
  auto all = select_all<T>(c, sql, read, params);
  if (!all) return all.error();
  if (all->empty()) return std::optional<T>();
  return std::optional<T>(std::move(all->front()));
}

// A statement run for its effect; `affected` receives how many rows it touched.
inline Result<int64_t> affected(PgConn& c, std::string_view sql, const PgParams& params) {
  auto res = c.run(sql, params);
  if (!res) return res.error();
  return res->affected();
}

inline Status exec(PgConn& c, std::string_view sql, const PgParams& params) {
  auto res = c.run(sql, params);
  if (!res) return res.error();
  return ok_status();
}

// The id an INSERT ... RETURNING id gave.
inline Result<int64_t> returned_id(PgConn& c, std::string_view sql, const PgParams& params) {
  auto res = c.run(sql, params);
  if (!res) return res.error();
  if (res->rows() != 1) return Error::make(ErrorKind::Internal, "store: an insert returned no id");
  return res->row(0).int_at(0);
}

}  // namespace tb::store::pg
