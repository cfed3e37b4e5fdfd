// PgStore: exchange accounts and their sealed secrets, and key tests with their steps and warnings.
#include "store/id_list.hpp"
#include "store/pg/pg_owned_rows.hpp"
#include "store/pg/pg_rows.hpp"
#include "store/pg/pg_store_impl.hpp"

namespace tb::store::pg {

namespace {

Status insert_secrets(PgConn& c, int64_t account_id, const std::vector<AccountSecret>& secrets) {
  for (const auto& sec : secrets)
    if (auto st = exec(c, "INSERT INTO account_secrets (account_id, field, sealed, master_version) VALUES ($1, $2, $3, $4)",
                       PgParams(account_id, sec.field, sec.sealed, sec.master_version));
        !st)
      return st;
  return ok_status();
}

// The accounts `sql` finds, with their portfolios.
Result<std::vector<Account>> accounts(PgConn& c, const std::string& sql, const PgParams& params) {
  auto rows = select_all<Account>(c, sql, read_account, params);
  if (!rows) return rows;
  if (auto st = read_portfolios(c, *rows); !st) return st.error();
  return rows;
}

// The key tests `sql` finds, with their steps and warnings.
Result<std::vector<KeyTest>> key_tests(PgConn& c, const std::string& sql, const PgParams& params) {
  auto rows = select_all<KeyTest>(c, sql, read_key_test, params);
  if (!rows) return rows;
  if (auto st = read_test_parts(c, *rows); !st) return st.error();
  return rows;
}

template <typename T>
std::optional<T> first(std::vector<T>& rows) {
  return rows.empty() ? std::nullopt : std::optional<T>(std::move(rows.front()));
}

}  // namespace

// ---- accounts ----

Result<Account> PgStore::create_account(const Account& account, const std::vector<AccountSecret>& secrets) {
  if (account.name.empty()) return Error::invalid("name", "empty");
  Account a = account;
  a.created_ms = a.updated_ms = clock_.now_ms();
  Status st = in_transaction([&](PgConn& c) -> Status {
    auto id = returned_id(c,
                          "INSERT INTO accounts (user_id, name, venue, masked_key, status, reason, usd_total, last_checked_at, created_at, "
                          "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                          PgParams(a.user_id, a.name, a.venue, a.masked_key, to_string(a.status), a.reason, a.usd_total.to_string(),
                                   a.last_checked_ms, a.created_ms, a.updated_ms));
    if (!id) return id.error();
    a.id = *id;
    if (auto p = write_portfolio(c, a.id, a.portfolio); !p) return p;
    return insert_secrets(c, a.id, secrets);
  });
  if (!st) return st.error();
  return a;
}

Result<std::optional<Account>> PgStore::find_account(int64_t id) {
  auto rows =
      with_conn([&](PgConn& c) { return accounts(c, "SELECT " + cols(kAccountCols) + " FROM accounts WHERE id = $1", PgParams(id)); });
  if (!rows) return rows.error();
  return first(*rows);
}

Result<std::vector<Account>> PgStore::list_accounts(int64_t user_id) {
  return with_conn([&](PgConn& c) {
    return accounts(c, "SELECT " + cols(kAccountCols) + " FROM accounts WHERE user_id = $1 ORDER BY id", PgParams(user_id));
  });
}

Result<std::vector<Account>> PgStore::list_all_accounts() {
  return with_conn([&](PgConn& c) { return accounts(c, "SELECT " + cols(kAccountCols) + " FROM accounts ORDER BY id", PgParams()); });
}

Result<std::vector<Account>> PgStore::account_rows(const std::vector<int64_t>& ids) {
  const std::string list = id_list(ids, '{', '}');
  return with_conn([&](PgConn& c) {
    return select_all<Account>(c, "SELECT " + cols(kAccountCols) + " FROM accounts WHERE id = ANY($1::bigint[]) ORDER BY id", read_account,
                               PgParams(list));
  });
}

Status PgStore::update_account(const Account& a) {
  if (a.name.empty()) return Error::invalid("name", "empty");
  return in_transaction([&](PgConn& c) -> Status {  // the row and its portfolio together
    auto n = affected(
        c,
        "UPDATE accounts SET name = $1, masked_key = $2, status = $3, reason = $4, usd_total = $5, last_checked_at = $6, "
        "updated_at = $7 WHERE id = $8",
        PgParams(a.name, a.masked_key, to_string(a.status), a.reason, a.usd_total.to_string(), a.last_checked_ms, clock_.now_ms(), a.id));
    if (!n) return n.error();
    if (*n == 0) return not_found("account", a.id);
    return write_portfolio(c, a.id, a.portfolio);
  });
}

Status PgStore::delete_account(int64_t id) {
  auto n = with_conn([&](PgConn& c) { return affected(c, "DELETE FROM accounts WHERE id = $1", PgParams(id)); });
  if (!n) return n.error();
  if (*n == 0) return not_found("account", id);
  return ok_status();
}

// ---- secrets ----

Status PgStore::replace_secrets(int64_t account_id, const std::vector<AccountSecret>& secrets) {
  return in_transaction([&](PgConn& c) -> Status {
    if (auto st = exec(c, "DELETE FROM account_secrets WHERE account_id = $1", PgParams(account_id)); !st) return st;
    return insert_secrets(c, account_id, secrets);
  });
}

Result<std::vector<AccountSecret>> PgStore::get_secrets(int64_t account_id) {
  return with_conn([&](PgConn& c) {
    return select_all<AccountSecret>(
        c, "SELECT account_id, field, sealed, master_version FROM account_secrets WHERE account_id = $1 ORDER BY field", read_secret,
        PgParams(account_id));
  });
}

Result<std::vector<AccountSecret>> PgStore::secrets_of(const std::vector<int64_t>& account_ids) {
  const std::string list = id_list(account_ids, '{', '}');
  return with_conn([&](PgConn& c) {
    return select_all<AccountSecret>(c,
                                     "SELECT account_id, field, sealed, master_version FROM account_secrets "
                                     "WHERE account_id = ANY($1::bigint[]) ORDER BY account_id, field",
                                     read_secret, PgParams(list));
  });
}

Status PgStore::delete_secrets(int64_t account_id) {
  return with_conn([&](PgConn& c) { return exec(c, "DELETE FROM account_secrets WHERE account_id = $1", PgParams(account_id)); });
}

// ---- key tests ----

Result<KeyTest> PgStore::start_key_test(int64_t account_id) {
  KeyTest t;
  t.account_id = account_id;
  t.started_ms = clock_.now_ms();
  auto id = with_conn([&](PgConn& c) {
    return returned_id(c, "INSERT INTO key_tests (account_id, outcome, started_at) VALUES ($1, $2, $3) RETURNING id",
                       PgParams(account_id, t.outcome, t.started_ms));
  });
  if (!id) return id.error();
  t.id = *id;
  return t;
}

Status PgStore::update_key_test(const KeyTest& t) {
  return in_transaction([&](PgConn& c) -> Status {  // the row, its steps and warnings together
    auto n = affected(c,
                      "UPDATE key_tests SET outcome = $1, finished_at = $2, reason_code = $3, message = $4, trading_expires_at = $5, "
                      "retry_at = $6 WHERE id = $7",
                      PgParams(t.outcome, t.finished_ms, to_string(t.reason), t.message, t.trading_expires_ms, t.retry_at_ms, t.id));
    if (!n) return n.error();
    if (*n == 0) return not_found("key test", t.id);
    return write_test_parts(c, t);
  });
}

Result<std::optional<KeyTest>> PgStore::find_key_test(int64_t id) {
  auto rows =
      with_conn([&](PgConn& c) { return key_tests(c, "SELECT " + cols(kKeyTestCols) + " FROM key_tests WHERE id = $1", PgParams(id)); });
  if (!rows) return rows.error();
  return first(*rows);
}

Result<std::vector<KeyTest>> PgStore::list_key_tests(int64_t account_id) {
  return with_conn([&](PgConn& c) {
    return key_tests(c, "SELECT " + cols(kKeyTestCols) + " FROM key_tests WHERE account_id = $1 ORDER BY id DESC", PgParams(account_id));
  });
}

Result<std::optional<KeyTest>> PgStore::latest_key_test(int64_t account_id) {
  auto rows = with_conn([&](PgConn& c) {
    return key_tests(c, "SELECT " + cols(kKeyTestCols) + " FROM key_tests WHERE account_id = $1 ORDER BY id DESC LIMIT 1",
                     PgParams(account_id));
  });
  if (!rows) return rows.error();
  return first(*rows);
}

Result<std::vector<KeyTest>> PgStore::latest_key_tests_of_user(int64_t user_id) {
  return with_conn([&](PgConn& c) {
    return key_tests(c,
                     "SELECT k.id, k.account_id, k.outcome, k.started_at, k.finished_at, k.reason_code, k.message, k.trading_expires_at, "
                     "k.retry_at FROM accounts a JOIN key_tests k ON k.id = (SELECT max(t.id) FROM key_tests t WHERE t.account_id = a.id) "
                     "WHERE a.user_id = $1",
                     PgParams(user_id));
  });
}

}  // namespace tb::store::pg
