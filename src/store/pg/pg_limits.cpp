// PgStore: the abuse limits' entries. A change is one transaction holding the entry's row lock from the read to
// the write, so a second process changing the same entry waits and then reads what the first wrote.
#include "store/pg/pg_rows.hpp"
#include "store/pg/pg_store_impl.hpp"

namespace tb::store::pg {

namespace {

// The entry, locked until the transaction ends. A new one is inserted (blank, and so locked too) and reported
// as none: a second process inserting the same entry meanwhile waits on the unique key for this transaction,
// then finds the row and waits for its lock. A row removed between the two statements is inserted again.
Result<std::optional<LimitEntry>> lock_limit_entry(PgConn& c, std::string_view scope, std::string_view subject) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto inserted =
        affected(c, "INSERT INTO limit_entries (scope, subject) VALUES ($1, $2) ON CONFLICT DO NOTHING", PgParams(scope, subject));
    if (!inserted) return inserted.error();
    if (*inserted > 0) return std::optional<LimitEntry>();
    auto found =
        select_one<LimitEntry>(c, "SELECT " + cols(kLimitEntryCols) + " FROM limit_entries WHERE scope = $1 AND subject = $2 FOR UPDATE",
                               read_limit_entry, PgParams(scope, subject));
    if (!found || found->has_value()) return found;
  }
  return Error::make(ErrorKind::Internal, "store: limit_entries: the entry was removed under every attempt to lock it");
}

Status write_limit_entry(PgConn& c, const LimitEntry& e) {
  return exec(c,
              "UPDATE limit_entries SET hits = $3, window_start = $4, locked_until = $5, level = $6, times = $7, seen_at = $8, "
              "expires_at = $9 WHERE scope = $1 AND subject = $2",
              PgParams(e.scope, e.subject, e.hits, e.window_start_ms, e.locked_until_ms, e.level, e.times, e.seen_ms, e.expires_ms));
}

}  // namespace

Result<std::optional<LimitEntry>> PgStore::change_limit_entry(std::string_view scope, std::string_view subject, const LimitChange& change) {
  std::optional<LimitEntry> entry;
  Status st = in_transaction([&](PgConn& c) -> Status {
    auto found = lock_limit_entry(c, scope, subject);
    if (!found) return found.error();
    entry = std::move(*found);
    change(entry);
    if (!entry) return exec(c, "DELETE FROM limit_entries WHERE scope = $1 AND subject = $2", PgParams(scope, subject));
    entry->scope = std::string(scope);
    entry->subject = std::string(subject);
    return write_limit_entry(c, *entry);
  });
  if (!st) return st.error();
  return entry;
}

Result<std::optional<LimitEntry>> PgStore::find_limit_entry(std::string_view scope, std::string_view subject) {
  return with_conn([&](PgConn& c) {
    return select_one<LimitEntry>(c, "SELECT " + cols(kLimitEntryCols) + " FROM limit_entries WHERE scope = $1 AND subject = $2",
                                  read_limit_entry, PgParams(scope, subject));
  });
}

Result<int64_t> PgStore::count_limit_entries(std::string_view scope) {
  auto n = with_conn([&](PgConn& c) {
    return select_one<int64_t>(
        c, "SELECT count(*) FROM limit_entries WHERE scope = $1", [](const PgRow& r) { return r.int_at(0); }, PgParams(scope));
  });
  if (!n) return n.error();
  return n->value_or(0);
}

Result<int64_t> PgStore::delete_expired_limit_entries() {
  return with_conn([&](PgConn& c) { return affected(c, "DELETE FROM limit_entries WHERE expires_at <= $1", PgParams(clock_.now_ms())); });
}

}  // namespace tb::store::pg
