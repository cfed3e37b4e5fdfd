#include "vault/credentials.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "vault_test_util.hpp"

namespace tb::vault {
namespace {

const std::string kApiKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
const std::string kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
const std::string kMessage =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943";
const std::string kSignature = "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9";

const AccountRef kAccount{7, 42, "binance_futures"};

PlainCredentials plain(bool with_passphrase) {
  PlainCredentials p{crypto::Secret(kApiKey), crypto::Secret(kSecret), std::nullopt};
  if (with_passphrase) p.passphrase = crypto::Secret("pass phrase");
  return p;
}

TEST(Credentials, SealOpenAndSignWithOneDataKeyPerAccount) {
  auto vault = std::make_shared<const Vault>(test::ring_of("1:" + test::kHexKey1));
  auto sealed = seal_credentials(*vault, kAccount, plain(true));
  ASSERT_TRUE(sealed) << sealed.error().message;
  ASSERT_TRUE(sealed->passphrase);
  EXPECT_EQ(sealed->api_key.wrapped_data_key, sealed->secret.wrapped_data_key);  // one data key
  EXPECT_EQ(sealed->secret.wrapped_data_key, sealed->passphrase->wrapped_data_key);
  EXPECT_NE(sealed->api_key.nonce, sealed->secret.nonce);

  auto opened = open_credentials(*vault, kAccount, *sealed);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->api_key.reveal(), kApiKey);
  EXPECT_EQ(opened->secret.reveal(), kSecret);
  EXPECT_EQ(opened->passphrase->reveal(), "pass phrase");

  auto signer = make_signer(vault, kAccount, *sealed);
  ASSERT_TRUE(signer) << signer.error().message;
  EXPECT_EQ((*signer)->api_key(), kApiKey);
  EXPECT_EQ(crypto::hex((*signer)->hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, kMessage)), kSignature);

  auto without = seal_credentials(*vault, kAccount, plain(false));
  ASSERT_TRUE(without);
  EXPECT_FALSE(without->passphrase);
  EXPECT_FALSE(open_credentials(*vault, kAccount, *without)->passphrase);
}

// The trading desk's kept signer: the same pair and signature, opened once (one data key unwrapped) or from
// fields stored apart; another account's row opens nothing.
TEST(Credentials, AnOpenSignerSignsAsTheSealedOne) {
  Vault vault(test::ring_of("1:" + test::kHexKey1));
  auto sealed = seal_credentials(vault, kAccount, plain(false));
  ASSERT_TRUE(sealed);
  auto signer = make_open_signer(vault, kAccount, *sealed);
  ASSERT_TRUE(signer) << signer.error().message;
  EXPECT_EQ((*signer)->api_key(), kApiKey);
  EXPECT_EQ(crypto::hex((*signer)->hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, kMessage)), kSignature);

  SealedCredentials apart = *sealed;  // the secret under a data key of its own
  auto resealed = vault.seal(field_of(kAccount, kFieldSecret), crypto::Secret(kSecret));
  ASSERT_TRUE(resealed);
  apart.secret = *resealed;
  ASSERT_NE(apart.secret.wrapped_data_key, apart.api_key.wrapped_data_key);
  auto from_apart = make_open_signer(vault, kAccount, apart);
  ASSERT_TRUE(from_apart) << from_apart.error().message;
  EXPECT_EQ(crypto::hex((*from_apart)->hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, kMessage)), kSignature);

  auto other = make_open_signer(vault, AccountRef{8, 42, "binance_futures"}, *sealed);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().message.find(kSecret.substr(0, 8)), std::string::npos);
}

TEST(Credentials, AnotherAccountRowCannotUseThem) {
  Vault vault(test::ring_of("1:" + test::kHexKey1));
  auto sealed = seal_credentials(vault, kAccount, plain(true));
  ASSERT_TRUE(sealed);
  for (AccountRef other : {AccountRef{8, 42, "binance_futures"}, AccountRef{7, 43, "binance_futures"}, AccountRef{7, 42, "kraken"}}) {
    auto r = open_credentials(vault, other, *sealed);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.find(kSecret.substr(0, 8)), std::string::npos);
  }
  SealedCredentials swapped = *sealed;
  std::swap(swapped.api_key, swapped.secret);
  EXPECT_FALSE(open_credentials(vault, kAccount, swapped));
}

TEST(Credentials, RotationRewrapsEveryPartAndIsAllOrNothing) {
  Vault v1(test::ring_of("1:" + test::kHexKey1));
  auto sealed = seal_credentials(v1, kAccount, plain(true));
  ASSERT_TRUE(sealed);
  auto both = std::make_shared<const Vault>(test::ring_of("1:" + test::kHexKey1 + "\n2:" + test::kHexKey2));
  EXPECT_TRUE(sealed->needs_rewrap(*both));
  auto rotated = rewrap_credentials(*both, kAccount, *sealed, both->current_version());
  ASSERT_TRUE(rotated) << rotated.error().message;
  EXPECT_FALSE(rotated->needs_rewrap(*both));
  EXPECT_EQ(rotated->secret.ciphertext, sealed->secret.ciphertext);
  EXPECT_EQ(rotated->passphrase->ciphertext, sealed->passphrase->ciphertext);
  EXPECT_EQ(rotated->api_key.wrapped_data_key, rotated->secret.wrapped_data_key);  // still one wrapped key
  EXPECT_EQ(rotated->secret.wrapped_data_key, rotated->passphrase->wrapped_data_key);
  EXPECT_NE(rotated->secret.wrapped_data_key, sealed->secret.wrapped_data_key);
  EXPECT_EQ(rotated->secret.master_version, 2);
  EXPECT_EQ(rotated->passphrase->master_version, 2);

  Vault v2(test::ring_of("2:" + test::kHexKey2));
  auto opened = open_credentials(v2, kAccount, *rotated);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->secret.reveal(), kSecret);
  EXPECT_EQ(opened->passphrase->reveal(), "pass phrase");

  // Parts sealed one by one (each its own data key) are re-wrapped one by one.
  SealedCredentials separate{*v1.seal(field_of(kAccount, kFieldApiKey), crypto::Secret(kApiKey)),
                             *v1.seal(field_of(kAccount, kFieldSecret), crypto::Secret(kSecret)), std::nullopt};
  auto separate_rotated = rewrap_credentials(*both, kAccount, separate, 2);
  ASSERT_TRUE(separate_rotated) << separate_rotated.error().message;
  EXPECT_EQ(open_credentials(v2, kAccount, *separate_rotated)->secret.reveal(), kSecret);

  SealedCredentials broken = *sealed;
  broken.passphrase->ciphertext[3] ^= 1;
  auto refused = rewrap_credentials(*both, kAccount, broken, 2);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("field 'passphrase'"), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace tb::vault
