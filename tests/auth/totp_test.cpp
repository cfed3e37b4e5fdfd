#include "auth/totp.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace tb::auth {
namespace {

const std::string kSeed20 = "12345678901234567890";
const std::string kSeed32 = "12345678901234567890123456789012";
const std::string kSeed64 = "1234567890123456789012345678901234567890123456789012345678901234";

// RFC 6238 Appendix B: every time and algorithm, 8 digits.
TEST(Totp, Rfc6238Vectors) {
  struct Row {
    int64_t t;
    const char* sha1;
    const char* sha256;
    const char* sha512;
  };
  const Row rows[] = {
      {59, "94287082", "46119246", "90693936"},         {1111111109, "07081804", "68084774", "25091201"},
      {1111111111, "14050471", "67062674", "99943326"}, {1234567890, "89005924", "91819424", "93441116"},
      {2000000000, "69279037", "90698825", "38618901"}, {20000000000, "65353130", "77737706", "47863826"},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(totp(kSeed20, r.t, 8, TotpAlgo::Sha1), r.sha1) << r.t;
    EXPECT_EQ(totp(kSeed32, r.t, 8, TotpAlgo::Sha256), r.sha256) << r.t;
    EXPECT_EQ(totp(kSeed64, r.t, 8, TotpAlgo::Sha512), r.sha512) << r.t;
  }
}

// RFC 4226 Appendix D: the six-digit HOTP values of counters 0 to 9.
TEST(Totp, Rfc4226HotpVectors) {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"};
  for (uint64_t c = 0; c < 10; ++c) EXPECT_EQ(hotp(kSeed20, c), expected[c]) << c;
}

// RFC 4648 § 10, without the padding authenticator apps do not want; decoding takes it either way.
TEST(Totp, Base32Rfc4648Vectors) {
  const std::pair<const char*, const char*> v[] = {
      {"", ""}, {"f", "MY"}, {"fo", "MZXQ"}, {"foo", "MZXW6"}, {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"}};
  for (auto [plain, encoded] : v) {
    EXPECT_EQ(base32(plain), encoded);
    EXPECT_EQ(from_base32(encoded), std::optional<std::string>(plain));
  }
  EXPECT_EQ(from_base32("mzxw 6ytb oi======"), std::optional<std::string>("foobar"));
  EXPECT_FALSE(from_base32("MZXW1"));  // '1' is not in the alphabet
}

TEST(Totp, MatchesWithinOneStepEitherSideOnlyOnceAndOnlyNewerSteps) {
  const int64_t now = 1'700'000'000;
  const int64_t step = totp_step(now);
  const crypto::Secret seed(kSeed20);
  EXPECT_EQ(match_totp(seed, totp(kSeed20, now), now, 0), step);
  EXPECT_EQ(match_totp(seed, totp(kSeed20, now - 30), now, 0), step - 1);
  EXPECT_EQ(match_totp(seed, totp(kSeed20, now + 30), now, 0), step + 1);
  EXPECT_FALSE(match_totp(seed, totp(kSeed20, now - 60), now, 0));     // too old
  EXPECT_FALSE(match_totp(seed, totp(kSeed20, now), now, step));       // that step was used already
  EXPECT_FALSE(match_totp(seed, totp(kSeed20, now - 30), now, step));  // older than the step used
  EXPECT_FALSE(match_totp(seed, "12345", now, 0));
  EXPECT_FALSE(match_totp(seed, "12a456", now, 0));
  EXPECT_FALSE(match_totp(crypto::Secret(std::string("another key of twenty")), totp(kSeed20, now), now, 0));
}

TEST(Totp, OtpauthUriIsTheKeyUriFormat) {
  EXPECT_EQ(otpauth_uri("tradebridge", "ann@example.com", "GEZDGNBVGY3TQOJQ"),
            "otpauth://totp/tradebridge:ann%40example.com?secret=GEZDGNBVGY3TQOJQ&issuer=tradebridge&algorithm=SHA1"
            "&digits=6&period=30");
}

class CountingRandom final : public RandomSource {
 public:
  void fill(std::span<unsigned char> out) override {
    for (auto& b : out) b = static_cast<unsigned char>(n_++ * 37 + 11);
  }

 private:
  int n_ = 0;
};

TEST(Totp, RecoveryCodesAreDistinctAndMatchHoweverTyped) {
  auto codes = new_recovery_codes();
  ASSERT_EQ(codes.size(), 10u);
  std::set<std::string> distinct(codes.begin(), codes.end());
  EXPECT_EQ(distinct.size(), 10u);
  for (const auto& c : codes) {
    EXPECT_EQ(c.size(), 14u) << c;
    EXPECT_EQ(c[4], '-');
    EXPECT_TRUE(looks_like_recovery_code(squeeze_code(c))) << c;
  }
  std::string upper = codes[0];
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  upper.erase(std::remove(upper.begin(), upper.end(), '-'), upper.end());
  EXPECT_EQ(recovery_code_hash(upper), recovery_code_hash(codes[0]));
  EXPECT_NE(recovery_code_hash(codes[1]), recovery_code_hash(codes[0]));
  CountingRandom a, b;
  EXPECT_EQ(new_recovery_codes(a), new_recovery_codes(b));  // drawn only from the source given
  EXPECT_FALSE(looks_like_recovery_code("123456"));
}

}  // namespace
}  // namespace tb::auth
