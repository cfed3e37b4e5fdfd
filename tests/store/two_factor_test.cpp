// Two-factor rows: the sealed secret kept as given, a time step taken once, recovery codes used once, and
// everything gone with the user.
#include "store/backends.hpp"

namespace tb::store {
namespace {

class TwoFactorRows : public BackendTest {
 protected:
  TwoFactor pending(int64_t uid) const {
    TwoFactor t;
    t.user_id = uid;
    t.sealed_secret = "v1.d.n.c";
    t.master_version = 1;
    return t;
  }
};

TEST_P(TwoFactorRows, SavedReplacedFoundAndDeleted) {
  int64_t uid = make_user();
  EXPECT_FALSE(store_->find_two_factor(uid)->has_value());
  ASSERT_TRUE(store_->save_two_factor(pending(uid)).ok());
  auto got = *store_->find_two_factor(uid);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->sealed_secret, "v1.d.n.c");
  EXPECT_FALSE(got->enabled);
  EXPECT_GT(got->created_ms, 0);
  TwoFactor on = *got;
  on.enabled = true;
  on.enabled_ms = 77;
  on.sealed_secret = "v2.d.n.c";
  on.master_version = 2;
  ASSERT_TRUE(store_->save_two_factor(on).ok());
  got = *store_->find_two_factor(uid);
  EXPECT_TRUE(got->enabled);
  EXPECT_EQ(got->enabled_ms, 77);
  EXPECT_EQ(got->master_version, 2);
  EXPECT_EQ(store_->list_two_factors()->size(), 1u);
  ASSERT_TRUE(store_->replace_recovery_codes(uid, {"h1", "h2"}).ok());
  ASSERT_TRUE(store_->delete_two_factor(uid).ok());
  EXPECT_FALSE(store_->find_two_factor(uid)->has_value());
  EXPECT_EQ(*store_->count_recovery_codes(uid), 0);
  EXPECT_FALSE(store_->save_two_factor(TwoFactor{uid}).ok());  // nothing sealed: refused, not stored empty
}

TEST_P(TwoFactorRows, ATimeStepIsTakenOnceAndNeverAnOlderOne) {
  int64_t uid = make_user();
  ASSERT_TRUE(store_->save_two_factor(pending(uid)).ok());
  EXPECT_TRUE(*store_->use_totp_step(uid, 100));
  EXPECT_FALSE(*store_->use_totp_step(uid, 100));
  EXPECT_FALSE(*store_->use_totp_step(uid, 99));
  EXPECT_TRUE(*store_->use_totp_step(uid, 101));
  EXPECT_EQ(store_->find_two_factor(uid)->value().last_step, 101);
  EXPECT_FALSE(*store_->use_totp_step(make_user("bob@example.com"), 5));  // no row: nothing to take
}

TEST_P(TwoFactorRows, RecoveryCodesAreReplacedWholeAndEachOpensOnce) {
  int64_t ann = make_user(), bob = make_user("bob@example.com");
  ASSERT_TRUE(store_->replace_recovery_codes(ann, {"a1", "a2", "a3"}).ok());
  ASSERT_TRUE(store_->replace_recovery_codes(bob, {"b1"}).ok());
  EXPECT_EQ(*store_->count_recovery_codes(ann), 3);
  EXPECT_FALSE(*store_->use_recovery_code(ann, "b1"));  // another user's code opens nothing
  EXPECT_TRUE(*store_->use_recovery_code(ann, "a2"));
  EXPECT_FALSE(*store_->use_recovery_code(ann, "a2"));
  EXPECT_EQ(*store_->count_recovery_codes(ann), 2);
  ASSERT_TRUE(store_->replace_recovery_codes(ann, {"n1"}).ok());
  EXPECT_FALSE(*store_->use_recovery_code(ann, "a1"));  // the old set is gone
  EXPECT_EQ(*store_->count_recovery_codes(ann), 1);
  EXPECT_EQ(*store_->count_recovery_codes(bob), 1);
}

INSTANTIATE_BACKENDS(TwoFactorRows);

}  // namespace
}  // namespace tb::store
