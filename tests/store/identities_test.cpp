// Migration 4 and the Telegram identities: a Telegram user's own platform user is found by the Telegram
// user id only, and a v3 database's "tg-<id>@telegram.invalid" users become identities with their data kept.
#include <sqlite3.h>

#include <algorithm>

#include "store/backends.hpp"

namespace tb::store {
namespace {

// A database as version 3 left it: migrations 1 to 3 only.
std::unique_ptr<SqliteStore> open_v3(const std::string& path, const Clock& clock) { return open_store_at(path, clock, 3); }

TEST(Migration4, TelegramUsersOfAV3DatabaseBecomeIdentitiesWithTheirData) {
  TempDb db;
  ManualClock clock;
  int64_t bot_made = 0, adopted = 0, squatter = 0, web = 0;
  {
    auto v3 = open_v3(db.path(), clock);
    ASSERT_TRUE(v3);
    ASSERT_EQ(*v3->applied_migrations(), std::vector<int>({1, 2, 3}));
    // Made by the bot for Telegram user 111, with an account and a web session.
    bot_made = v3->create_user("tg-111@telegram.invalid", "!telegram-only: no password")->id;
    // In the v3 columns (today's store writes rows v3 lacks).
    exec_sql(db.path(), "INSERT INTO accounts (user_id, name, venue, masked_key, status, created_at, updated_at) VALUES (" +
                            std::to_string(bot_made) + ", 'Kraken', 'kraken', 'abcd…wxyz', 'testing', 0, 0)");
    TelegramLink l;
    l.telegram_user_id = 111;
    l.chat_id = 111;
    l.user_id = bot_made;
    ASSERT_TRUE(v3->save_telegram_link(l).ok());
    // Registered on the web under Telegram user 222's address, then adopted by the bot: 222's now.
    adopted = v3->create_user("TG-222@telegram.invalid", "$argon2id$attacker")->id;
    l.telegram_user_id = l.chat_id = 222;
    l.user_id = adopted;
    ASSERT_TRUE(v3->save_telegram_link(l).ok());
    // Registered on the web under 333's address, never used by the bot: nobody's identity.
    squatter = v3->create_user("tg-333@telegram.invalid", "$argon2id$squatter")->id;
    web = v3->create_user("ann@example.com", "$argon2id$ann")->id;
  }
  // The adopted user's web session, in the v3 columns (today's store writes columns v3 lacks).
  exec_sql(db.path(), "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, created_at) VALUES ('h', " +
                          std::to_string(adopted) + ", 'c', " + std::to_string(clock.now_ms() + 1'000'000) + ", 0)");
  auto store = open_store(db.path(), clock);
  ASSERT_TRUE(store);
  auto applied = *store->applied_migrations();
  EXPECT_NE(std::find(applied.begin(), applied.end(), 4), applied.end());

  auto u111 = store->find_telegram_user(111);
  ASSERT_TRUE(u111.ok() && u111->has_value());
  EXPECT_EQ((*u111)->id, bot_made);
  EXPECT_EQ((*u111)->email, "telegram-only #" + std::to_string(bot_made));
  EXPECT_TRUE(is_telegram_only(**u111));
  EXPECT_EQ(store->list_accounts(bot_made)->size(), 1u);  // its data kept
  EXPECT_EQ((*store->find_telegram_link(111))->user_id, bot_made);

  auto u222 = store->find_telegram_user(222);
  ASSERT_TRUE(u222.ok() && u222->has_value());
  EXPECT_EQ((*u222)->id, adopted);
  EXPECT_EQ((*u222)->password_hash, "!telegram-only: no password");  // the web registrant's password opens nothing
  EXPECT_FALSE(store->find_session("h")->has_value());               // nor does their session

  EXPECT_FALSE(store->find_telegram_user(333)->has_value());
  EXPECT_EQ((*store->find_user(squatter))->email, "tg-333@telegram.invalid");
  EXPECT_EQ((*store->find_user(web))->email, "ann@example.com");
  // No address anyone can type finds them any more.
  EXPECT_FALSE(store->find_user_by_email("tg-111@telegram.invalid")->has_value());
  EXPECT_FALSE(store->find_user_by_email("tg-222@telegram.invalid")->has_value());
}

TEST(Migration4, AuditRowsOfV3KeepTheirValuesAndGetAnEmptyChannel) {
  TempDb db;
  ManualClock clock;
  {
    auto v3 = open_v3(db.path(), clock);
    ASSERT_TRUE(v3);
    exec_sql(db.path(), "INSERT INTO audit_log (user_id, action, ip, detail, at) VALUES (7, 'key.added', '10.0.0.1', '{}', 5)");
  }
  auto store = open_store(db.path(), clock);
  ASSERT_TRUE(store);
  auto rows = *store->list_audit(7, 10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].ip, "10.0.0.1");
  EXPECT_EQ(rows[0].channel, "");
  EXPECT_FALSE(rows[0].telegram_user_id.has_value());

  AuditEntry e;
  e.user_id = 7;
  e.action = "key.renamed";
  e.channel = "telegram";
  e.telegram_user_id = 111;
  ASSERT_TRUE(store->append_audit(e).ok());
  auto newest = (*store->list_audit(7, 1))[0];
  EXPECT_EQ(newest.channel, "telegram");
  EXPECT_EQ(newest.telegram_user_id, std::optional<int64_t>(111));
}

using TelegramIdentities = BackendTest;

TEST_P(TelegramIdentities, ATelegramUserIsFoundByItsIdOnlyAndHasNoEmail) {
  auto u = store_->create_telegram_user(111);
  ASSERT_TRUE(u.ok()) << u.error().describe();
  EXPECT_TRUE(is_telegram_only(*u));
  EXPECT_EQ(u->email, "telegram-only #" + std::to_string(u->id));
  EXPECT_EQ((*store_->find_telegram_user(111))->id, u->id);
  EXPECT_FALSE(store_->find_telegram_user(222)->has_value());
  // One per Telegram user.
  auto again = store_->create_telegram_user(111);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "telegram_user_id: already in use");
  // Two of them do not collide on the placeholder.
  auto other = store_->create_telegram_user(222);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->email, u->email);
}

INSTANTIATE_BACKENDS(TelegramIdentities);

}  // namespace
}  // namespace tb::store
