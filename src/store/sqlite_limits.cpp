// SqliteStore: the abuse limits' entries. A change runs in a transaction begun IMMEDIATE, which takes the
// database's write lock first: another process changing the same entry waits for the lock (the busy
// timeout) and then reads what this one wrote.
#include "store/sqlite_rows.hpp"
#include "store/sqlite_store.hpp"

namespace tb::store {

using namespace sqlite_rows;

namespace {

Status write_limit_entry(SqliteDb& db, const LimitEntry& e) {
  auto s = db.prepare("INSERT OR REPLACE INTO limit_entries (" + cols(kLimitEntryCols) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!s) return s.error();
  return s->bind_all(e.scope, e.subject, e.hits, e.window_start_ms, e.locked_until_ms, e.level, e.times, e.seen_ms, e.expires_ms).run();
}

Status remove_limit_entry(SqliteDb& db, std::string_view scope, std::string_view subject) {
  auto s = db.prepare("DELETE FROM limit_entries WHERE scope = ? AND subject = ?");
  if (!s) return s.error();
  return s->bind_all(scope, subject).run();
}

}  // namespace

Result<std::optional<LimitEntry>> SqliteStore::change_limit_entry(std::string_view scope, std::string_view subject,
                                                                  const LimitChange& change) {
  Lock lock(mu_);
  std::optional<LimitEntry> entry;
  Status st = with_transaction([&](Store&) -> Status {
    auto found = select_one<LimitEntry>(*db_, "SELECT " + cols(kLimitEntryCols) + " FROM limit_entries WHERE scope = ? AND subject = ?",
                                        read_limit_entry, scope, subject);
    if (!found) return found.error();
    entry = std::move(*found);
    change(entry);
    if (!entry) return remove_limit_entry(*db_, scope, subject);
    entry->scope = std::string(scope);
    entry->subject = std::string(subject);
    return write_limit_entry(*db_, *entry);
  });
  if (!st) return st.error();
  return entry;
}

Result<std::optional<LimitEntry>> SqliteStore::find_limit_entry(std::string_view scope, std::string_view subject) {
  Lock lock(mu_);
  return select_one<LimitEntry>(*db_, "SELECT " + cols(kLimitEntryCols) + " FROM limit_entries WHERE scope = ? AND subject = ?",
                                read_limit_entry, scope, subject);
}

Result<int64_t> SqliteStore::count_limit_entries(std::string_view scope) {
  Lock lock(mu_);
  auto n = select_one<int64_t>(
      *db_, "SELECT count(*) FROM limit_entries WHERE scope = ?", [](const Stmt& s) { return s.int_at(0); }, scope);
  if (!n) return n.error();
  return n->value_or(0);
}

Result<int64_t> SqliteStore::delete_expired_limit_entries() {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM limit_entries WHERE expires_at <= ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(clock_.now_ms()).run(); !st) return st.error();
  return db_->changes();
}

}  // namespace tb::store
