#include "crypto/crypto.hpp"

#include <gtest/gtest.h>

#include <type_traits>

namespace tb::crypto {
namespace {

// RFC 4231 test case 2 and FIPS 180-2 vectors: the primitives themselves.
TEST(Hash, Rfc4231Case2) {
  const std::string key = "Jefe", msg = "what do ya want for nothing?";
  EXPECT_EQ(hex(hmac_sha256(key, msg)), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex(hmac_sha384(key, msg)), "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649");
  EXPECT_EQ(
      hex(hmac_sha512(key, msg)),
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

// RFC 4231 test case 6: a key longer than the block is hashed first.
TEST(Hash, Rfc4231Case6LongKey) {
  const std::string key(131, '\xaa'), msg = "Test Using Larger Than Block-Size Key - Hash Key First";
  EXPECT_EQ(hex(hmac_sha256(key, msg)), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(
      hex(hmac_sha512(key, msg)),
      "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
}

// RFC 2202 cases 2 and 6 (a key longer than SHA-1's block is hashed first).
TEST(Hash, HmacSha1Rfc2202) {
  EXPECT_EQ(hex(hmac_sha1("Jefe", "what do ya want for nothing?")), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(hex(hmac_sha1(std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(Hash, PreparedKeyGivesTheSameMacEveryTime) {
  HmacKey key(HmacAlgo::Sha384, "Jefe");
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(hex(key.mac("what do ya want for nothing?")),
              "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649");
  EXPECT_EQ(key.mac(""), hmac_sha384("Jefe", ""));
}

TEST(Hash, Sha256) {
  EXPECT_EQ(hex(sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Encoding, HexRoundTrip) {
  EXPECT_EQ(hex(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(from_hex("00FF10"), std::string("\x00\xff\x10", 3));
  EXPECT_FALSE(from_hex("abc"));
  EXPECT_FALSE(from_hex("zz"));
}

// RFC 4648 section 10.
TEST(Encoding, Base64Rfc4648) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (auto [plain, enc] : cases) {
    EXPECT_EQ(base64(plain), enc);
    EXPECT_EQ(from_base64(enc), std::string(plain));
  }
  for (const char* bad : {"Zg=", "Z===", "Zm9v!A==", "=Zm9", "Zg==Zg=="}) EXPECT_FALSE(from_base64(bad)) << bad;
}

TEST(Hash, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "ab"));
}

TEST(Secret, WipesOnMoveAndDestruction) {
  Secret a(std::string("super-secret-value-long-enough-for-heap"));
  Secret b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(b.reveal(), "super-secret-value-long-enough-for-heap");
  b.wipe();
  EXPECT_TRUE(b.empty());
}

// One owner at a time: a copy would be one more buffer to wipe (moves only).
static_assert(!std::is_copy_constructible_v<Secret>);
static_assert(!std::is_copy_assignable_v<Secret>);
static_assert(std::is_nothrow_move_constructible_v<Secret>);
static_assert(std::is_nothrow_move_assignable_v<Secret>);

TEST(Secret, MoveAssignmentWipesTheSourceAndReplacesTheTarget) {
  Secret a(std::string("first-secret-value-long-enough-for-heap"));
  Secret b(std::string("second"));
  b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the point of the test
  EXPECT_EQ(b.reveal(), "first-secret-value-long-enough-for-heap");
}

TEST(Secret, TrimmedDropsSurroundingWhitespaceOnly) {
  const Secret padded(std::string(" \t\r\n ab c\v\f "));
  Secret t = padded.trimmed();
  EXPECT_EQ(t.reveal(), "ab c");
  EXPECT_EQ(padded.size(), 12u);  // the original is left as it was
  EXPECT_TRUE(Secret(std::string(" \n\t ")).trimmed().empty());
  EXPECT_TRUE(Secret().trimmed().empty());
  EXPECT_EQ(Secret(std::string("x")).trimmed().reveal(), "x");
}

TEST(Secret, ContainsWhitespaceSeesEveryKindOfSpace) {
  EXPECT_FALSE(Secret(std::string("abcDEF123+/=")).contains_whitespace());
  EXPECT_FALSE(Secret().contains_whitespace());
  for (char c : std::string(" \t\n\v\f\r")) EXPECT_TRUE(Secret("ab" + std::string(1, c) + "cd").contains_whitespace()) << int(c);
}

TEST(Secret, AllInChecksEveryByteAgainstTheSet) {
  const Secret s(std::string("abcabc"));
  EXPECT_TRUE(s.all_in("abc"));
  EXPECT_TRUE(s.all_in("cba-"));
  EXPECT_FALSE(s.all_in("ab"));
  EXPECT_FALSE(Secret(std::string("ab\0c", 4)).all_in("abc"));  // a NUL is a byte like any other
  EXPECT_TRUE(Secret().all_in("abc"));
}

TEST(Secret, Base64DecodedSize) {
  EXPECT_EQ(Secret(base64(std::string(64, 'k'))).base64_decoded_size(), 64u);
  EXPECT_EQ(Secret(std::string("Zm9vYg==")).base64_decoded_size(), 4u);
  EXPECT_EQ(Secret().base64_decoded_size(), 0u);
  EXPECT_FALSE(Secret(std::string("Zg=")).base64_decoded_size());
  EXPECT_FALSE(Secret(std::string("Zm9v!A==")).base64_decoded_size());
}

TEST(Signer, LocalSignerSignsWithRawAndBase64Secrets) {
  LocalSigner raw("key", Secret("Jefe"));
  EXPECT_EQ(raw.api_key(), "key");
  EXPECT_EQ(hex(raw.hmac(HmacAlgo::Sha256, SecretForm::Raw, "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  LocalSigner b64("key", Secret(base64("Jefe")));
  EXPECT_EQ(hex(b64.hmac(HmacAlgo::Sha256, SecretForm::Base64, "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  LocalSigner broken("key", Secret("not base64!"));
  EXPECT_TRUE(broken.hmac(HmacAlgo::Sha512, SecretForm::Base64, "x").empty());
}

}  // namespace
}  // namespace tb::crypto
