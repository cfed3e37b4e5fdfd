// SqliteStore: Telegram links, identities, link codes and update offsets.
#include "store/sqlite_store.hpp"

#include "store/sqlite_rows.hpp"

namespace tb::store {

using namespace sqlite_rows;

// ---- telegram ----

Result<TelegramLink> SqliteStore::save_telegram_link(const TelegramLink& link) {
  if (link.telegram_user_id == 0) return Error::invalid("telegram_user_id", "zero");
  Lock lock(mu_);
  TelegramLink out = link;
  const int64_t now = clock_.now_ms();
  Status st = with_transaction([&](Store&) -> Status {
    auto other = db_->prepare("DELETE FROM telegram_links WHERE user_id = ? AND telegram_user_id <> ?");
    if (!other) return other.error();
    if (auto r = other->bind_all(link.user_id, link.telegram_user_id).run(); !r) return r;
    auto s = db_->prepare("INSERT INTO telegram_links (" + cols(kTelegramCols) +
                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                          "ON CONFLICT (telegram_user_id) DO UPDATE SET chat_id = excluded.chat_id, user_id = excluded.user_id, "
                          "username = excluded.username, first_name = excluded.first_name, dialog = excluded.dialog, "
                          "last_update_id = excluded.last_update_id, blocked = excluded.blocked, updated_at = excluded.updated_at "
                          "RETURNING created_at");
    if (!s) return s.error();
    auto row = s->bind_all(link.telegram_user_id, link.chat_id, link.user_id, link.username, link.first_name, link.dialog_json,
                           link.last_update_id, int64_t{link.blocked ? 1 : 0}, now, now)
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
  return select_one<TelegramLink>(*db_, "SELECT " + cols(kTelegramCols) + " FROM telegram_links WHERE user_id = ?", read_telegram_link,
                                  user_id);
}

Status SqliteStore::delete_telegram_link(int64_t telegram_user_id) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM telegram_links WHERE telegram_user_id = ?");
  if (!s) return s.error();
  return s->bind_all(telegram_user_id).run();
}

Result<User> SqliteStore::create_telegram_user(int64_t telegram_user_id) {
  if (telegram_user_id == 0) return Error::invalid("telegram_user_id", "zero");
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
  if (code_hash.empty()) return Error::invalid("code_hash", "empty");
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

}  // namespace tb::store
