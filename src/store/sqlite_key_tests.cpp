// SqliteStore: key tests, their steps and warnings.
#include "store/sqlite_store.hpp"

#include "store/sqlite_owned_rows.hpp"
#include "store/sqlite_rows.hpp"

namespace tb::store {

using namespace sqlite_rows;

namespace {

// One test found by `sql` (bound to `arg`), with its steps and warnings.
Result<std::optional<KeyTest>> one_test(SqliteDb& db, const std::string& sql, int64_t arg) {
  auto one = select_one<KeyTest>(db, sql, read_key_test, arg);
  if (!one || !one->has_value()) return one;
  std::vector<KeyTest> rows{std::move(**one)};
  if (auto st = read_test_parts(db, rows, "?", rows.front().id); !st) return st.error();
  return std::optional<KeyTest>(std::move(rows.front()));
}

// The tests `sql` finds (bound to `arg`), with the steps and warnings of those `ids` selects (bound to `arg`).
Result<std::vector<KeyTest>> tests(SqliteDb& db, const std::string& sql, const std::string& ids, int64_t arg) {
  auto rows = select_all<KeyTest>(db, sql, read_key_test, arg);
  if (!rows) return rows;
  if (auto st = read_test_parts(db, *rows, ids, arg); !st) return st.error();
  return rows;
}

}  // namespace

// ---- key tests ----

Result<KeyTest> SqliteStore::start_key_test(int64_t account_id) {
  Lock lock(mu_);
  KeyTest t;
  t.account_id = account_id;
  t.started_ms = clock_.now_ms();
  auto s = db_->prepare("INSERT INTO key_tests (account_id, outcome, started_at) VALUES (?, ?, ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(account_id, t.outcome, t.started_ms).run(); !st) return st.error();
  t.id = db_->last_insert_rowid();
  return t;
}

Status SqliteStore::update_key_test(const KeyTest& t) {
  Lock lock(mu_);
  return with_transaction([&](Store&) -> Status {  // the row, its steps and warnings together
    auto s = db_->prepare(
        "UPDATE key_tests SET outcome = ?, finished_at = ?, reason_code = ?, message = ?, trading_expires_at = ?, "
        "retry_at = ? WHERE id = ?");
    if (!s) return s.error();
    s->bind_all(t.outcome, t.finished_ms, to_string(t.reason), t.message, t.trading_expires_ms, t.retry_at_ms, t.id);
    if (auto st = s->run(); !st) return st;
    if (db_->changes() == 0) return not_found("key test", t.id);
    return write_test_parts(*db_, t);
  });
}

Result<std::optional<KeyTest>> SqliteStore::find_key_test(int64_t id) {
  Lock lock(mu_);
  return one_test(*db_, "SELECT " + cols(kKeyTestCols) + " FROM key_tests WHERE id = ?", id);
}

Result<std::vector<KeyTest>> SqliteStore::list_key_tests(int64_t account_id) {
  Lock lock(mu_);
  return tests(*db_, "SELECT " + cols(kKeyTestCols) + " FROM key_tests WHERE account_id = ? ORDER BY id DESC",
               "SELECT id FROM key_tests WHERE account_id = ?", account_id);
}

Result<std::optional<KeyTest>> SqliteStore::latest_key_test(int64_t account_id) {
  Lock lock(mu_);
  return one_test(*db_, "SELECT " + cols(kKeyTestCols) + " FROM key_tests WHERE account_id = ? ORDER BY id DESC LIMIT 1", account_id);
}

Result<std::vector<KeyTest>> SqliteStore::latest_key_tests_of_user(int64_t user_id) {
  Lock lock(mu_);
  // Each account's newest id through key_tests_account(account_id, id), then its row by id. A join, not
  // `id IN (...)`, and no ORDER BY: either would build a temporary b-tree on every call.
  return tests(*db_,
               "SELECT k.id, k.account_id, k.outcome, k.started_at, k.finished_at, k.reason_code, k.message, "
               "k.trading_expires_at, k.retry_at FROM accounts a "
               "JOIN key_tests k ON k.id = (SELECT MAX(t.id) FROM key_tests t WHERE t.account_id = a.id) WHERE a.user_id = ?",
               "SELECT (SELECT MAX(t.id) FROM key_tests t WHERE t.account_id = a.id) FROM accounts a WHERE a.user_id = ?", user_id);
}

}  // namespace tb::store
