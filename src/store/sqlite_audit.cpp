// SqliteStore: the audit log and balance snapshots (append-mostly histories).
#include "store/sqlite_store.hpp"

#include "store/sqlite_rows.hpp"

namespace tb::store {

using namespace sqlite_rows;

// ---- audit ----

Result<int64_t> SqliteStore::append_audit(const AuditEntry& e) {
  Lock lock(mu_);
  auto s = db_->prepare("INSERT INTO audit_log (" + cols(kAuditCols) + ") VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!s) return s.error();
  int64_t at = e.at_ms ? e.at_ms : clock_.now_ms();
  if (auto st = s->bind_all(e.user_id, e.action, e.account_id, e.ip, e.detail_json, at, e.channel, e.telegram_user_id).run(); !st)
    return st.error();
  return db_->last_insert_rowid();
}

Result<std::vector<AuditEntry>> SqliteStore::list_audit(int64_t user_id, int limit) {
  Lock lock(mu_);
  return select_all<AuditEntry>(*db_, "SELECT " + cols(kAuditCols) + " FROM audit_log WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                                read_audit, user_id, limit);
}

// ---- balance snapshots ----

Status SqliteStore::add_balance_snapshot(const BalanceSnapshot& b) {
  Lock lock(mu_);
  auto s = db_->prepare("INSERT OR REPLACE INTO balance_snapshots (account_id, at, usd_total) VALUES (?, ?, ?)");
  if (!s) return s.error();
  return s->bind_all(b.account_id, b.at_ms, b.usd_total.to_string()).run();
}

Result<std::vector<BalanceSnapshot>> SqliteStore::list_balance_snapshots(int64_t account_id, int64_t from_ms, int64_t to_ms) {
  Lock lock(mu_);
  auto s = db_->prepare(
      "SELECT account_id, at, usd_total FROM balance_snapshots WHERE account_id = ? AND at >= ? AND at <= ? "
      "ORDER BY at");
  if (!s) return s.error();
  s->bind_all(account_id, from_ms, to_ms);
  std::vector<BalanceSnapshot> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    auto usd = decimal_column(*s, 2, "balance_snapshots.usd_total");
    if (!usd) return usd.error();
    out.push_back(BalanceSnapshot{s->int_at(0), s->int_at(1), *usd});
  }
}

}  // namespace tb::store
