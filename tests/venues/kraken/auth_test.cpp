// Kraken API-Sign against the official vector (exchanges.md §1.2), byte for byte.
#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/secret.hpp"
#include "crypto/signer.hpp"
#include "venues/kraken/auth.hpp"

namespace tb::venues::kraken {
namespace {

constexpr const char* kSecret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
constexpr const char* kNonce = "1616492376594";
constexpr const char* kPayload = "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25";
constexpr const char* kPath = "/0/private/AddOrder";
constexpr const char* kExpected = "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==";

crypto::LocalSigner signer() { return crypto::LocalSigner("my-api-key", crypto::Secret(kSecret)); }

TEST(KrakenAuth, OfficialVector) {
  auto s = signer();
  auto sign = api_sign(s, kPath, kNonce, kPayload);
  ASSERT_TRUE(sign) << sign.error().describe();
  EXPECT_EQ(*sign, kExpected);
  EXPECT_EQ(sign->size(), 88u);
}

TEST(KrakenAuth, OfficialIntermediateDigest) {
  auto msg = sign_message(kPath, kNonce, kPayload);
  ASSERT_EQ(msg.size(), std::string(kPath).size() + 32);
  EXPECT_EQ(msg.substr(0, std::string(kPath).size()), kPath);
  EXPECT_EQ(crypto::hex(msg.substr(std::string(kPath).size())), "23a1c1b34c6a11d641af0f24684896cb90f66fb991125c83dc357bdc3dc146f1");
}

TEST(KrakenAuth, IndependentRecomputation) {
  // The same value through the plain primitives, with no Signer in between.
  auto key = crypto::from_base64(kSecret);
  ASSERT_TRUE(key);
  auto mac = crypto::hmac_sha512(*key, std::string(kPath) + crypto::sha256(std::string(kNonce) + kPayload));
  EXPECT_EQ(crypto::base64(mac), kExpected);
}

TEST(KrakenAuth, DerivedJsonBodyVector) {
  // Not official (computed in exchanges.md): the raw body bytes are hashed whatever their format.
  auto s = signer();
  auto sign =
      api_sign(s, kPath, kNonce,
               R"({"nonce": "1616492376594", "ordertype": "limit", "pair": "XBTUSD", "price": 37500, "type": "buy", "volume": 1.25})");
  ASSERT_TRUE(sign);
  EXPECT_EQ(*sign, "xojekerxRL59CSvi3027oZ1+nMQF0TgqD5QE569qR8tgSJ4tAhoVYVGhSEciXkufsn6foHHVi0N3Utiarvg74w==");
}

TEST(KrakenAuth, EveryInputChangesTheSignature) {
  auto s = signer();
  std::string body = kPayload;
  // One byte of the body, the path, the nonce string: each must change the result.
  EXPECT_NE(*api_sign(s, kPath, kNonce, body.substr(0, body.size() - 1) + "6"), kExpected);
  EXPECT_NE(*api_sign(s, "/0/private/CancelOrder", kNonce, kPayload), kExpected);
  EXPECT_NE(*api_sign(s, kPath, "1616492376595", kPayload), kExpected);
  // The path with a host, or without the leading slash, is not what Kraken signs.
  EXPECT_NE(*api_sign(s, "https://api.kraken.com/0/private/AddOrder", kNonce, kPayload), kExpected);
  EXPECT_NE(*api_sign(s, "0/private/AddOrder", kNonce, kPayload), kExpected);
  // The secret used raw instead of base64-decoded.
  auto raw = crypto::hmac_sha512(kSecret, std::string(kPath) + crypto::sha256(std::string(kNonce) + kPayload));
  EXPECT_NE(crypto::base64(raw), kExpected);
  // Another secret.
  crypto::LocalSigner other("my-api-key", crypto::Secret("AAAA" + std::string(kSecret).substr(4)));
  EXPECT_NE(*api_sign(other, kPath, kNonce, kPayload), kExpected);
}

TEST(KrakenAuth, SecretThatIsNotBase64IsRefusedWithoutEchoingIt) {
  const std::string bad = "not*base64*secret-value!";
  crypto::LocalSigner s("my-api-key", crypto::Secret(bad));
  auto sign = api_sign(s, kPath, kNonce, kPayload);
  ASSERT_FALSE(sign);
  EXPECT_EQ(sign.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(sign.error().describe().find(bad), std::string::npos);
  auto headers = private_headers(s, kPath, kNonce, kPayload);
  EXPECT_FALSE(headers);
}

TEST(KrakenAuth, HeadersInSendOrder) {
  auto s = signer();
  auto h = private_headers(s, kPath, kNonce, kPayload);
  ASSERT_TRUE(h);
  ASSERT_EQ(h->size(), 3u);
  EXPECT_EQ((*h)[0].name, "API-Key");
  EXPECT_EQ((*h)[0].value, "my-api-key");
  EXPECT_EQ((*h)[1].name, "API-Sign");
  EXPECT_EQ((*h)[1].value, kExpected);
  EXPECT_EQ((*h)[2].name, "Content-Type");
  EXPECT_EQ((*h)[2].value, "application/x-www-form-urlencoded");
}

}  // namespace
}  // namespace tb::venues::kraken
