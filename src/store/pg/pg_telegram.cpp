// PgStore: Telegram links, identities, link codes and update offsets.
#include "store/pg/pg_rows.hpp"
#include "store/pg/pg_store_impl.hpp"

namespace tb::store::pg {

Result<TelegramLink> PgStore::save_telegram_link(const TelegramLink& link) {
  if (link.telegram_user_id == 0) return Error::invalid("telegram_user_id", "zero");
  TelegramLink out = link;
  const int64_t now = clock_.now_ms();
  Status st = in_transaction([&](PgConn& c) -> Status {
    if (auto r = exec(c, "DELETE FROM telegram_links WHERE user_id = $1 AND telegram_user_id <> $2",
                      PgParams(link.user_id, link.telegram_user_id));
        !r)
      return r;
    auto created = select_one<int64_t>(
        c,
        "INSERT INTO telegram_links (" + cols(kTelegramCols) +
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
            "ON CONFLICT (telegram_user_id) DO UPDATE SET chat_id = excluded.chat_id, user_id = excluded.user_id, "
            "username = excluded.username, first_name = excluded.first_name, dialog = excluded.dialog, "
            "last_update_id = excluded.last_update_id, blocked = excluded.blocked, updated_at = excluded.updated_at "
            "RETURNING created_at",
        [](const PgRow& r) { return r.int_at(0); },
        PgParams(link.telegram_user_id, link.chat_id, link.user_id, link.username, link.first_name, link.dialog_json, link.last_update_id,
                 link.blocked, now, now));
    if (!created) return created.error();
    if (*created) out.created_ms = **created;
    return ok_status();
  });
  if (!st) return st.error();
  out.updated_ms = now;
  return out;
}

Result<std::optional<TelegramLink>> PgStore::find_telegram_link(int64_t telegram_user_id) {
  return with_conn([&](PgConn& c) {
    return select_one<TelegramLink>(c, "SELECT " + cols(kTelegramCols) + " FROM telegram_links WHERE telegram_user_id = $1",
                                    read_telegram_link, PgParams(telegram_user_id));
  });
}

Result<std::optional<TelegramLink>> PgStore::find_telegram_link_by_user(int64_t user_id) {
  return with_conn([&](PgConn& c) {
    return select_one<TelegramLink>(c, "SELECT " + cols(kTelegramCols) + " FROM telegram_links WHERE user_id = $1", read_telegram_link,
                                    PgParams(user_id));
  });
}

Status PgStore::delete_telegram_link(int64_t telegram_user_id) {
  return with_conn(
      [&](PgConn& c) { return exec(c, "DELETE FROM telegram_links WHERE telegram_user_id = $1", PgParams(telegram_user_id)); });
}

Result<User> PgStore::create_telegram_user(int64_t telegram_user_id) {
  if (telegram_user_id == 0) return Error::invalid("telegram_user_id", "zero");
  User u{0, "", std::string(kNoPasswordHash), clock_.now_ms()};
  Status st = in_transaction([&](PgConn& c) -> Status {
    // The placeholder names the id the insert chooses: the id is drawn first, then the row is written with it.
    auto id = returned_id(c, "SELECT nextval(pg_get_serial_sequence('users', 'id'))", PgParams());
    if (!id) return id.error();
    u.id = *id;
    u.email = std::string(kTelegramOnlyEmailPrefix) + std::to_string(u.id);
    if (auto r = exec(c, "INSERT INTO users (id, email, password_hash, created_at) VALUES ($1, $2, $3, $4)",
                      PgParams(u.id, u.email, u.password_hash, u.created_ms));
        !r)
      return r;
    return exec(c, "INSERT INTO telegram_identities (telegram_user_id, user_id, created_at) VALUES ($1, $2, $3)",
                PgParams(telegram_user_id, u.id, u.created_ms));  // a second one: "telegram_user_id: already in use"
  });
  if (!st) return st.error();
  return u;
}

Result<std::optional<User>> PgStore::find_telegram_user(int64_t telegram_user_id) {
  return with_conn([&](PgConn& c) {
    return select_one<User>(c,
                            "SELECT u.id, u.email, u.password_hash, u.created_at FROM telegram_identities t "
                            "JOIN users u ON u.id = t.user_id WHERE t.telegram_user_id = $1",
                            read_user, PgParams(telegram_user_id));
  });
}

Status PgStore::add_telegram_link_code(std::string_view code_hash, int64_t user_id, int64_t expires_ms) {
  if (code_hash.empty()) return Error::invalid("code_hash", "empty");
  return with_conn([&](PgConn& c) {
    return exec(c, "INSERT INTO telegram_link_codes (code_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)",
                PgParams(code_hash, user_id, expires_ms, clock_.now_ms()));
  });
}

Result<std::optional<int64_t>> PgStore::take_telegram_link_code(std::string_view code_hash) {
  const int64_t now = clock_.now_ms();
  std::optional<int64_t> user;
  Status st = in_transaction([&](PgConn& c) -> Status {
    auto taken = select_one<std::pair<int64_t, int64_t>>(
        c, "DELETE FROM telegram_link_codes WHERE code_hash = $1 RETURNING user_id, expires_at",
        [](const PgRow& r) { return std::pair<int64_t, int64_t>(r.int_at(0), r.int_at(1)); }, PgParams(code_hash));
    if (!taken) return taken.error();
    if (*taken && (*taken)->second > now) user = (*taken)->first;
    return exec(c, "DELETE FROM telegram_link_codes WHERE expires_at <= $1", PgParams(now));
  });
  if (!st) return st.error();
  return user;
}

Result<int64_t> PgStore::telegram_update_offset(int64_t bot_id) {
  auto row = with_conn([&](PgConn& c) {
    return select_one<int64_t>(
        c, "SELECT next_update FROM telegram_offsets WHERE bot_id = $1", [](const PgRow& r) { return r.int_at(0); }, PgParams(bot_id));
  });
  if (!row) return row.error();
  return row->value_or(0);
}

Status PgStore::set_telegram_update_offset(int64_t bot_id, int64_t next_update_id) {
  return with_conn([&](PgConn& c) {
    return exec(c,
                "INSERT INTO telegram_offsets (bot_id, next_update, updated_at) VALUES ($1, $2, $3) "
                "ON CONFLICT (bot_id) DO UPDATE SET next_update = excluded.next_update, updated_at = excluded.updated_at",
                PgParams(bot_id, next_update_id, clock_.now_ms()));
  });
}

}  // namespace tb::store::pg
