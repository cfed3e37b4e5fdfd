// Telegram identities at the service: a Telegram user's own platform user, link codes, linking a chat to a
// web account, the pause after wrong codes, unlinking. The bot's words for each outcome are tested with the
// bot (tests/telegram).
#include <gtest/gtest.h>

#include "users/users_world.hpp"

namespace tb::users::test {
namespace {

store::TelegramLink chat_of(int64_t telegram_user_id) {
  store::TelegramLink l;
  l.telegram_user_id = telegram_user_id;
  l.chat_id = telegram_user_id;
  l.username = "user" + std::to_string(telegram_user_id);
  l.first_name = "Ann";
  l.last_update_id = 7;
  return l;
}

TEST(LinkCodes, NormalisedAndHashed) {
  EXPECT_EQ(*normalize_link_code("k7qf-m2xd ab"), "K7QFM2XDAB");
  EXPECT_FALSE(normalize_link_code("K7QFM2XDA").has_value());    // 9
  EXPECT_FALSE(normalize_link_code("K7QFM2XDAB1").has_value());  // 1 is not in the alphabet
  EXPECT_FALSE(normalize_link_code("K7QFM2XDAO").has_value());   // nor O
  EXPECT_EQ(link_code_hash("K7QFM2XDAB").size(), 64u);
  EXPECT_NE(link_code_hash("K7QFM2XDAB"), link_code_hash("K7QFM2XDAC"));
}

TEST(TelegramIdentities, AStartMakesTheTelegramUsersOwnUserOnceFoundByTheirIdOnly) {
  UsersWorld s;
  auto first = s.identities.register_chat(chat_of(111));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->telegram_user_id, 111);
  EXPECT_EQ(first->username, "user111");
  EXPECT_EQ(first->last_update_id, 7);
  auto user = *s.w.store->find_user(first->user_id);
  ASSERT_TRUE(user.has_value());
  EXPECT_TRUE(store::is_telegram_only(*user));
  // Unlinked and started again: the same user, not a new one.
  ASSERT_TRUE(s.identities.unlink(first->user_id).ok());
  auto again = s.identities.register_chat(chat_of(111));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->user_id, first->user_id);
  auto other = s.identities.register_chat(chat_of(222));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->user_id, first->user_id);
}

TEST(TelegramIdentities, ACodeLinksAChatToTheWebAccountOnceAndExpires) {
  UsersWorld s;
  int64_t web = s.w.user("ann@example.com");
  auto code = s.identities.issue_link_code(web);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->code, "ABCDEFGHJK");  // bytes 0..9 of the random source over the alphabet
  EXPECT_EQ(code->expires_ms, s.clock.now_ms() + 10 * 60 * 1000);

  store::TelegramLink chat = chat_of(111);
  chat.dialog_json = R"({"step":"idle","gen":3})";
  auto linked = s.identities.link_with_code(chat, "abcd-efgh jk");  // typed loosely
  ASSERT_TRUE(linked.ok()) << linked.error().message;
  EXPECT_FALSE(linked->refused.has_value());
  EXPECT_EQ(linked->email, "ann@example.com");
  EXPECT_EQ(linked->link.user_id, web);
  EXPECT_EQ(linked->link.dialog_json, chat.dialog_json);
  EXPECT_EQ((*s.w.store->find_telegram_link(111))->user_id, web);
  EXPECT_EQ((*s.identities.link_of(web))->telegram_user_id, 111);

  auto reused = s.identities.link_with_code(chat_of(222), code->code);
  ASSERT_TRUE(reused.ok());
  EXPECT_EQ(reused->refused, LinkRefusal::UnknownCode);
  EXPECT_FALSE(s.w.store->find_telegram_link(222)->has_value());

  auto late = s.identities.issue_link_code(web);
  s.clock.advance_ms(10 * 60 * 1000 + 1);
  auto expired = s.identities.link_with_code(chat_of(333), late->code);
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired->refused, LinkRefusal::UnknownCode);

  auto removed = s.identities.unlink(web);
  ASSERT_TRUE(removed.ok());
  ASSERT_TRUE(removed->has_value());
  EXPECT_EQ((*removed)->chat_id, 111);
  EXPECT_FALSE(s.identities.link_of(web)->has_value());
  EXPECT_FALSE(s.identities.unlink(web)->has_value());  // nothing left to remove
}

TEST(TelegramIdentities, FiveWrongCodesPauseATelegramUserForTenMinutes) {
  UsersWorld s;
  int64_t web = s.w.user("ann@example.com");
  auto code = s.identities.issue_link_code(web);
  for (int i = 0; i < 5; ++i) {
    auto wrong = s.identities.link_with_code(chat_of(111), i % 2 ? "not-a-code!" : "ZZZZZZZZZZ");
    ASSERT_TRUE(wrong.ok());
    EXPECT_EQ(wrong->refused, i % 2 ? LinkRefusal::NotACode : LinkRefusal::UnknownCode);
  }
  auto paused = s.identities.link_with_code(chat_of(111), code->code);
  EXPECT_EQ(paused->refused, LinkRefusal::TooManyTries);
  auto someone_else = s.identities.link_with_code(chat_of(222), "ZZZZZZZZZZ");  // per Telegram user
  EXPECT_EQ(someone_else->refused, LinkRefusal::UnknownCode);
  s.clock.advance_ms(10 * 60 * 1000 + 1);
  auto code2 = s.identities.issue_link_code(web);
  auto linked = s.identities.link_with_code(chat_of(111), code2->code);
  ASSERT_TRUE(linked.ok());
  EXPECT_FALSE(linked->refused.has_value());
  EXPECT_EQ((*s.w.store->find_telegram_link(111))->user_id, web);
}

// The wrong codes are counted in the database: a second process (its own store on the same database) sees
// them, so alternating between processes buys a guesser nothing.
TEST(TelegramIdentities, WrongCodesCountForEveryProcessOnTheDatabase) {
  UsersWorld s;
  auto other_store = store::open_store(s.w.db.path(), s.clock);
  ASSERT_TRUE(other_store);
  TelegramIdentities other{*other_store, s.clock, s.random};
  int64_t web = s.w.user("ann@example.com");
  auto code = s.identities.issue_link_code(web);
  for (int i = 0; i < 5; ++i) {
    auto wrong = (i % 2 ? other : s.identities).link_with_code(chat_of(111), "ZZZZZZZZZZ");
    ASSERT_TRUE(wrong.ok());
    EXPECT_EQ(wrong->refused, LinkRefusal::UnknownCode) << "try " << i + 1;
  }
  EXPECT_EQ(other.link_with_code(chat_of(111), code->code)->refused, LinkRefusal::TooManyTries);
  EXPECT_EQ(s.identities.link_with_code(chat_of(111), code->code)->refused, LinkRefusal::TooManyTries);
  s.clock.advance_ms(10 * 60 * 1000 + 1);
  EXPECT_EQ(*s.w.store->delete_expired_limit_entries(), 1);  // the pause is over: the hourly purge may drop it
  auto code2 = s.identities.issue_link_code(web);            // the first one expired meanwhile
  auto linked = other.link_with_code(chat_of(111), code2->code);
  ASSERT_TRUE(linked.ok());
  EXPECT_FALSE(linked->refused.has_value());
}

TEST(TelegramIdentities, ATelegramOnlyUserHoldingAccountsIsNotLeftBehindAndTheCodeIsKept) {
  UsersWorld s;
  auto own = s.identities.register_chat(chat_of(111));
  ASSERT_TRUE(own.ok());
  auto k = s.w.sim.key(accounts::test::SimWorld::trading());
  ASSERT_TRUE(s.w.service->add({own->user_id, ""}, {std::string("Kraken main"), "kraken", k.key, crypto::Secret(k.secret)}).ok());
  int64_t web = s.w.user("ann@example.com");
  auto code = s.identities.issue_link_code(web);
  auto refused = s.identities.link_with_code(*own, code->code);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->refused, LinkRefusal::HoldsAccounts);
  EXPECT_EQ(refused->accounts_held, 1u);
  EXPECT_EQ((*s.w.store->find_telegram_link(111))->user_id, own->user_id);
  // The code was not used up: the account deleted, the same code links.
  auto accounts = *s.w.service->list(own->user_id);
  ASSERT_EQ(accounts.size(), 1u);
  ASSERT_TRUE(s.w.service->remove({own->user_id, ""}, accounts[0].account.id).ok());
  auto linked = s.identities.link_with_code(*own, code->code);
  ASSERT_TRUE(linked.ok());
  EXPECT_FALSE(linked->refused.has_value());
  EXPECT_EQ((*s.w.store->find_telegram_link(111))->user_id, web);
}

}  // namespace
}  // namespace tb::users::test
