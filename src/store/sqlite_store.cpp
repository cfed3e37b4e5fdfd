#include "store/sqlite_store.hpp"

#include <algorithm>
#include <type_traits>

#include "store/sqlite_db.hpp"

namespace tb::store {

namespace {

using Lock = std::lock_guard<std::recursive_mutex>;

Error not_found(std::string_view what, int64_t id) {
  return Error::make(ErrorKind::InvalidArgument, std::string(what) + ": no row with id " + std::to_string(id));
}

Result<Decimal> decimal_column(const Stmt& s, int col, std::string_view what) {
  auto d = Decimal::parse(s.text_at(col));
  if (!d) return Error::make(ErrorKind::BadResponse, "store: " + std::string(what) + " is not a decimal");
  return *d;
}

constexpr const char* kUserCols = "id, email, password_hash, created_at";
User read_user(const Stmt& s) { return User{s.int_at(0), s.text_at(1), s.text_at(2), s.int_at(3)}; }

constexpr const char* kSessionCols =
    "token_hash, user_id, csrf_token, expires_at, ip, user_agent, created_at, last_seen_at";
Session read_session(const Stmt& s) {
  return Session{s.text_at(0), s.int_at(1), s.text_at(2), s.int_at(3), s.text_at(4), s.text_at(5), s.int_at(6), s.int_at(7)};
}

constexpr const char* kAccountCols =
    "id, user_id, name, venue, masked_key, status, reason, balances, usd_total, last_checked_at, created_at, "
    "updated_at";
Result<Account> read_account(const Stmt& s) {
  Account a;
  a.id = s.int_at(0);
  a.user_id = s.int_at(1);
  a.name = s.text_at(2);
  a.venue = s.text_at(3);
  a.masked_key = s.text_at(4);
  auto status = parse_account_status(s.text_at(5));
  if (!status) return Error::make(ErrorKind::BadResponse, "store: accounts.status is unknown");
  a.status = *status;
  a.reason = s.text_at(6);
  a.balances_json = s.text_at(7);
  auto usd = decimal_column(s, 8, "accounts.usd_total");
  if (!usd) return usd.error();
  a.usd_total = *usd;
  a.last_checked_ms = s.opt_int_at(9);
  a.created_ms = s.int_at(10);
  a.updated_ms = s.int_at(11);
  return a;
}

Result<std::vector<Account>> read_accounts(Stmt& s) {
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

constexpr const char* kKeyTestCols = "id, account_id, steps, outcome, started_at, finished_at, result";
KeyTest read_key_test(const Stmt& s) {
  return KeyTest{s.int_at(0), s.int_at(1), s.text_at(2), s.text_at(3), s.int_at(4), s.opt_int_at(5), s.text_at(6)};
}

constexpr const char* kJobCols = "id, kind, payload, run_at, claimed_by, claimed_until, attempts";
Job read_job(const Stmt& s) {
  return Job{s.int_at(0),       s.text_at(1),        s.text_at(2), s.int_at(3),
             s.opt_text_at(4), s.opt_int_at(5), static_cast<int>(s.int_at(6))};
}

constexpr const char* kTelegramCols =
    "telegram_user_id, chat_id, user_id, username, first_name, dialog, last_update_id, blocked, created_at, updated_at";
TelegramLink read_telegram_link(const Stmt& s) {
  return TelegramLink{s.int_at(0), s.int_at(1), s.int_at(2),      s.text_at(3), s.text_at(4),
                      s.text_at(5), s.int_at(6), s.int_at(7) != 0, s.int_at(8), s.int_at(9)};
}

constexpr const char* kOrderCols =
    "id, account_id, purpose, venue, symbol, client_order_id, venue_order_id, side, type, price, amount, state, "
    "absent_answers, note, created_at, updated_at, settled_at";
Result<OrderRecord> read_order(const Stmt& s) {
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
  return o;
}

constexpr const char* kVenueLimitCols = "venue, egress_ip, name, window_start, used, blocked_until, updated_at";
VenueLimit read_venue_limit(const Stmt& s) {
  return VenueLimit{s.text_at(0), s.text_at(1), s.text_at(2), s.int_at(3), s.int_at(4), s.int_at(5), s.int_at(6)};
}

// The one row a look-up finds, read by `read` (which returns T or Result<T>), or an empty optional.
template <typename T, typename Read, typename... Args>
Result<std::optional<T>> select_one(SqliteDb& db, const std::string& sql, Read read, const Args&... args) {
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
Result<std::vector<T>> select_all(SqliteDb& db, const std::string& sql, Read read, const Args&... args) {
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

AccountSecret read_secret(const Stmt& s) {
  return AccountSecret{s.int_at(0), s.text_at(1), s.text_at(2), static_cast<int>(s.int_at(3))};
}

constexpr const char* kAuditCols = "id, user_id, action, account_id, ip, detail, at, channel, telegram_user_id";
AuditEntry read_audit(const Stmt& s) {
  return AuditEntry{s.int_at(0),   s.int_at(1),  s.text_at(2), s.opt_int_at(3), s.text_at(4),
                    s.text_at(5),  s.int_at(6),  s.text_at(7), s.opt_int_at(8)};
}

std::string cols(const char* c) { return c; }

}  // namespace

// ---- opening and migrations ----

SqliteStore::SqliteStore(std::unique_ptr<SqliteDb> db, const Clock& clock) : db_(std::move(db)), clock_(clock) {}
SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, const Clock& clock,
                                                       SqliteOptions options) {
  auto db = SqliteDb::open(path, options.busy_timeout_ms);
  if (!db) return db.error();
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(*db), clock));
  if (auto st = store->configure(); !st) return st.error();
  if (auto st = store->migrate(options.migrations); !st) return st.error();
  return store;
}

Status SqliteStore::configure() {
  // WAL persists in the file; foreign keys and synchronous are per connection. NORMAL is durable in WAL
  // except for the last commits on power loss, never corrupting.
  return db_->exec(
      "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
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

Status SqliteStore::migrate(const std::vector<Migration>& migrations) {
  // Foreign keys off while the schema changes (a table rebuilt must not cascade its DROP into its
  // children), checked before each commit, and on again after: SQLite's procedure for schema changes.
  // The pragma is a no-op inside a transaction, so it is set here, outside.
  if (auto st = db_->exec("PRAGMA foreign_keys = OFF"); !st) return st;
  Status st = migrate_each(migrations);
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
        return Error::make(ErrorKind::BadResponse, "store: migration " + std::to_string(m.version) + " (" + m.name +
                                                       ") leaves rows of " + **broken + " without their parent");
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
  auto rollback = [&] {
    (void)db_->exec(outer ? std::string("ROLLBACK") : "ROLLBACK TO " + sp + "; RELEASE " + sp);
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
  if (auto st = db_->exec(outer ? std::string("COMMIT") : "RELEASE " + sp); !st) {
    rollback();
    return st;
  }
  return result;
}

// ---- users ----

Result<User> SqliteStore::create_user(std::string_view email, std::string_view password_hash) {
  if (email.empty()) return Error::make(ErrorKind::InvalidArgument, "email: empty");
  Lock lock(mu_);
  User u{0, std::string(email), std::string(password_hash), clock_.now_ms()};
  auto s = db_->prepare("INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(u.email, u.password_hash, u.created_ms).run(); !st) return st.error();
  u.id = db_->last_insert_rowid();
  return u;
}

Result<std::optional<User>> SqliteStore::find_user(int64_t id) {
  Lock lock(mu_);
  return select_one<User>(*db_, "SELECT " + cols(kUserCols) + " FROM users WHERE id = ?", read_user, id);
}

Result<std::optional<User>> SqliteStore::find_user_by_email(std::string_view email) {
  Lock lock(mu_);
  return select_one<User>(*db_, "SELECT " + cols(kUserCols) + " FROM users WHERE email = ?",
                 read_user, email);  // NOCASE column
}

Status SqliteStore::set_password_hash(int64_t user_id, std::string_view password_hash) {
  Lock lock(mu_);
  auto s = db_->prepare("UPDATE users SET password_hash = ? WHERE id = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(password_hash, user_id).run(); !st) return st;
  if (db_->changes() == 0) return not_found("user", user_id);
  return ok_status();
}

// ---- sessions ----

Status SqliteStore::create_session(const Session& session) {
  Lock lock(mu_);
  auto s = db_->prepare("INSERT INTO sessions (" + cols(kSessionCols) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!s) return s.error();
  int64_t created = session.created_ms ? session.created_ms : clock_.now_ms();
  int64_t seen = session.last_seen_ms ? session.last_seen_ms : created;
  return s->bind_all(session.token_hash, session.user_id, session.csrf_token, session.expires_ms, session.ip,
                     session.user_agent, created, seen)
      .run();
}

Result<std::optional<Session>> SqliteStore::find_session(std::string_view token_hash) {
  Lock lock(mu_);
  return select_one<Session>(*db_, "SELECT " + cols(kSessionCols) + " FROM sessions WHERE token_hash = ?",
                 read_session, token_hash);
}

Status SqliteStore::delete_session(std::string_view token_hash) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM sessions WHERE token_hash = ?");
  if (!s) return s.error();
  return s->bind_all(token_hash).run();
}

Result<int64_t> SqliteStore::delete_user_sessions(int64_t user_id) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM sessions WHERE user_id = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(user_id).run(); !st) return st.error();
  return db_->changes();
}

Result<int64_t> SqliteStore::delete_expired_sessions() {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM sessions WHERE expires_at <= ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(clock_.now_ms()).run(); !st) return st.error();
  return db_->changes();
}

Result<int64_t> SqliteStore::delete_idle_sessions(int64_t seen_before_ms) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM sessions WHERE last_seen_at < ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(seen_before_ms).run(); !st) return st.error();
  return db_->changes();
}

Result<std::vector<Session>> SqliteStore::list_user_sessions(int64_t user_id) {
  Lock lock(mu_);
  return select_all<Session>(*db_,
                             "SELECT " + cols(kSessionCols) + " FROM sessions WHERE user_id = ? ORDER BY created_at DESC, rowid DESC",
                             read_session, user_id);
}

Status SqliteStore::touch_session(std::string_view token_hash, int64_t seen_ms) {
  Lock lock(mu_);
  auto s = db_->prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?");
  if (!s) return s.error();
  return s->bind_all(seen_ms, token_hash).run();
}

Result<std::vector<std::string>> SqliteStore::delete_user_sessions_except(int64_t user_id, std::string_view keep) {
  Lock lock(mu_);
  return select_all<std::string>(*db_, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ? RETURNING token_hash",
                                 [](const Stmt& s) { return s.text_at(0); }, user_id, keep);
}

// ---- accounts ----

Status SqliteStore::insert_secrets(int64_t account_id, const std::vector<AccountSecret>& secrets) {
  for (const auto& sec : secrets) {
    auto s = db_->prepare(
        "INSERT INTO account_secrets (account_id, field, sealed, master_version) VALUES (?, ?, ?, ?)");
    if (!s) return s.error();
    if (auto st = s->bind_all(account_id, sec.field, sec.sealed, sec.master_version).run(); !st) return st;
  }
  return ok_status();
}

Result<Account> SqliteStore::create_account(const Account& account, const std::vector<AccountSecret>& secrets) {
  if (account.name.empty()) return Error::make(ErrorKind::InvalidArgument, "name: empty");
  Lock lock(mu_);
  Account a = account;
  a.created_ms = a.updated_ms = clock_.now_ms();
  Status st = with_transaction([&](Store&) -> Status {
    auto s = db_->prepare(
        "INSERT INTO accounts (user_id, name, venue, masked_key, status, reason, balances, usd_total, "
        "last_checked_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return s.error();
    if (auto r = s->bind_all(a.user_id, a.name, a.venue, a.masked_key, to_string(a.status), a.reason,
                             a.balances_json, a.usd_total.to_string(), a.last_checked_ms, a.created_ms,
                             a.updated_ms)
                     .run();
        !r)
      return r;
    a.id = db_->last_insert_rowid();
    return insert_secrets(a.id, secrets);
  });
  if (!st) return st.error();
  return a;
}

Result<std::optional<Account>> SqliteStore::find_account(int64_t id) {
  Lock lock(mu_);
  return select_one<Account>(*db_, "SELECT " + cols(kAccountCols) + " FROM accounts WHERE id = ?", read_account, id);
}

Result<std::vector<Account>> SqliteStore::list_accounts(int64_t user_id) {
  Lock lock(mu_);
  // Sorted here, not by ORDER BY: no index gives (user_id, id) order, and SQLite's sorter would copy every
  // row, balances and all, through a temporary b-tree on each call.
  auto s = db_->prepare("SELECT " + cols(kAccountCols) + " FROM accounts WHERE user_id = ?");
  if (!s) return s.error();
  s->bind_all(user_id);
  auto out = read_accounts(*s);
  if (out) std::sort(out->begin(), out->end(), [](const Account& x, const Account& y) { return x.id < y.id; });
  return out;
}

Result<std::vector<Account>> SqliteStore::list_all_accounts() {
  Lock lock(mu_);
  auto s = db_->prepare("SELECT " + cols(kAccountCols) + " FROM accounts ORDER BY id");
  if (!s) return s.error();
  return read_accounts(*s);
}


Status SqliteStore::update_account(const Account& a) {
  if (a.name.empty()) return Error::make(ErrorKind::InvalidArgument, "name: empty");
  Lock lock(mu_);
  auto s = db_->prepare(
      "UPDATE accounts SET name = ?, masked_key = ?, status = ?, reason = ?, balances = ?, usd_total = ?, "
      "last_checked_at = ?, updated_at = ? WHERE id = ?");
  if (!s) return s.error();
  s->bind_all(a.name, a.masked_key, to_string(a.status), a.reason, a.balances_json, a.usd_total.to_string(),
              a.last_checked_ms, clock_.now_ms(), a.id);
  if (auto st = s->run(); !st) return st;
  if (db_->changes() == 0) return not_found("account", a.id);
  return ok_status();
}

Status SqliteStore::delete_account(int64_t id) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM accounts WHERE id = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(id).run(); !st) return st;
  if (db_->changes() == 0) return not_found("account", id);
  return ok_status();
}

// ---- secrets ----

Status SqliteStore::replace_secrets(int64_t account_id, const std::vector<AccountSecret>& secrets) {
  return with_transaction([&](Store&) -> Status {
    if (auto st = delete_secrets(account_id); !st) return st;
    return insert_secrets(account_id, secrets);
  });
}

Result<std::vector<AccountSecret>> SqliteStore::get_secrets(int64_t account_id) {
  Lock lock(mu_);
  return select_all<AccountSecret>(
      *db_, "SELECT account_id, field, sealed, master_version FROM account_secrets WHERE account_id = ? ORDER BY field",
      read_secret, account_id);
}

Status SqliteStore::delete_secrets(int64_t account_id) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM account_secrets WHERE account_id = ?");
  if (!s) return s.error();
  return s->bind_all(account_id).run();
}

// ---- key tests ----

Result<KeyTest> SqliteStore::start_key_test(int64_t account_id) {
  Lock lock(mu_);
  KeyTest t;
  t.account_id = account_id;
  t.started_ms = clock_.now_ms();
  auto s = db_->prepare("INSERT INTO key_tests (account_id, steps, outcome, started_at) VALUES (?, ?, ?, ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(account_id, t.steps_json, t.outcome, t.started_ms).run(); !st) return st.error();
  t.id = db_->last_insert_rowid();
  return t;
}

Status SqliteStore::update_key_test(const KeyTest& t) {
  Lock lock(mu_);
  auto s = db_->prepare("UPDATE key_tests SET steps = ?, outcome = ?, finished_at = ?, result = ? WHERE id = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(t.steps_json, t.outcome, t.finished_ms, t.result_json, t.id).run(); !st) return st;
  if (db_->changes() == 0) return not_found("key test", t.id);
  return ok_status();
}

Result<std::optional<KeyTest>> SqliteStore::find_key_test(int64_t id) {
  Lock lock(mu_);
  return select_one<KeyTest>(*db_, "SELECT " + cols(kKeyTestCols) + " FROM key_tests WHERE id = ?", read_key_test, id);
}

Result<std::vector<KeyTest>> SqliteStore::list_key_tests(int64_t account_id) {
  Lock lock(mu_);
  return select_all<KeyTest>(*db_, "SELECT " + cols(kKeyTestCols) + " FROM key_tests WHERE account_id = ? ORDER BY id DESC",
                             read_key_test, account_id);
}

Result<std::optional<KeyTest>> SqliteStore::latest_key_test(int64_t account_id) {
  Lock lock(mu_);
  return select_one<KeyTest>(
      *db_, "SELECT " + cols(kKeyTestCols) + " FROM key_tests WHERE account_id = ? ORDER BY id DESC LIMIT 1",
      read_key_test, account_id);
}

Result<std::vector<KeyTest>> SqliteStore::latest_key_tests_of_user(int64_t user_id) {
  Lock lock(mu_);
  // Each account's newest id through key_tests_account(account_id, id), then its row by id. A join, not
  // `id IN (...)`, and no ORDER BY: either would build a temporary b-tree on every call.
  return select_all<KeyTest>(
      *db_,
      "SELECT k.id, k.account_id, k.steps, k.outcome, k.started_at, k.finished_at, k.result FROM accounts a "
      "JOIN key_tests k ON k.id = (SELECT MAX(t.id) FROM key_tests t WHERE t.account_id = a.id) WHERE a.user_id = ?",
      read_key_test, user_id);
}

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
  return select_all<AuditEntry>(
      *db_, "SELECT " + cols(kAuditCols) + " FROM audit_log WHERE user_id = ? ORDER BY id DESC LIMIT ?", read_audit, user_id,
      limit);
}

// ---- balance snapshots ----

Status SqliteStore::add_balance_snapshot(const BalanceSnapshot& b) {
  Lock lock(mu_);
  auto s = db_->prepare("INSERT OR REPLACE INTO balance_snapshots (account_id, at, usd_total) VALUES (?, ?, ?)");
  if (!s) return s.error();
  return s->bind_all(b.account_id, b.at_ms, b.usd_total.to_string()).run();
}

Result<std::vector<BalanceSnapshot>> SqliteStore::list_balance_snapshots(int64_t account_id, int64_t from_ms,
                                                                         int64_t to_ms) {
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

// ---- jobs ----

Result<int64_t> SqliteStore::enqueue_job(std::string_view kind, std::string_view payload, int64_t run_at_ms) {
  Lock lock(mu_);
  auto s = db_->prepare("INSERT INTO jobs (kind, payload, run_at) VALUES (?, ?, ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(kind, payload, run_at_ms).run(); !st) return st.error();
  return db_->last_insert_rowid();
}

Result<std::optional<Job>> SqliteStore::claim_job(std::string_view kind, std::string_view worker, int64_t lease_ms) {
  Lock lock(mu_);
  // One statement: the pick and the mark happen under one write lock, across processes too.
  // (PostgreSQL: the same shape with FOR UPDATE SKIP LOCKED in the sub-select.)
  auto s = db_->prepare(
      "UPDATE jobs SET claimed_by = ?1, claimed_until = ?2, attempts = attempts + 1 "
      "WHERE id = (SELECT id FROM jobs WHERE kind = ?3 AND run_at <= ?4 "
      "            AND (claimed_until IS NULL OR claimed_until <= ?4) ORDER BY run_at, id LIMIT 1) "
      "RETURNING " + cols(kJobCols));
  if (!s) return s.error();
  const int64_t now = clock_.now_ms();
  auto row = s->bind_all(worker, now + lease_ms, kind, now).step();
  if (!row) return row.error();
  if (!*row) return std::optional<Job>();
  Job job = read_job(*s);
  if (auto st = s->run(); !st) return st.error();  // finish the statement before it is reset
  return std::optional<Job>(std::move(job));
}

Result<bool> SqliteStore::complete_job(int64_t id, std::string_view worker) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM jobs WHERE id = ? AND claimed_by = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(id, worker).run(); !st) return st.error();
  return db_->changes() > 0;
}

Result<bool> SqliteStore::drop_job(int64_t id) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM jobs WHERE id = ? AND (claimed_by IS NULL OR claimed_until <= ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(id, clock_.now_ms()).run(); !st) return st.error();
  return db_->changes() > 0;
}

Result<bool> SqliteStore::release_job(int64_t id, std::string_view worker, int64_t run_at_ms) {
  Lock lock(mu_);
  auto s = db_->prepare(
      "UPDATE jobs SET claimed_by = NULL, claimed_until = NULL, run_at = ? WHERE id = ? AND claimed_by = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(run_at_ms, id, worker).run(); !st) return st.error();
  return db_->changes() > 0;
}

Result<std::vector<std::string>> SqliteStore::job_holders() {
  Lock lock(mu_);
  auto s = db_->prepare("SELECT DISTINCT claimed_by FROM jobs WHERE claimed_by IS NOT NULL ORDER BY claimed_by");
  if (!s) return s.error();
  std::vector<std::string> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(s->text_at(0));
  }
}

Result<int64_t> SqliteStore::release_jobs_of(std::string_view worker) {
  Lock lock(mu_);
  auto s = db_->prepare("UPDATE jobs SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(worker).run(); !st) return st.error();
  return static_cast<int64_t>(db_->changes());
}

Result<std::optional<Job>> SqliteStore::find_job(int64_t id) {
  Lock lock(mu_);
  return select_one<Job>(*db_, "SELECT " + cols(kJobCols) + " FROM jobs WHERE id = ?", read_job, id);
}

// ---- telegram ----

Result<TelegramLink> SqliteStore::save_telegram_link(const TelegramLink& link) {
  if (link.telegram_user_id == 0) return Error::make(ErrorKind::InvalidArgument, "telegram_user_id: zero");
  Lock lock(mu_);
  TelegramLink out = link;
  const int64_t now = clock_.now_ms();
  Status st = with_transaction([&](Store&) -> Status {
    auto other = db_->prepare("DELETE FROM telegram_links WHERE user_id = ? AND telegram_user_id <> ?");
    if (!other) return other.error();
    if (auto r = other->bind_all(link.user_id, link.telegram_user_id).run(); !r) return r;
    auto s = db_->prepare(
        "INSERT INTO telegram_links (" + cols(kTelegramCols) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (telegram_user_id) DO UPDATE SET chat_id = excluded.chat_id, user_id = excluded.user_id, "
        "username = excluded.username, first_name = excluded.first_name, dialog = excluded.dialog, "
        "last_update_id = excluded.last_update_id, blocked = excluded.blocked, updated_at = excluded.updated_at "
        "RETURNING created_at");
    if (!s) return s.error();
    auto row = s->bind_all(link.telegram_user_id, link.chat_id, link.user_id, link.username, link.first_name,
                           link.dialog_json, link.last_update_id, int64_t{link.blocked ? 1 : 0}, now, now)
                   .step();
    if (!row) return row.error();
    if (*row) out.created_ms = s->int_at(0);
    return s->run();  // finish the statement before it is reset
  });
  if (!st) return st.error();
  out.updated_ms = now;
  return out;
}

Result<std::optional<TelegramLink>> SqliteStore::find_telegram_link(int64_t telegram_user_id) {
  Lock lock(mu_);
  return select_one<TelegramLink>(*db_, "SELECT " + cols(kTelegramCols) + " FROM telegram_links WHERE telegram_user_id = ?",
                 read_telegram_link, telegram_user_id);
}

Result<std::optional<TelegramLink>> SqliteStore::find_telegram_link_by_user(int64_t user_id) {
  Lock lock(mu_);
  return select_one<TelegramLink>(*db_, "SELECT " + cols(kTelegramCols) + " FROM telegram_links WHERE user_id = ?",
                 read_telegram_link, user_id);
}

Status SqliteStore::delete_telegram_link(int64_t telegram_user_id) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM telegram_links WHERE telegram_user_id = ?");
  if (!s) return s.error();
  return s->bind_all(telegram_user_id).run();
}

Result<User> SqliteStore::create_telegram_user(int64_t telegram_user_id) {
  if (telegram_user_id == 0) return Error::make(ErrorKind::InvalidArgument, "telegram_user_id: zero");
  Lock lock(mu_);
  User u{0, "", std::string(kNoPasswordHash), clock_.now_ms()};
  Status st = with_transaction([&](Store&) -> Status {
    // The placeholder needs the id, which the insert chooses: a unique stand-in first, then the real one.
    auto ins = db_->prepare("INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, ?)");
    if (!ins) return ins.error();
    const std::string pending = std::string(kTelegramOnlyEmailPrefix) + "pending " + std::to_string(telegram_user_id);
    if (auto r = ins->bind_all(pending, u.password_hash, u.created_ms).run(); !r) return r;
    u.id = db_->last_insert_rowid();
    u.email = std::string(kTelegramOnlyEmailPrefix) + std::to_string(u.id);
    auto set = db_->prepare("UPDATE users SET email = ? WHERE id = ?");
    if (!set) return set.error();
    if (auto r = set->bind_all(u.email, u.id).run(); !r) return r;
    auto id = db_->prepare("INSERT INTO telegram_identities (telegram_user_id, user_id, created_at) VALUES (?, ?, ?)");
    if (!id) return id.error();
    return id->bind_all(telegram_user_id, u.id, u.created_ms).run();  // a second one: "telegram_user_id: already in use"
  });
  if (!st) return st.error();
  return u;
}

Result<std::optional<User>> SqliteStore::find_telegram_user(int64_t telegram_user_id) {
  Lock lock(mu_);
  return select_one<User>(*db_,
                          "SELECT u.id, u.email, u.password_hash, u.created_at FROM telegram_identities t "
                          "JOIN users u ON u.id = t.user_id WHERE t.telegram_user_id = ?",
                          read_user, telegram_user_id);
}

Status SqliteStore::add_telegram_link_code(std::string_view code_hash, int64_t user_id, int64_t expires_ms) {
  if (code_hash.empty()) return Error::make(ErrorKind::InvalidArgument, "code_hash: empty");
  Lock lock(mu_);
  auto s = db_->prepare("INSERT INTO telegram_link_codes (code_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)");
  if (!s) return s.error();
  return s->bind_all(code_hash, user_id, expires_ms, clock_.now_ms()).run();
}

Result<std::optional<int64_t>> SqliteStore::take_telegram_link_code(std::string_view code_hash) {
  Lock lock(mu_);
  const int64_t now = clock_.now_ms();
  std::optional<int64_t> user;
  Status st = with_transaction([&](Store&) -> Status {
    auto s = db_->prepare("DELETE FROM telegram_link_codes WHERE code_hash = ? RETURNING user_id, expires_at");
    if (!s) return s.error();
    auto row = s->bind_all(code_hash).step();
    if (!row) return row.error();
    if (*row && s->int_at(1) > now) user = s->int_at(0);
    if (auto r = s->run(); !r) return r;
    auto expired = db_->prepare("DELETE FROM telegram_link_codes WHERE expires_at <= ?");
    if (!expired) return expired.error();
    return expired->bind_all(now).run();
  });
  if (!st) return st.error();
  return user;
}

Result<int64_t> SqliteStore::telegram_update_offset(int64_t bot_id) {
  Lock lock(mu_);
  auto s = db_->prepare("SELECT next_update FROM telegram_offsets WHERE bot_id = ?");
  if (!s) return s.error();
  auto row = s->bind_all(bot_id).step();
  if (!row) return row.error();
  return *row ? s->int_at(0) : int64_t{0};
}

Status SqliteStore::set_telegram_update_offset(int64_t bot_id, int64_t next_update_id) {
  Lock lock(mu_);
  auto s = db_->prepare(
      "INSERT INTO telegram_offsets (bot_id, next_update, updated_at) VALUES (?, ?, ?) "
      "ON CONFLICT (bot_id) DO UPDATE SET next_update = excluded.next_update, updated_at = excluded.updated_at");
  if (!s) return s.error();
  return s->bind_all(bot_id, next_update_id, clock_.now_ms()).run();
}

// ---- orders ----

Result<OrderRecord> SqliteStore::record_order(const OrderRecord& order) {
  Lock lock(mu_);
  OrderRecord o = order;
  o.created_ms = o.updated_ms = clock_.now_ms();
  auto s = db_->prepare(
      "INSERT INTO orders (account_id, purpose, venue, symbol, client_order_id, venue_order_id, side, type, price, amount, "
      "state, absent_answers, note, created_at, updated_at, settled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(o.account_id, o.purpose, o.venue, o.symbol, o.client_order_id, o.venue_order_id, o.side, o.type,
                            o.price.to_string(), o.amount.to_string(), o.state, int64_t{o.absent_answers}, o.note, o.created_ms,
                            o.updated_ms, o.settled_ms)
                    .run();
      !st)
    return st.error();
  o.id = db_->last_insert_rowid();
  return o;
}

Status SqliteStore::update_order(const OrderRecord& o) {
  Lock lock(mu_);
  auto s = db_->prepare(
      "UPDATE orders SET venue_order_id = ?, state = ?, absent_answers = ?, note = ?, settled_at = ?, updated_at = ? WHERE id = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(o.venue_order_id, o.state, int64_t{o.absent_answers}, o.note, o.settled_ms, clock_.now_ms(), o.id).run();
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
      *db_, "SELECT " + cols(kOrderCols) + " FROM orders WHERE account_id = ? AND settled_at IS NULL ORDER BY id", read_order,
      account_id);
}

Result<std::vector<OrderRecord>> SqliteStore::unsettled_orders_of_user(int64_t user_id) {
  Lock lock(mu_);
  return select_all<OrderRecord>(*db_,
                                 "SELECT o.id, o.account_id, o.purpose, o.venue, o.symbol, o.client_order_id, o.venue_order_id, "
                                 "o.side, o.type, o.price, o.amount, o.state, o.absent_answers, o.note, o.created_at, o.updated_at, "
                                 "o.settled_at FROM accounts a JOIN orders o ON o.account_id = a.id AND o.settled_at IS NULL "
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
