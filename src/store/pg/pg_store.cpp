// PgStore: opening, migrations under an advisory lock, transactions; and the readers of wide rows.
#include <algorithm>

#include "core/failure_log.hpp"
#include "store/pg/pg_migrations.hpp"
#include "store/pg/pg_rows.hpp"
#include "store/pg/pg_store_impl.hpp"

namespace tb::store {

using namespace pg;

namespace {

// The advisory lock migrations run under: any constant all processes agree on ("tbmigrat").
constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(7234316388958184820)";
constexpr const char* kMigrationUnlock = "SELECT pg_advisory_unlock(7234316388958184820)";

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& conninfo, const Clock& clock, PostgresOptions options) {
  auto pool = PgPool::open(conninfo, options.pool_size);
  if (!pool) return pool.error();
  auto store = std::make_unique<PgStore>(std::move(*pool), clock);
  if (auto st = store->migrate(options.migrations.empty() ? postgres_migrations() : options.migrations); !st) return st.error();
  return std::unique_ptr<Store>(std::move(store));
}

Result<std::vector<int>> postgres_applied_migrations(Store& store) {
  auto* pg = dynamic_cast<PgStore*>(&store);
  if (!pg) return Error::make(ErrorKind::InvalidArgument, "store: not a PostgreSQL store");
  return pg->applied_migrations();
}

namespace pg {

// ---- migrations ----

Result<std::vector<int>> PgStore::applied_migrations() {
  return with_conn([&](PgConn& c) {
    return select_all<int>(c, "SELECT version FROM schema_migrations ORDER BY version",
                           [](const PgRow& r) { return static_cast<int>(r.int_at(0)); });
  });
}

Result<SchemaStatus> PgStore::schema_status() {
  SchemaStatus status;
  status.backend = "postgresql";
  auto applied = with_conn([&](PgConn& c) {
    return select_all<MigrationEntry>(c, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version", [](const PgRow& r) {
      return MigrationEntry{static_cast<int>(r.int_at(0)), r.text_at(1), r.int_at(2)};
    });
  });
  if (!applied) return applied.error();
  status.applied = std::move(*applied);
  const auto& known = known_.empty() ? postgres_migrations() : known_;
  auto has = [](const auto& list, int v) { return std::any_of(list.begin(), list.end(), [v](const auto& m) { return m.version == v; }); };
  for (const auto& m : known)
    if (!has(status.applied, m.version)) status.pending.push_back({m.version, m.name, 0});
  std::sort(status.pending.begin(), status.pending.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  for (const auto& a : status.applied)
    if (!has(known, a.version)) status.unknown.push_back(a.version);
  return status;
}

Status PgStore::migrate(const std::vector<Migration>& migrations) {
  known_ = migrations;
  auto lease = pool_->acquire();
  if (!lease) return lease.error();
  PgConn& c = **lease;
  // A session lock: a second process waits here until the first has migrated, then finds nothing to do.
  if (auto st = c.script(kMigrationLock, "migration lock"); !st) return st;
  Status result =
      c.script("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
               "schema_migrations");
  std::vector<Migration> ordered = migrations;
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  for (const auto& m : ordered) {
    if (!result) break;
    result = migrate_one(c, m);
  }
  if (auto st = c.script(kMigrationUnlock, "migration unlock"); !st && result) return st;
  return result;
}

// One migration in its own transaction, unless schema_migrations has it already.
Status PgStore::migrate_one(PgConn& c, const Migration& m) {
  return run_transaction(c, [&](Store&) -> Status {
    auto res = c.run("SELECT 1 FROM schema_migrations WHERE version = $1", PgParams(m.version));
    if (!res) return res.error();
    if (res->rows() > 0) return ok_status();
    if (auto st = c.script(m.sql, "migration"); !st) {
      Error err = st.error();
      err.message = "store: migration " + std::to_string(m.version) + " (" + m.name + ") failed: " + err.message;
      return err;
    }
    return exec(c, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                PgParams(m.version, m.name, clock_.now_ms()));
  });
}

// ---- transactions ----

Status PgStore::with_transaction(const TransactionFn& fn) {
  if (bound_) return run_transaction(*bound_, fn);
  auto lease = pool_->acquire();
  if (!lease) return lease.error();
  return run_transaction(**lease, fn);
}

// A transaction on conn (a savepoint when this store is already inside one), fn handed a store bound to it.
Status PgStore::run_transaction(PgConn& conn, const TransactionFn& fn) {
  const bool outer = !bound_;
  const std::string sp = "tb_sp" + std::to_string(depth_);
  if (auto st = conn.script(outer ? std::string("BEGIN") : "SAVEPOINT " + sp, "begin"); !st) return st;
  PgStore inner(pool_, conn, clock_);
  PgStore& used = outer ? inner : *this;
  auto rollback = [&] {
    logged("roll back", conn.script(outer ? std::string("ROLLBACK") : "ROLLBACK TO SAVEPOINT " + sp + "; RELEASE SAVEPOINT " + sp));
  };
  const int step = outer ? 0 : 1;  // a pooled store is shared by threads: only a bound one counts its savepoints
  depth_ += step;
  Status result = ok_status();
  try {
    result = fn(used);
  } catch (...) {
    depth_ -= step;
    rollback();
    throw;
  }
  depth_ -= step;
  if (!result) {
    rollback();
    return result;
  }
  if (auto st = conn.script(outer ? std::string("COMMIT") : "RELEASE SAVEPOINT " + sp, "commit"); !st) {
    rollback();
    return st;
  }
  return result;
}

Status PgStore::in_transaction(const std::function<Status(PgConn&)>& fn) {
  return with_transaction([&](Store& s) { return fn(*static_cast<PgStore&>(s).bound_); });
}

// ---- wide rows ----

Result<Account> read_account(const PgRow& r) {
  Account a;
  a.id = r.int_at(0);
  a.user_id = r.int_at(1);
  a.name = r.text_at(2);
  a.venue = r.text_at(3);
  a.masked_key = r.text_at(4);
  auto status = parse_account_status(r.text_at(5));
  if (!status) return Error::make(ErrorKind::Internal, "store: accounts.status is unknown");
  a.status = *status;
  a.reason = r.text_at(6);
  auto usd = decimal_at(r, 7, "accounts.usd_total");
  if (!usd) return usd.error();
  a.usd_total = *usd;
  a.last_checked_ms = r.opt_int_at(8);
  a.created_ms = r.int_at(9);
  a.updated_ms = r.int_at(10);
  return a;
}

Result<KeyTest> read_key_test(const PgRow& r) {
  KeyTest t;
  t.id = r.int_at(0);
  t.account_id = r.int_at(1);
  t.outcome = r.text_at(2);
  t.started_ms = r.int_at(3);
  t.finished_ms = r.opt_int_at(4);
  auto reason = parse_invalid_reason(r.text_at(5));
  if (!reason) return Error::make(ErrorKind::Internal, "store: key_tests.reason_code is unknown");
  t.reason = *reason;
  t.message = r.text_at(6);
  t.trading_expires_ms = r.opt_int_at(7);
  t.retry_at_ms = r.opt_int_at(8);
  return t;
}

Result<OrderRecord> read_order(const PgRow& r) {
  OrderRecord o;
  o.id = r.int_at(0);
  o.account_id = r.int_at(1);
  o.purpose = r.text_at(2);
  o.venue = r.text_at(3);
  o.symbol = r.text_at(4);
  o.client_order_id = r.text_at(5);
  o.venue_order_id = r.text_at(6);
  o.side = r.text_at(7);
  o.type = r.text_at(8);
  auto price = decimal_at(r, 9, "orders.price");
  if (!price) return price.error();
  auto amount = decimal_at(r, 10, "orders.amount");
  if (!amount) return amount.error();
  o.price = *price;
  o.amount = *amount;
  o.state = r.text_at(11);
  o.absent_answers = static_cast<int>(r.int_at(12));
  o.note = r.text_at(13);
  o.created_ms = r.int_at(14);
  o.updated_ms = r.int_at(15);
  o.settled_ms = r.opt_int_at(16);
  o.user_robot_id = r.opt_int_at(17);
  o.signal_seq = r.int_at(18);
  o.leg = r.text_at(19);
  o.attempt = static_cast<int>(r.int_at(20));
  o.reduce_only = r.bool_at(21);
  Decimal* amounts[] = {&o.filled, &o.average_price, &o.fee, &o.applied};
  for (int i = 0; i < 4; ++i) {
    auto d = decimal_at(r, 22 + i, "orders' fills");
    if (!d) return d.error();
    *amounts[i] = *d;
  }
  o.fee_pending = r.bool_at(26);
  o.position_id = r.opt_int_at(27);
  return o;
}

}  // namespace pg
}  // namespace tb::store
