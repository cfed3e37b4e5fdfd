// PgStore: users, their sessions and their second factor.
#include "store/pg/pg_rows.hpp"
#include "store/pg/pg_store_impl.hpp"

namespace tb::store::pg {

// ---- users ----

Result<User> PgStore::create_user(std::string_view email, std::string_view password_hash) {
  if (email.empty()) return Error::invalid("email", "empty");
  User u{0, std::string(email), std::string(password_hash), clock_.now_ms()};
  auto id = with_conn([&](PgConn& c) {
    return returned_id(c, "INSERT INTO users (email, password_hash, created_at) VALUES ($1, $2, $3) RETURNING id",
                       PgParams(u.email, u.password_hash, u.created_ms));
  });
  if (!id) return id.error();
  u.id = *id;
  return u;
}

Result<std::optional<User>> PgStore::find_user(int64_t id) {
  return with_conn(
      [&](PgConn& c) { return select_one<User>(c, "SELECT " + cols(kUserCols) + " FROM users WHERE id = $1", read_user, PgParams(id)); });
}

Status PgStore::lock_user(int64_t id) {
  auto r = with_conn([&](PgConn& c) { return c.run("SELECT id FROM users WHERE id = $1 FOR UPDATE", PgParams(id), "lock a user"); });
  if (!r) return r.error();
  return ok_status();
}

Result<std::optional<User>> PgStore::find_user_by_email(std::string_view email) {
  return with_conn([&](PgConn& c) {  // lower(email): the unique index users_email
    return select_one<User>(c, "SELECT " + cols(kUserCols) + " FROM users WHERE lower(email) = lower($1)", read_user, PgParams(email));
  });
}

Status PgStore::set_password_hash(int64_t user_id, std::string_view password_hash) {
  auto n = with_conn(
      [&](PgConn& c) { return affected(c, "UPDATE users SET password_hash = $1 WHERE id = $2", PgParams(password_hash, user_id)); });
  if (!n) return n.error();
  if (*n == 0) return not_found("user", user_id);
  return ok_status();
}

// ---- sessions ----

Status PgStore::create_session(const Session& s) {
  const int64_t created = s.created_ms ? s.created_ms : clock_.now_ms();
  const int64_t seen = s.last_seen_ms ? s.last_seen_ms : created;
  return with_conn([&](PgConn& c) {
    return exec(c, "INSERT INTO sessions (" + cols(kSessionCols) + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                PgParams(s.token_hash, s.user_id, s.csrf_token, s.expires_ms, s.ip, s.user_agent, created, seen));
  });
}

Result<std::optional<Session>> PgStore::find_session(std::string_view token_hash) {
  return with_conn([&](PgConn& c) {
    return select_one<Session>(c, "SELECT " + cols(kSessionCols) + " FROM sessions WHERE token_hash = $1", read_session,
                               PgParams(token_hash));
  });
}

Status PgStore::delete_session(std::string_view token_hash) {
  return with_conn([&](PgConn& c) { return exec(c, "DELETE FROM sessions WHERE token_hash = $1", PgParams(token_hash)); });
}

Result<int64_t> PgStore::delete_user_sessions(int64_t user_id) {
  return with_conn([&](PgConn& c) { return affected(c, "DELETE FROM sessions WHERE user_id = $1", PgParams(user_id)); });
}

Result<int64_t> PgStore::delete_expired_sessions() {
  return with_conn([&](PgConn& c) { return affected(c, "DELETE FROM sessions WHERE expires_at <= $1", PgParams(clock_.now_ms())); });
}

Result<int64_t> PgStore::delete_idle_sessions(int64_t seen_before_ms) {
  return with_conn([&](PgConn& c) { return affected(c, "DELETE FROM sessions WHERE last_seen_at < $1", PgParams(seen_before_ms)); });
}

Result<std::vector<Session>> PgStore::list_user_sessions(int64_t user_id) {
  // seq: the order they were made in, as SQLite's rowid.
  return with_conn([&](PgConn& c) {
    return select_all<Session>(c, "SELECT " + cols(kSessionCols) + " FROM sessions WHERE user_id = $1 ORDER BY created_at DESC, seq DESC",
                               read_session, PgParams(user_id));
  });
}

Status PgStore::touch_session(std::string_view token_hash, int64_t seen_ms) {
  return with_conn(
      [&](PgConn& c) { return exec(c, "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2", PgParams(seen_ms, token_hash)); });
}

Result<std::vector<std::string>> PgStore::delete_user_sessions_except(int64_t user_id, std::string_view keep) {
  return with_conn([&](PgConn& c) {
    return select_all<std::string>(
        c, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2 RETURNING token_hash", [](const PgRow& r) { return r.text_at(0); },
        PgParams(user_id, keep));
  });
}

// ---- two-factor authentication ----

namespace {

constexpr const char* kTwoFactorCols = "user_id, sealed_secret, master_version, enabled, last_step, created_at, enabled_at";
TwoFactor read_two_factor(const PgRow& r) {
  return TwoFactor{r.int_at(0), r.text_at(1), static_cast<int>(r.int_at(2)), r.bool_at(3), r.int_at(4), r.int_at(5), r.opt_int_at(6)};
}

}  // namespace

Result<std::optional<TwoFactor>> PgStore::find_two_factor(int64_t user_id) {
  return with_conn([&](PgConn& c) {
    return select_one<TwoFactor>(c, std::string("SELECT ") + kTwoFactorCols + " FROM two_factor WHERE user_id = $1", read_two_factor,
                                 PgParams(user_id));
  });
}

Result<std::vector<TwoFactor>> PgStore::list_two_factors() {
  return with_conn([&](PgConn& c) {
    return select_all<TwoFactor>(c, std::string("SELECT ") + kTwoFactorCols + " FROM two_factor ORDER BY user_id", read_two_factor);
  });
}

Status PgStore::save_two_factor(const TwoFactor& t) {
  if (t.sealed_secret.empty()) return Error::invalid("sealed_secret", "empty");
  return with_conn([&](PgConn& c) {
    return exec(c,
                "INSERT INTO two_factor (user_id, sealed_secret, master_version, enabled, last_step, created_at, enabled_at) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id) DO UPDATE SET sealed_secret = excluded.sealed_secret, "
                "master_version = excluded.master_version, enabled = excluded.enabled, last_step = excluded.last_step, "
                "created_at = excluded.created_at, enabled_at = excluded.enabled_at",
                PgParams(t.user_id, t.sealed_secret, t.master_version, t.enabled, t.last_step,
                         t.created_ms ? t.created_ms : clock_.now_ms(), t.enabled_ms));
  });
}

Status PgStore::delete_two_factor(int64_t user_id) {
  return in_transaction([&](PgConn& c) -> Status {
    if (auto st = exec(c, "DELETE FROM recovery_codes WHERE user_id = $1", PgParams(user_id)); !st) return st;
    return exec(c, "DELETE FROM two_factor WHERE user_id = $1", PgParams(user_id));
  });
}

Result<bool> PgStore::use_totp_step(int64_t user_id, int64_t step) {
  auto n = with_conn([&](PgConn& c) {
    return affected(c, "UPDATE two_factor SET last_step = $1 WHERE user_id = $2 AND last_step < $1", PgParams(step, user_id));
  });
  if (!n) return n.error();
  return *n == 1;
}

Status PgStore::replace_recovery_codes(int64_t user_id, const std::vector<std::string>& code_hashes) {
  return in_transaction([&](PgConn& c) -> Status {
    if (auto st = exec(c, "DELETE FROM recovery_codes WHERE user_id = $1", PgParams(user_id)); !st) return st;
    for (const auto& h : code_hashes)
      if (auto st = exec(c, "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING", PgParams(user_id, h));
          !st)
        return st;
    return ok_status();
  });
}

Result<bool> PgStore::use_recovery_code(int64_t user_id, std::string_view code_hash) {
  auto n = with_conn([&](PgConn& c) {
    return affected(c, "DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2", PgParams(user_id, code_hash));
  });
  if (!n) return n.error();
  return *n == 1;
}

Result<int64_t> PgStore::count_recovery_codes(int64_t user_id) {
  auto n = with_conn([&](PgConn& c) {
    return select_one<int64_t>(
        c, "SELECT count(*) FROM recovery_codes WHERE user_id = $1", [](const PgRow& r) { return r.int_at(0); }, PgParams(user_id));
  });
  if (!n) return n.error();
  return n->value_or(0);
}

}  // namespace tb::store::pg
