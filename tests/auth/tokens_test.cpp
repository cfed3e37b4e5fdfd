#include "auth/tokens.hpp"

#include <gtest/gtest.h>

#include <set>

#include "crypto/encoding.hpp"

namespace tb::auth {
namespace {

// Repeats a fixed byte pattern, so a token's exact text can be asserted.
class CountingRandom final : public RandomSource {
 public:
  void fill(std::span<unsigned char> out) override {
    for (auto& b : out) b = next_++;
  }
  unsigned char next_ = 0;
};

crypto::Secret server_key() { return crypto::Secret(std::string(32, 'k')); }

TEST(Base64Url, Rfc4648Vectors) {
  // RFC 4648 §10 vectors, unpadded; then bytes that use the URL-safe characters '-' and '_'.
  EXPECT_EQ(base64url(""), "");
  EXPECT_EQ(base64url("f"), "Zg");
  EXPECT_EQ(base64url("fo"), "Zm8");
  EXPECT_EQ(base64url("foo"), "Zm9v");
  EXPECT_EQ(base64url("foob"), "Zm9vYg");
  EXPECT_EQ(base64url("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url(std::string("\xfb\xff\xbf", 3)), "-_-_");
}

TEST(SessionToken, IsThe32RandomBytesInBase64Url) {
  CountingRandom random;
  const std::string token = new_session_token(random);
  EXPECT_EQ(token, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8");  // bytes 0x00..0x1f
  EXPECT_EQ(token.size(), kSessionTokenChars);
  EXPECT_TRUE(looks_like_session_token(token));
}

TEST(SessionToken, SystemTokensAreUniqueAndWellFormed) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string token = new_session_token();
    ASSERT_TRUE(looks_like_session_token(token)) << token;
    ASSERT_TRUE(seen.insert(token).second) << "duplicate token " << token;
  }
}

TEST(SessionToken, ShapeCheckRejectsJunk) {
  const std::string good = new_session_token();
  EXPECT_FALSE(looks_like_session_token(""));
  EXPECT_FALSE(looks_like_session_token(good.substr(1)));
  EXPECT_FALSE(looks_like_session_token(good + "A"));
  EXPECT_FALSE(looks_like_session_token(std::string(42, 'A') + "="));
  EXPECT_FALSE(looks_like_session_token(std::string(42, 'A') + "+"));
}

TEST(SessionToken, StoredOnlyAsSha256Hex) {
  EXPECT_EQ(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
  const std::string token = new_session_token();
  const std::string stored = token_hash(token);
  EXPECT_EQ(stored.size(), 64u);
  EXPECT_EQ(stored, crypto::hex(crypto::sha256(token)));
  EXPECT_EQ(stored.find(token), std::string::npos);
  EXPECT_TRUE(token_matches(token, stored));
  EXPECT_FALSE(token_matches(new_session_token(), stored));
  EXPECT_FALSE(token_matches(stored, stored));  // the stored hash itself is not a credential
  EXPECT_FALSE(token_matches(token, ""));
}

TEST(Csrf, ShortServerKeyIsRefused) {
  auto csrf = CsrfTokens::make(crypto::Secret(std::string(31, 'k')));
  ASSERT_FALSE(csrf.ok());
  EXPECT_EQ(csrf.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(csrf.error().message.find("kkk"), std::string::npos);
}

TEST(Csrf, TokenIsTheHmacOfTheSessionId) {
  auto csrf = CsrfTokens::make(server_key());
  ASSERT_TRUE(csrf.ok());
  const std::string expected = base64url(crypto::hmac_sha256(std::string(32, 'k'), std::string("tradebridge csrf v1\0session-1", 29)));
  EXPECT_EQ(csrf->issue("session-1"), expected);
  EXPECT_EQ(csrf->issue("session-1").size(), 43u);
}

TEST(Csrf, AcceptsOwnSessionOnly) {
  auto csrf = CsrfTokens::make(server_key());
  ASSERT_TRUE(csrf.ok());
  const std::string token = csrf->issue("session-1");
  EXPECT_TRUE(csrf->verify("session-1", token));
  EXPECT_FALSE(csrf->verify("session-2", token));
  EXPECT_FALSE(csrf->verify("", csrf->issue("")));
  EXPECT_FALSE(csrf->verify("session-1", ""));
}

TEST(Csrf, RejectsTamperedTokens) {
  auto csrf = CsrfTokens::make(server_key());
  ASSERT_TRUE(csrf.ok());
  const std::string token = csrf->issue("session-1");
  for (size_t i = 0; i < token.size(); ++i) {
    std::string bad = token;
    bad[i] = bad[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(csrf->verify("session-1", bad)) << "position " << i;
  }
  EXPECT_FALSE(csrf->verify("session-1", token.substr(0, 42)));
  EXPECT_FALSE(csrf->verify("session-1", token + "A"));
}

TEST(Csrf, AnotherServerKeyRejects) {
  auto ours = CsrfTokens::make(server_key());
  auto theirs = CsrfTokens::make(crypto::Secret(std::string(32, 'x')));
  ASSERT_TRUE(ours.ok() && theirs.ok());
  EXPECT_FALSE(ours->verify("session-1", theirs->issue("session-1")));
}

TEST(Cookie, SecureSessionCookieHasEveryAttribute) {
  const std::string token = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
  EXPECT_EQ(session_cookie(token), "tb_session=" + token + "; Path=/; Max-Age=604800; HttpOnly; Secure; SameSite=Strict");
}

TEST(Cookie, PlainLoopbackDropsSecureOnly) {
  CookieOptions options;
  options.secure = false;
  options.name = "sid";
  options.max_age = std::chrono::hours(1);
  EXPECT_EQ(session_cookie("tok", options), "sid=tok; Path=/; Max-Age=3600; HttpOnly; SameSite=Strict");
}

TEST(Cookie, ClearingExpiresAtOnce) {
  EXPECT_EQ(clear_session_cookie(), "tb_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
}

TEST(Cookie, FindsTheNamedCookieInARequestHeader) {
  EXPECT_EQ(find_cookie("a=1; tb_session=xyz; b=2", "tb_session"), "xyz");
  EXPECT_EQ(find_cookie("tb_session=xyz", "tb_session"), "xyz");
  EXPECT_EQ(find_cookie("xtb_session=no;tb_session=yes", "tb_session"), "yes");
  EXPECT_EQ(find_cookie("a=1; b=2", "tb_session"), std::nullopt);
  EXPECT_EQ(find_cookie("", "tb_session"), std::nullopt);
  EXPECT_EQ(find_cookie("tb_session=", "tb_session"), "");
}

}  // namespace
}  // namespace tb::auth
