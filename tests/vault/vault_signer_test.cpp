#include "vault/vault_signer.hpp"

#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "vault_test_util.hpp"

namespace tb::vault {
namespace {

// Binance USD-M Futures "General Info", SIGNED endpoint example (HMAC), reference/exchanges.md 1.1 B1.
const std::string kApiKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
const std::string kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
const std::string kMessage =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943";
const std::string kSignature = "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9";
// The same parameters in the doc table's order: a different byte string, a different signature.
const std::string kReordered =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943";
const std::string kReorderedSignature = "ec11dcc17e67e47f0d3c3f513dfe9062307e37619c5c82ebaa8fe0bdf3d59519";

FieldContext field(std::string name) { return {7, 42, "binance_futures", std::move(name)}; }

struct Sealed {
  std::shared_ptr<const Vault> vault;
  SealedField key, secret;
};

Sealed seal_binance_pair(std::string secret = kSecret) {
  auto vault = std::make_shared<const Vault>(test::ring_of("1:" + test::kHexKey1));
  DataKey dk = vault->new_data_key();
  auto key = vault->seal(field("api_key"), crypto::Secret(kApiKey), dk);
  auto sec = vault->seal(field("secret"), crypto::Secret(std::move(secret)), dk);
  if (!key || !sec) throw std::runtime_error("seal failed");
  return {vault, *key, *sec};
}

TEST(VaultSigner, SealedThenSignedReproducesTheBinanceVector) {
  auto s = seal_binance_pair();
  auto signer = VaultSigner::make(s.vault, field("api_key"), s.key, field("secret"), s.secret);
  ASSERT_TRUE(signer) << signer.error().message;
  EXPECT_EQ((*signer)->api_key(), kApiKey);
  EXPECT_EQ(crypto::hex((*signer)->hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, kMessage)), kSignature);
  EXPECT_EQ(crypto::hex((*signer)->hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, kReordered)), kReorderedSignature);
  // Opened fresh for every call: the same answer again.
  EXPECT_EQ(crypto::hex((*signer)->hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, kMessage)), kSignature);
  // Agrees with the in-memory signer for the other algorithms too.
  crypto::LocalSigner local(kApiKey, crypto::Secret(kSecret));
  for (auto algo : {crypto::HmacAlgo::Sha384, crypto::HmacAlgo::Sha512})
    EXPECT_EQ((*signer)->hmac(algo, crypto::SecretForm::Raw, kMessage), local.hmac(algo, crypto::SecretForm::Raw, kMessage));
}

TEST(VaultSigner, Base64SecretFormMatchesTheLocalSigner) {
  const std::string b64_secret = crypto::base64("kraken-style secret bytes \x01\x02");
  auto s = seal_binance_pair(b64_secret);
  auto signer = VaultSigner::make(s.vault, field("api_key"), s.key, field("secret"), s.secret);
  ASSERT_TRUE(signer);
  crypto::LocalSigner local(kApiKey, crypto::Secret(b64_secret));
  const std::string mac = (*signer)->hmac(crypto::HmacAlgo::Sha512, crypto::SecretForm::Base64, "msg");
  EXPECT_EQ(mac.size(), 64u);
  EXPECT_EQ(mac, local.hmac(crypto::HmacAlgo::Sha512, crypto::SecretForm::Base64, "msg"));
  // A secret that is not base64 at all gives no MAC rather than a wrong one.
  auto not_b64 = seal_binance_pair("not base64!");
  auto bad_signer = VaultSigner::make(not_b64.vault, field("api_key"), not_b64.key, field("secret"), not_b64.secret);
  ASSERT_TRUE(bad_signer);
  EXPECT_EQ((*bad_signer)->hmac(crypto::HmacAlgo::Sha512, crypto::SecretForm::Base64, "msg"), "");
  EXPECT_EQ((*bad_signer)->hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, "msg"), crypto::hmac_sha256("not base64!", "msg"));
}

TEST(VaultSigner, RefusesFieldsThatDoNotOpenWithoutShowingThem) {
  auto s = seal_binance_pair();
  // Secret and key swapped: each is bound to its own field name.
  auto swapped = VaultSigner::make(s.vault, field("api_key"), s.secret, field("secret"), s.key);
  ASSERT_FALSE(swapped);
  EXPECT_EQ(swapped.error().message.find(kSecret.substr(0, 8)), std::string::npos);
  EXPECT_EQ(swapped.error().message.find(kApiKey.substr(0, 8)), std::string::npos);

  SealedField tampered = s.secret;
  tampered.ciphertext.back() ^= 1;
  auto bad = VaultSigner::make(s.vault, field("api_key"), s.key, field("secret"), tampered);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("field 'secret'"), std::string::npos) << bad.error().message;

  FieldContext other_account = field("secret");
  other_account.account_id = 43;
  EXPECT_FALSE(VaultSigner::make(s.vault, field("api_key"), s.key, other_account, s.secret));
  EXPECT_FALSE(VaultSigner::make(nullptr, field("api_key"), s.key, field("secret"), s.secret));
}

}  // namespace
}  // namespace tb::vault
