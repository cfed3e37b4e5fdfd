// The Telegram bot's rows: links between Telegram users and platform users with their dialog state,
// one-time link codes, and each bot's getUpdates offset.
#include "store/backends.hpp"

namespace tb::store {
namespace {

using TelegramLinks = BackendTest;

TelegramLink link_of(int64_t tg, int64_t user) {
  TelegramLink l;
  l.telegram_user_id = tg;
  l.chat_id = tg;
  l.user_id = user;
  l.username = "ann";
  l.first_name = "Ann";
  return l;
}

TEST_P(TelegramLinks, SaveFindUpdateAndDelete) {
  int64_t uid = make_user();
  auto saved = store_->save_telegram_link(link_of(111, uid));
  ASSERT_TRUE(saved.ok()) << saved.error().describe();
  EXPECT_EQ(saved->created_ms, clock_.now_ms());
  EXPECT_EQ(saved->dialog_json, "{}");

  auto by_tg = store_->find_telegram_link(111);
  ASSERT_TRUE(by_tg.ok() && by_tg->has_value());
  EXPECT_EQ((*by_tg)->user_id, uid);
  EXPECT_EQ((*by_tg)->chat_id, 111);
  EXPECT_EQ((*by_tg)->username, "ann");
  EXPECT_FALSE((*by_tg)->blocked);
  auto by_user = store_->find_telegram_link_by_user(uid);
  ASSERT_TRUE(by_user.ok() && by_user->has_value());
  EXPECT_EQ((*by_user)->telegram_user_id, 111);

  const int64_t created = clock_.now_ms();
  clock_.advance_ms(5000);
  TelegramLink changed = **by_tg;
  changed.dialog_json = R"({"step":"add_key","gen":3})";
  changed.last_update_id = 815000007;
  changed.blocked = true;
  auto again = store_->save_telegram_link(changed);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->created_ms, created);  // an update keeps the row's birth
  EXPECT_EQ(again->updated_ms, created + 5000);
  auto reread = **store_->find_telegram_link(111);
  EXPECT_EQ(reread.dialog_json, changed.dialog_json);
  EXPECT_EQ(reread.last_update_id, 815000007);
  EXPECT_TRUE(reread.blocked);
  EXPECT_EQ(reread.created_ms, created);

  EXPECT_FALSE(store_->find_telegram_link(222)->has_value());
  EXPECT_FALSE(store_->find_telegram_link_by_user(uid + 1)->has_value());
  ASSERT_TRUE(store_->delete_telegram_link(111).ok());
  EXPECT_FALSE(store_->find_telegram_link(111)->has_value());
}

TEST_P(TelegramLinks, AUserHasOneTelegramTheNewestLinkWins) {
  int64_t uid = make_user();
  ASSERT_TRUE(store_->save_telegram_link(link_of(111, uid)).ok());
  ASSERT_TRUE(store_->save_telegram_link(link_of(222, uid)).ok());
  EXPECT_FALSE(store_->find_telegram_link(111)->has_value());
  EXPECT_EQ((*store_->find_telegram_link_by_user(uid))->telegram_user_id, 222);
}

TEST_P(TelegramLinks, ATelegramUserMovesToAnotherPlatformUser) {
  int64_t ann = make_user("ann@example.com"), bob = make_user("bob@example.com");
  ASSERT_TRUE(store_->save_telegram_link(link_of(111, ann)).ok());
  ASSERT_TRUE(store_->save_telegram_link(link_of(111, bob)).ok());
  EXPECT_EQ((*store_->find_telegram_link(111))->user_id, bob);
  EXPECT_FALSE(store_->find_telegram_link_by_user(ann)->has_value());
}

TEST_P(TelegramLinks, GoesWithItsUser) {
  int64_t uid = make_user();
  ASSERT_TRUE(store_->save_telegram_link(link_of(111, uid)).ok());
  auto missing = store_->save_telegram_link(link_of(333, uid + 100));  // no such user
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::InvalidArgument);
  auto zero = store_->save_telegram_link(link_of(0, uid));
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().message, "telegram_user_id: zero");
}

using TelegramLinkCodes = BackendTest;

TEST_P(TelegramLinkCodes, SingleUseAndExpiring) {
  int64_t uid = make_user();
  ASSERT_TRUE(store_->add_telegram_link_code("hash-a", uid, clock_.now_ms() + 600'000).ok());
  ASSERT_TRUE(store_->add_telegram_link_code("hash-b", uid, clock_.now_ms() + 600'000).ok());
  auto taken = store_->take_telegram_link_code("hash-a");
  ASSERT_TRUE(taken.ok() && taken->has_value());
  EXPECT_EQ(**taken, uid);
  EXPECT_FALSE(store_->take_telegram_link_code("hash-a")->has_value());  // used up
  EXPECT_FALSE(store_->take_telegram_link_code("nope")->has_value());

  clock_.advance_ms(600'000);  // hash-b expires exactly now
  EXPECT_FALSE(store_->take_telegram_link_code("hash-b")->has_value());
  ASSERT_TRUE(store_->add_telegram_link_code("hash-b", uid, clock_.now_ms() + 1000).ok());  // gone, so free again
  EXPECT_EQ(**store_->take_telegram_link_code("hash-b"), uid);

  auto dup1 = store_->add_telegram_link_code("hash-c", uid, clock_.now_ms() + 1000);
  ASSERT_TRUE(dup1.ok());
  EXPECT_FALSE(store_->add_telegram_link_code("hash-c", uid, clock_.now_ms() + 1000).ok());
  EXPECT_FALSE(store_->add_telegram_link_code("", uid, clock_.now_ms() + 1000).ok());
}

TEST_P(TelegramLinkCodes, ExpiredCodesArePurgedOnUse) {
  int64_t uid = make_user();
  ASSERT_TRUE(store_->add_telegram_link_code("old", uid, clock_.now_ms() + 10).ok());
  clock_.advance_ms(20);
  (void)store_->take_telegram_link_code("other");
  // The purge removed it: adding the same hash again is no duplicate.
  EXPECT_TRUE(store_->add_telegram_link_code("old", uid, clock_.now_ms() + 10).ok());
}

using TelegramOffsets = BackendTest;

TEST_P(TelegramOffsets, PerBotAndOverwritten) {
  EXPECT_EQ(*store_->telegram_update_offset(42), 0);
  ASSERT_TRUE(store_->set_telegram_update_offset(42, 815000001).ok());
  ASSERT_TRUE(store_->set_telegram_update_offset(43, 7).ok());
  ASSERT_TRUE(store_->set_telegram_update_offset(42, 815000005).ok());
  EXPECT_EQ(*store_->telegram_update_offset(42), 815000005);
  EXPECT_EQ(*store_->telegram_update_offset(43), 7);
}

TEST_P(TelegramOffsets, SurviveAReopen) {
  ASSERT_TRUE(store_->set_telegram_update_offset(42, 99).ok());
  reopen();
  ASSERT_TRUE(store_);
  EXPECT_EQ(*store_->telegram_update_offset(42), 99);
}

INSTANTIATE_BACKENDS(TelegramLinks);
INSTANTIATE_BACKENDS(TelegramLinkCodes);
INSTANTIATE_BACKENDS(TelegramOffsets);

}  // namespace
}  // namespace tb::store
