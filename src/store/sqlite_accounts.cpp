// SqliteStore: exchange accounts and their sealed secrets.
#include "store/id_list.hpp"
#include "store/sqlite_store.hpp"

#include "store/sqlite_owned_rows.hpp"
#include "store/sqlite_rows.hpp"

namespace tb::store {

using namespace sqlite_rows;

// ---- accounts ----

Status SqliteStore::insert_secrets(int64_t account_id, const std::vector<AccountSecret>& secrets) {
  for (const auto& sec : secrets) {
    auto s = db_->prepare("INSERT INTO account_secrets (account_id, field, sealed, master_version) VALUES (?, ?, ?, ?)");
    if (!s) return s.error();
    if (auto st = s->bind_all(account_id, sec.field, sec.sealed, sec.master_version).run(); !st) return st;
  }
  return ok_status();
}

Result<Account> SqliteStore::create_account(const Account& account, const std::vector<AccountSecret>& secrets) {
  if (account.name.empty()) return Error::invalid("name", "empty");
  Lock lock(mu_);
  Account a = account;
  a.created_ms = a.updated_ms = clock_.now_ms();
  Status st = with_transaction([&](Store&) -> Status {
    auto s = db_->prepare(
        "INSERT INTO accounts (user_id, name, venue, masked_key, status, reason, usd_total, "
        "last_checked_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return s.error();
    if (auto r = s->bind_all(a.user_id, a.name, a.venue, a.masked_key, to_string(a.status), a.reason, a.usd_total.to_string(),
                             a.last_checked_ms, a.created_ms, a.updated_ms)
                     .run();
        !r)
      return r;
    a.id = db_->last_insert_rowid();
    if (auto p = write_portfolio(*db_, a.id, a.portfolio); !p) return p;
    return insert_secrets(a.id, secrets);
  });
  if (!st) return st.error();
  return a;
}

Result<std::optional<Account>> SqliteStore::find_account(int64_t id) {
  Lock lock(mu_);
  auto one = select_one<Account>(*db_, "SELECT " + cols(kAccountCols) + " FROM accounts WHERE id = ?", read_account, id);
  if (!one || !one->has_value()) return one;
  std::vector<Account> rows{std::move(**one)};
  if (auto st = read_portfolios(*db_, rows, "?", id); !st) return st.error();
  return std::optional<Account>(std::move(rows.front()));
}

Result<std::vector<Account>> SqliteStore::list_accounts(int64_t user_id) {
  Lock lock(mu_);
  // Sorted here, not by ORDER BY: no index gives (user_id, id) order, and SQLite's sorter would copy every
  // row, balances and all, through a temporary b-tree on each call.
  auto s = db_->prepare("SELECT " + cols(kAccountCols) + " FROM accounts WHERE user_id = ?");
  if (!s) return s.error();
  s->bind_all(user_id);
  auto out = read_accounts(*s);
  if (out)
    if (auto st = read_portfolios(*db_, *out, "SELECT id FROM accounts WHERE user_id = ?", user_id); !st) return st.error();
  if (out) std::sort(out->begin(), out->end(), [](const Account& x, const Account& y) { return x.id < y.id; });
  return out;
}

Result<std::vector<Account>> SqliteStore::list_all_accounts() {
  Lock lock(mu_);
  auto s = db_->prepare("SELECT " + cols(kAccountCols) + " FROM accounts ORDER BY id");
  if (!s) return s.error();
  auto out = read_accounts(*s);
  if (out)
    if (auto st = read_portfolios(*db_, *out, "", std::nullopt); !st) return st.error();
  return out;
}

Result<std::vector<Account>> SqliteStore::account_rows(const std::vector<int64_t>& ids) {
  const auto span = dense_span(ids);
  Lock lock(mu_);
  auto s = db_->prepare("SELECT " + cols(kAccountCols) + " FROM accounts WHERE " +
                        (span ? "id BETWEEN ? AND ?" : "id IN (SELECT value FROM json_each(?))") + " ORDER BY id");
  if (!s) return s.error();
  if (!span) return read_accounts(s->bind_all(id_list(ids, '[', ']')));
  auto rows = read_accounts(s->bind_all(span->first, span->last));
  if (rows) keep_asked(*rows, ids, [](const Account& a) { return a.id; });
  return rows;
}

Status SqliteStore::update_account(const Account& a) {
  if (a.name.empty()) return Error::invalid("name", "empty");
  Lock lock(mu_);
  return with_transaction([&](Store&) -> Status {  // the row and its portfolio together
    auto s = db_->prepare(
        "UPDATE accounts SET name = ?, masked_key = ?, status = ?, reason = ?, usd_total = ?, "
        "last_checked_at = ?, updated_at = ? WHERE id = ?");
    if (!s) return s.error();
    s->bind_all(a.name, a.masked_key, to_string(a.status), a.reason, a.usd_total.to_string(), a.last_checked_ms, clock_.now_ms(), a.id);
    if (auto st = s->run(); !st) return st;
    if (db_->changes() == 0) return not_found("account", a.id);
    return write_portfolio(*db_, a.id, a.portfolio);
  });
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
      *db_, "SELECT account_id, field, sealed, master_version FROM account_secrets WHERE account_id = ? ORDER BY field", read_secret,
      account_id);
}

Result<std::vector<AccountSecret>> SqliteStore::secrets_of(const std::vector<int64_t>& account_ids) {
  const std::string list = id_list(account_ids, '[', ']');
  Lock lock(mu_);
  return select_all<AccountSecret>(*db_,
                                   "SELECT account_id, field, sealed, master_version FROM account_secrets "
                                   "WHERE account_id IN (SELECT value FROM json_each(?)) ORDER BY account_id, field",
                                   read_secret, list);
}

Status SqliteStore::delete_secrets(int64_t account_id) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM account_secrets WHERE account_id = ?");
  if (!s) return s.error();
  return s->bind_all(account_id).run();
}

}  // namespace tb::store
