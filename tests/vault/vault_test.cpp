#include "vault/vault.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "vault_test_util.hpp"

namespace tb::vault {
namespace {

using test::kHexKey1;
using test::kHexKey2;

const std::string kSecretText = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";

FieldContext ctx() { return {7, 42, "binance_futures", "secret"}; }

bool mentions(const Error& e, std::string_view what) { return e.message.find(what) != std::string::npos; }

class VaultTest : public ::testing::Test {
 protected:
  Vault vault{test::ring_of("1:" + kHexKey1)};
  crypto::Secret secret{kSecretText};
};

TEST_F(VaultTest, RoundTrip) {
  auto sealed = vault.seal(ctx(), secret);
  ASSERT_TRUE(sealed) << sealed.error().message;
  EXPECT_EQ(sealed->master_version, 1);
  EXPECT_EQ(sealed->nonce.size(), 24u);
  EXPECT_EQ(sealed->wrapped_data_key.size(), 24u + 32u + 16u);
  EXPECT_EQ(sealed->ciphertext.size(), kSecretText.size() + 16);
  auto opened = vault.open(ctx(), *sealed);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->reveal(), kSecretText);
  EXPECT_TRUE(vault.verify(ctx(), *sealed));

  // Empty and binary values survive too.
  for (std::string value : {std::string(), std::string("\0\xff\n.", 4), std::string(5000, 'x')}) {
    auto s = vault.seal(ctx(), crypto::Secret(value));
    ASSERT_TRUE(s);
    auto o = vault.open(ctx(), *s);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->reveal(), value);
  }
}

TEST_F(VaultTest, EverySealUsesAFreshNonceAndDataKey) {
  auto a = vault.seal(ctx(), secret), b = vault.seal(ctx(), secret);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->nonce, b->nonce);
  EXPECT_NE(a->ciphertext, b->ciphertext);
  EXPECT_NE(a->wrapped_data_key, b->wrapped_data_key);
}

TEST_F(VaultTest, TextFormRoundTripsAndHoldsNoPlaintext) {
  auto sealed = vault.seal(ctx(), secret);
  ASSERT_TRUE(sealed);
  const std::string text = sealed->to_text();
  EXPECT_EQ(text.rfind("v1.", 0), 0u) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '.'), 3);
  EXPECT_EQ(text.find(kSecretText.substr(0, 8)), std::string::npos);
  EXPECT_EQ(text.find(crypto::base64(kSecretText).substr(0, 8)), std::string::npos);
  EXPECT_EQ(text.find(kHexKey1.substr(0, 8)), std::string::npos);
  // Nor in the raw bytes of any part.
  for (const std::string* part : {&sealed->wrapped_data_key, &sealed->nonce, &sealed->ciphertext})
    EXPECT_EQ(part->find(kSecretText.substr(0, 8)), std::string::npos);

  auto back = SealedField::from_text(text);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, *sealed);
  auto opened = vault.open(ctx(), *back);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->reveal(), kSecretText);
}

TEST_F(VaultTest, MalformedTextIsRefusedWithoutEchoingIt) {
  auto sealed = vault.seal(ctx(), secret);
  ASSERT_TRUE(sealed);
  const std::string good = sealed->to_text();
  const std::string cases[] = {"",
                               "v1",
                               "v1.a.b",
                               good + ".x",
                               "x" + good.substr(1),
                               "v." + good.substr(3),
                               "v1x" + good.substr(2),
                               good.substr(0, good.size() - 1) + "!",
                               "v12345678901" + good.substr(2)};
  for (const auto& text : cases) {
    auto r = SealedField::from_text(text);
    ASSERT_FALSE(r) << text;
    EXPECT_TRUE(mentions(r.error(), "not in the form")) << r.error().message;
    EXPECT_EQ(r.error().message.find(good.substr(3, 12)), std::string::npos);
  }
}

TEST_F(VaultTest, CiphertextMovedToAnotherRowOrFieldFailsToOpen) {
  auto sealed = vault.seal(ctx(), secret);
  ASSERT_TRUE(sealed);
  FieldContext other_user = ctx(), other_account = ctx(), other_venue = ctx(), other_field = ctx();
  other_user.user_id = 8;
  other_account.account_id = 43;
  other_venue.venue = "kraken";
  other_field.field = "api_key";
  for (const FieldContext& wrong : {other_user, other_account, other_venue, other_field}) {
    auto r = vault.open(wrong, *sealed);
    ASSERT_FALSE(r) << wrong.user_id << " " << wrong.account_id << " " << wrong.venue << " " << wrong.field;
    EXPECT_TRUE(mentions(r.error(), "does not decrypt")) << r.error().message;
    EXPECT_FALSE(mentions(r.error(), kSecretText.substr(0, 8)));
    EXPECT_FALSE(vault.verify(wrong, *sealed));
  }
}

// A field whose data key wraps fine for its account but whose ciphertext was taken from another field of
// the same account (both sealed under one data key): the field name in the AD still catches it.
TEST_F(VaultTest, FieldsOfOneAccountShareADataKeyButNotTheirCiphertexts) {
  DataKey dk = vault.new_data_key();
  FieldContext key_ctx = ctx();
  key_ctx.field = "api_key";
  auto key = vault.seal(key_ctx, crypto::Secret("the-api-key"), dk);
  auto sec = vault.seal(ctx(), secret, dk);
  ASSERT_TRUE(key && sec);
  auto unwrapped_a = vault.unwrap(key_ctx, key->wrapped_data_key, 1);
  auto unwrapped_b = vault.unwrap(ctx(), sec->wrapped_data_key, 1);
  ASSERT_TRUE(unwrapped_a && unwrapped_b);
  EXPECT_EQ(unwrapped_a->view(), dk.view());
  EXPECT_EQ(unwrapped_b->view(), dk.view());
  EXPECT_EQ(vault.open(key_ctx, *key)->reveal(), "the-api-key");

  SealedField swapped = *sec;
  swapped.ciphertext = key->ciphertext;
  swapped.nonce = key->nonce;
  EXPECT_FALSE(vault.open(ctx(), swapped));
}

// Even with the data key wrapped for the target row (one data key shared across rows), the field's own
// AD still names user, account, venue and field: each is checked by the field encryption itself.
TEST_F(VaultTest, FieldAdBindsEveryAttributeOnItsOwn) {
  DataKey dk = vault.new_data_key();
  auto sealed = vault.seal(ctx(), secret, dk);
  ASSERT_TRUE(sealed);
  FieldContext targets[4] = {ctx(), ctx(), ctx(), ctx()};
  targets[0].user_id = 8;
  targets[1].account_id = 43;
  targets[2].venue = "bitfinex";
  targets[3].field = "passphrase";
  for (const FieldContext& target : targets) {
    auto rewrapped = vault.wrap(target, dk, 1);
    ASSERT_TRUE(rewrapped);
    SealedField moved = *sealed;
    moved.wrapped_data_key = *rewrapped;
    ASSERT_TRUE(vault.unwrap(target, moved.wrapped_data_key, 1));  // the data key itself opens there
    EXPECT_FALSE(vault.open(target, moved)) << target.user_id << " " << target.account_id << " " << target.venue << " " << target.field;
  }
}

TEST_F(VaultTest, DataKeyWrapIsBoundToTheAccount) {
  DataKey dk = vault.new_data_key();
  auto wrapped = vault.wrap(ctx(), dk, 1);
  ASSERT_TRUE(wrapped);
  FieldContext other = ctx();
  other.account_id = 99;
  EXPECT_FALSE(vault.unwrap(other, *wrapped, 1));
  FieldContext same_account_other_field = ctx();
  same_account_other_field.field = "passphrase";
  EXPECT_TRUE(vault.unwrap(same_account_other_field, *wrapped, 1));
}

TEST_F(VaultTest, TamperingWithAnyPartFailsToOpen) {
  auto sealed = vault.seal(ctx(), secret);
  ASSERT_TRUE(sealed);
  auto expect_refused = [&](const SealedField& bad, const std::string& what) {
    auto r = vault.open(ctx(), bad);
    ASSERT_FALSE(r) << what;
    EXPECT_FALSE(mentions(r.error(), kSecretText.substr(0, 8))) << what;
  };
  for (std::string SealedField::*part : {&SealedField::wrapped_data_key, &SealedField::nonce, &SealedField::ciphertext}) {
    const size_t n = ((*sealed).*part).size();
    for (size_t i = 0; i < n; ++i) {
      SealedField bad = *sealed;
      (bad.*part)[i] ^= 0x01;
      expect_refused(bad, "byte " + std::to_string(i));
    }
    SealedField shorter = *sealed;
    (shorter.*part).pop_back();
    expect_refused(shorter, "shortened");
    SealedField longer = *sealed;
    (longer.*part).push_back('\0');
    expect_refused(longer, "lengthened");
    SealedField empty = *sealed;
    (empty.*part).clear();
    expect_refused(empty, "emptied");
  }
  // Whole parts taken from another sealing of the same value under the same context.
  auto other = vault.seal(ctx(), secret);
  ASSERT_TRUE(other);
  SealedField mixed = *sealed;
  mixed.wrapped_data_key = other->wrapped_data_key;
  expect_refused(mixed, "other data key");
  mixed = *sealed;
  mixed.nonce = other->nonce;
  expect_refused(mixed, "other nonce");
}

TEST_F(VaultTest, UnknownMasterVersionFailsClearly) {
  auto sealed = vault.seal(ctx(), secret);
  ASSERT_TRUE(sealed);
  SealedField bad = *sealed;
  bad.master_version = 2;
  auto r = vault.open(ctx(), bad);
  ASSERT_FALSE(r);
  EXPECT_TRUE(mentions(r.error(), "master key version 2, which is not loaded")) << r.error().message;
  EXPECT_TRUE(mentions(r.error(), "field 'secret' of account 42")) << r.error().message;

  // The same field opened by a vault holding only another key under version 1.
  Vault other(test::ring_of("1:" + kHexKey2));
  auto wrong = other.open(ctx(), *sealed);
  ASSERT_FALSE(wrong);
  EXPECT_TRUE(mentions(wrong.error(), "does not decrypt")) << wrong.error().message;

  Vault empty{MasterKeyRing()};
  EXPECT_FALSE(empty.seal(ctx(), secret));
}

TEST(VaultRotation, RewrapKeepsCiphertextAndOpensUnderOldAndNewWhileBothAreLoaded) {
  Vault v1(test::ring_of("1:" + kHexKey1));
  crypto::Secret secret(kSecretText);
  auto sealed = v1.seal(ctx(), secret);
  ASSERT_TRUE(sealed);

  Vault both(test::ring_of("1:" + kHexKey1 + "\n2:" + kHexKey2));
  EXPECT_EQ(both.current_version(), 2);
  EXPECT_TRUE(both.needs_rewrap(*sealed));
  auto rewrapped = both.rewrap(ctx(), *sealed, 2);
  ASSERT_TRUE(rewrapped) << rewrapped.error().message;
  EXPECT_EQ(rewrapped->master_version, 2);
  EXPECT_FALSE(both.needs_rewrap(*rewrapped));
  EXPECT_EQ(rewrapped->nonce, sealed->nonce);  // the field itself is untouched
  EXPECT_EQ(rewrapped->ciphertext, sealed->ciphertext);
  EXPECT_NE(rewrapped->wrapped_data_key, sealed->wrapped_data_key);
  EXPECT_EQ(both.open(ctx(), *sealed)->reveal(), kSecretText);
  EXPECT_EQ(both.open(ctx(), *rewrapped)->reveal(), kSecretText);

  // Once version 1 is retired, only the re-wrapped field opens.
  Vault v2(test::ring_of("2:" + kHexKey2));
  EXPECT_EQ(v2.open(ctx(), *rewrapped)->reveal(), kSecretText);
  EXPECT_FALSE(v2.open(ctx(), *sealed));

  // A version tag swapped onto the old wrapping does not open either (the version is in its AD).
  SealedField relabelled = *sealed;
  relabelled.master_version = 2;
  EXPECT_FALSE(both.open(ctx(), relabelled));

  // Even when two versions hold the same key bytes, the version is bound into the wrapping.
  Vault same(test::ring_of("1:" + kHexKey1 + "\n2:" + kHexKey1));
  EXPECT_TRUE(same.open(ctx(), *sealed));
  EXPECT_FALSE(same.open(ctx(), relabelled));
}

TEST(VaultRotation, RewrapRefusesUnknownTargetAndFieldsThatDoNotOpen) {
  Vault both(test::ring_of("1:" + kHexKey1 + "\n2:" + kHexKey2));
  auto sealed = both.seal(ctx(), crypto::Secret(kSecretText));
  ASSERT_TRUE(sealed);
  EXPECT_EQ(sealed->master_version, 2);  // new seals go under the current version
  auto unknown = both.rewrap(ctx(), *sealed, 3);
  ASSERT_FALSE(unknown);
  EXPECT_TRUE(mentions(unknown.error(), "version 3")) << unknown.error().message;

  SealedField tampered = *sealed;
  tampered.ciphertext[0] ^= 1;
  EXPECT_FALSE(both.rewrap(ctx(), tampered, 1));  // never re-wrap something that no longer opens
  FieldContext other = ctx();
  other.user_id = 1;
  EXPECT_FALSE(both.rewrap(other, *sealed, 1));
}

}  // namespace
}  // namespace tb::vault
