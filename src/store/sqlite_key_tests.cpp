// SqliteStore: key tests.
#include "store/sqlite_store.hpp"

#include "store/sqlite_rows.hpp"

namespace tb::store {

using namespace sqlite_rows;

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

}  // namespace tb::store
