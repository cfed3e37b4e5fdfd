// Signing against the self-computed vectors of exchanges.md §1.3 (Bitfinex publishes none), byte for byte.
#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/signer.hpp"
#include "venues/bitfinex/auth.hpp"

namespace tb::venues::bitfinex {
namespace {

constexpr char kSecret[] = "bitfinex-test-secret";

crypto::LocalSigner signer() { return crypto::LocalSigner("test-key", crypto::Secret(kSecret)); }

struct Vector {
  const char* path;
  const char* nonce;
  const char* body;
  const char* message;
  const char* hex;
};

const Vector kVectors[] = {
    {"v2/auth/r/wallets", "1700000000000000", "{}", "/api/v2/auth/r/wallets1700000000000000{}",
     "0a6492a7a908339c1e540527da59ed387bee469cf29583394c939c2fed4c9dd52f5132ff795a240c35294ca08e4346b3"},
    {"v2/auth/w/order/submit", "1700000000000001",
     R"({"type":"EXCHANGE LIMIT","symbol":"tBTCUSD","amount":"0.001","price":"30000","cid":12345})",
     R"(/api/v2/auth/w/order/submit1700000000000001{"type":"EXCHANGE LIMIT","symbol":"tBTCUSD","amount":"0.001","price":"30000","cid":12345})",
     "5efe12cf7b3730f093a475407c1d2da5ee7cc79be9be58ddbc942e9033c8e8735d302083107a02d5a79c52e6f743a454"},
    {"v2/auth/r/permissions", "1700000000000002", "", "/api/v2/auth/r/permissions1700000000000002",
     "48b2b1a5c0d9cddc150c04021cd3eb91a49299318dadbd95f39601031b29fdccae1409116c8c45cf88a92ac325edacd9"},
};

TEST(BitfinexAuth, ReferenceVectorsByteForByte) {
  auto s = signer();
  for (const auto& v : kVectors) {
    std::string message = signature_payload(v.path, v.nonce, v.body);
    EXPECT_EQ(message, v.message);
    EXPECT_EQ(sign_hex(s, message), v.hex) << v.message;
    // Independently: the plain HMAC of the documented message under the documented secret.
    EXPECT_EQ(crypto::hex(crypto::hmac_sha384(kSecret, v.message)), v.hex);
  }
}

TEST(BitfinexAuth, WebSocketAuthVector) {
  std::string payload = ws_auth_payload("1700000000000003");
  EXPECT_EQ(payload, "AUTH1700000000000003");
  EXPECT_EQ(sign_hex(signer(), payload),
            "412e76da998842d553b46d0f1565d0cbb9484e5b457f535fb7780abe94e87b4cdc1143af21a128b95ea61ab613efca80");
}

TEST(BitfinexAuth, HeadersInSendOrder) {
  auto s = signer();
  auto h = auth_headers(s, "v2/auth/r/wallets", 1700000000000000ULL, "{}");
  ASSERT_EQ(h.size(), 4u);
  EXPECT_EQ(h[0].name, "Content-Type");
  EXPECT_EQ(h[0].value, "application/json");
  EXPECT_EQ(h[1].name, "bfx-nonce");
  EXPECT_EQ(h[1].value, "1700000000000000");
  EXPECT_EQ(h[2].name, "bfx-apikey");
  EXPECT_EQ(h[2].value, "test-key");
  EXPECT_EQ(h[3].name, "bfx-signature");
  EXPECT_EQ(h[3].value, kVectors[0].hex);
}

// The mistakes the venue answers with "apikey: digest invalid": each must change the signature.
TEST(BitfinexAuth, NegativeCasesChangeTheSignature) {
  auto s = signer();
  const std::string good = kVectors[0].hex;
  crypto::LocalSigner wrong("test-key", crypto::Secret("bitfinex-test-secreT"));
  EXPECT_NE(sign_hex(wrong, signature_payload("v2/auth/r/wallets", "1700000000000000", "{}")), good);
  // Leading slash kept on the path ("/api//v2/...").
  EXPECT_NE(sign_hex(s, signature_payload("/v2/auth/r/wallets", "1700000000000000", "{}")), good);
  // Millisecond nonce where microseconds were signed.
  EXPECT_NE(sign_hex(s, signature_payload("v2/auth/r/wallets", "1700000000000", "{}")), good);
  // Empty body signed while "{}" is sent.
  EXPECT_NE(sign_hex(s, signature_payload("v2/auth/r/wallets", "1700000000000000", "")), good);
  // Base64-decoding the secret (Kraken's habit) is wrong here.
  EXPECT_NE(crypto::hex(s.hmac(crypto::HmacAlgo::Sha384, crypto::SecretForm::Base64, kVectors[0].message)), good);
  // SHA-512 instead of SHA-384.
  EXPECT_NE(crypto::hex(crypto::hmac_sha512(kSecret, kVectors[0].message)), good);
}

TEST(BitfinexAuth, SignatureIsLowerCaseHex96) {
  auto sig = sign_hex(signer(), "anything");
  EXPECT_EQ(sig.size(), 96u);
  EXPECT_EQ(sig.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace tb::venues::bitfinex
