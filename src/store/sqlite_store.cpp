#include "store/sqlite_store.hpp"

#include <algorithm>

#include "core/failure_log.hpp"
#include "store/sqlite_rows.hpp"

namespace tb::store {

using namespace sqlite_rows;

// ---- opening and migrations ----

SqliteStore::SqliteStore(std::unique_ptr<SqliteDb> db, const Clock& clock, std::vector<Migration> known)
    : db_(std::move(db)), clock_(clock), known_(std::move(known)) {}
SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, const Clock& clock, SqliteOptions options) {
  auto db = SqliteDb::open(path, options.busy_timeout_ms);
  if (!db) return db.error();
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(*db), clock, options.migrations));
  if (auto st = store->configure(); !st) return st.error();
  if (options.migrate)
    if (auto st = store->migrate(options.migrations); !st) return st.error();
  return store;
}

Status SqliteStore::configure() {
  // WAL persists in the file; foreign keys and synchronous are per connection. NORMAL is durable in WAL
  // except for the last commits on power loss, never corrupting.
  return db_->exec(
      "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 10000;"
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
}

Result<std::vector<int>> SqliteStore::applied_migrations() {
  Lock lock(mu_);
  auto s = db_->prepare("SELECT version FROM schema_migrations ORDER BY version");
  if (!s) return s.error();
  std::vector<int> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(static_cast<int>(s->int_at(0)));
  }
}

Result<SchemaStatus> SqliteStore::schema_status() {
  Lock lock(mu_);
  auto s = db_->prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  if (!s) return s.error();
  SchemaStatus status;
  status.backend = "sqlite";
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) break;
    status.applied.push_back({static_cast<int>(s->int_at(0)), s->text_at(1), s->int_at(2)});
  }
  auto applied = [&](int v) { return std::any_of(status.applied.begin(), status.applied.end(), [v](auto& a) { return a.version == v; }); };
  auto known = [&](int v) { return std::any_of(known_.begin(), known_.end(), [v](auto& m) { return m.version == v; }); };
  for (const auto& m : known_)
    if (!applied(m.version)) status.pending.push_back({m.version, m.name, 0});
  std::sort(status.pending.begin(), status.pending.end(), [](auto& a, auto& b) { return a.version < b.version; });
  for (const auto& a : status.applied)
    if (!known(a.version)) status.unknown.push_back(a.version);
  return status;
}

Status SqliteStore::migrate(const std::vector<Migration>& migrations) {
  // Foreign keys off while the schema changes (a table rebuilt must not cascade its DROP into its
  // children), checked before each commit, and on again after: SQLite's procedure for schema changes.
  // The pragma is a no-op inside a transaction, so it is set here, outside.
  if (auto st = db_->exec("PRAGMA foreign_keys = OFF"); !st) return st;
  Status st = migrate_each(migrations);
  numbered_by_store_.reset();  // migration 20 may have come
  if (auto on = db_->exec("PRAGMA foreign_keys = ON"); !on && st) return on;
  return st;
}

Status SqliteStore::migrate_each(const std::vector<Migration>& migrations) {
  std::vector<Migration> ordered = migrations;
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  for (const auto& m : ordered) {
    // Checked inside the transaction, so two processes opening at once never apply one migration twice.
    Status st = with_transaction([&](Store&) -> Status {
      auto s = db_->prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
      if (!s) return s.error();
      s->bind_all(m.version);
      auto row = s->step();
      if (!row) return row.error();
      if (*row) return ok_status();
      if (auto e = db_->exec(m.sql); !e) {
        Error err = e.error();
        err.message = "store: migration " + std::to_string(m.version) + " (" + m.name + ") failed: " + err.message;
        return err;
      }
      auto broken = select_one<std::string>(*db_, "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1",
                                            [](const Stmt& r) { return r.text_at(0); });
      if (!broken) return broken.error();
      if (*broken)
        return Error::make(ErrorKind::Internal, "store: migration " + std::to_string(m.version) + " (" + m.name + ") leaves rows of " +
                                                    **broken + " without their parent");
      auto ins = db_->prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
      if (!ins) return ins.error();
      return ins->bind_all(m.version, m.name, clock_.now_ms()).run();
    });
    if (!st) return st;
  }
  return ok_status();
}

// ---- transactions ----

Status SqliteStore::with_transaction(const TransactionFn& fn) {
  Lock lock(mu_);
  const bool outer = depth_ == 0;
  const std::string sp = "tb_sp" + std::to_string(depth_);
  if (auto st = db_->exec(outer ? "BEGIN IMMEDIATE" : "SAVEPOINT " + sp); !st) return st;
  if (outer)  // another process may have written rows since the last transaction
    for (IdCounter* c : {&order_ids_, &position_ids_}) {
      c->next = 0;
      c->taken = false;
    }
  auto rollback = [&] {
    // A failed rollback leaves nothing to undo: SQLite rolls the transaction back itself when it cannot.
    logged("roll back", db_->exec(outer ? std::string("ROLLBACK") : "ROLLBACK TO " + sp + "; RELEASE " + sp));
  };
  ++depth_;
  Status result = ok_status();
  try {
    result = fn(*this);
  } catch (...) {
    --depth_;
    rollback();
    throw;
  }
  --depth_;
  if (!result) {
    rollback();
    return result;
  }
  if (outer)
    if (auto st = save_id_counters(); !st) {
      rollback();
      return st;
    }
  if (auto st = db_->exec(outer ? std::string("COMMIT") : "RELEASE " + sp); !st) {
    rollback();
    return st;
  }
  return result;
}

// ---- ids ----

Result<int64_t> SqliteStore::take_id(IdCounter& counter) {
  if (counter.next == 0) {
    if (!numbered_by_store_) {
      auto has = select_one<int64_t>(*db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'id_counters'",
                                     [](const Stmt& s) { return s.int_at(0); });
      if (!has) return has.error();
      numbered_by_store_ = has->value_or(0) > 0;
    }
    // Past the highest row too, should anything have written one without the counter.
    auto last = select_one<int64_t>(
        *db_,
        std::string("SELECT max(coalesce((SELECT ") + (*numbered_by_store_ ? "last FROM id_counters" : "seq FROM sqlite_sequence") +
            " WHERE name = ?1), 0), coalesce((SELECT max(id) FROM " + counter.table + "), 0))",
        [](const Stmt& s) { return s.int_at(0); }, counter.table);
    if (!last) return last.error();
    counter.next = last->value_or(0) + 1;
  }
  counter.taken = true;
  return counter.next++;
}

Status SqliteStore::save_id_counters() {
  for (IdCounter* c : {&order_ids_, &position_ids_}) {
    if (!c->taken || !numbered_by_store_.value_or(false)) continue;
    auto s = db_->prepare("INSERT INTO id_counters (name, last) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET last = max(last, ?2)");
    if (!s) return s.error();
    if (auto st = s->bind_all(c->table, c->next - 1).run(); !st) return st;
  }
  return ok_status();
}

}  // namespace tb::store
