// SqliteStore: users and their sessions.
#include "store/sqlite_store.hpp"

#include "store/sqlite_rows.hpp"

namespace tb::store {

using namespace sqlite_rows;

// ---- users ----

Result<User> SqliteStore::create_user(std::string_view email, std::string_view password_hash) {
  if (email.empty()) return Error::invalid("email", "empty");
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

Status SqliteStore::lock_user(int64_t) { return ok_status(); }  // BEGIN IMMEDIATE: one writer at a time already

Result<std::optional<User>> SqliteStore::find_user_by_email(std::string_view email) {
  Lock lock(mu_);
  return select_one<User>(*db_, "SELECT " + cols(kUserCols) + " FROM users WHERE email = ?", read_user, email);  // NOCASE column
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
  return s
      ->bind_all(session.token_hash, session.user_id, session.csrf_token, session.expires_ms, session.ip, session.user_agent, created, seen)
      .run();
}

Result<std::optional<Session>> SqliteStore::find_session(std::string_view token_hash) {
  Lock lock(mu_);
  return select_one<Session>(*db_, "SELECT " + cols(kSessionCols) + " FROM sessions WHERE token_hash = ?", read_session, token_hash);
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
  return select_all<Session>(*db_, "SELECT " + cols(kSessionCols) + " FROM sessions WHERE user_id = ? ORDER BY created_at DESC, rowid DESC",
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
  return select_all<std::string>(
      *db_, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ? RETURNING token_hash", [](const Stmt& s) { return s.text_at(0); },
      user_id, keep);
}

}  // namespace tb::store
