// SqliteStore: two-factor authentication rows (two_factor, recovery_codes).
#include "store/sqlite_store.hpp"

#include "store/sqlite_rows.hpp"

namespace tb::store {

using namespace sqlite_rows;

namespace {

constexpr const char* kTwoFactorCols = "user_id, sealed_secret, master_version, enabled, last_step, created_at, enabled_at";
TwoFactor read_two_factor(const Stmt& s) {
  return TwoFactor{s.int_at(0), s.text_at(1), static_cast<int>(s.int_at(2)), s.int_at(3) != 0, s.int_at(4), s.int_at(5), s.opt_int_at(6)};
}

}  // namespace

Result<std::optional<TwoFactor>> SqliteStore::find_two_factor(int64_t user_id) {
  Lock lock(mu_);
  return select_one<TwoFactor>(*db_, std::string("SELECT ") + kTwoFactorCols + " FROM two_factor WHERE user_id = ?", read_two_factor,
                               user_id);
}

Result<std::vector<TwoFactor>> SqliteStore::list_two_factors() {
  Lock lock(mu_);
  return select_all<TwoFactor>(*db_, std::string("SELECT ") + kTwoFactorCols + " FROM two_factor ORDER BY user_id", read_two_factor);
}

Status SqliteStore::save_two_factor(const TwoFactor& t) {
  if (t.sealed_secret.empty()) return Error::invalid("sealed_secret", "empty");
  Lock lock(mu_);
  auto s = db_->prepare(
      "INSERT OR REPLACE INTO two_factor (user_id, sealed_secret, master_version, enabled, last_step, created_at, enabled_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!s) return s.error();
  return s
      ->bind_all(t.user_id, t.sealed_secret, t.master_version, t.enabled ? 1 : 0, t.last_step,
                 t.created_ms ? t.created_ms : clock_.now_ms(), t.enabled_ms)
      .run();
}

Status SqliteStore::delete_two_factor(int64_t user_id) {
  Lock lock(mu_);
  return with_transaction([&](Store&) -> Status {
    for (const char* sql : {"DELETE FROM recovery_codes WHERE user_id = ?", "DELETE FROM two_factor WHERE user_id = ?"}) {
      auto s = db_->prepare(sql);
      if (!s) return s.error();
      if (auto st = s->bind_all(user_id).run(); !st) return st;
    }
    return ok_status();
  });
}

Result<bool> SqliteStore::use_totp_step(int64_t user_id, int64_t step) {
  Lock lock(mu_);
  auto s = db_->prepare("UPDATE two_factor SET last_step = ? WHERE user_id = ? AND last_step < ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(step, user_id, step).run(); !st) return st.error();
  return db_->changes() == 1;
}

Status SqliteStore::replace_recovery_codes(int64_t user_id, const std::vector<std::string>& code_hashes) {
  Lock lock(mu_);
  return with_transaction([&](Store&) -> Status {
    auto del = db_->prepare("DELETE FROM recovery_codes WHERE user_id = ?");
    if (!del) return del.error();
    if (auto st = del->bind_all(user_id).run(); !st) return st;
    for (const auto& h : code_hashes) {
      auto ins = db_->prepare("INSERT OR IGNORE INTO recovery_codes (user_id, code_hash) VALUES (?, ?)");
      if (!ins) return ins.error();
      if (auto st = ins->bind_all(user_id, h).run(); !st) return st;
    }
    return ok_status();
  });
}

Result<bool> SqliteStore::use_recovery_code(int64_t user_id, std::string_view code_hash) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM recovery_codes WHERE user_id = ? AND code_hash = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(user_id, code_hash).run(); !st) return st.error();
  return db_->changes() == 1;
}

Result<int64_t> SqliteStore::count_recovery_codes(int64_t user_id) {
  Lock lock(mu_);
  auto s = db_->prepare("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?");
  if (!s) return s.error();
  auto row = s->bind_all(user_id).step();
  if (!row) return row.error();
  return *row ? s->int_at(0) : int64_t{0};
}

}  // namespace tb::store
