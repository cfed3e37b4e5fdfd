// The pure protocol pieces: signature payload and verification (exchanges.md §1.3 vectors, byte for byte),
// precision rules, error shapes, nonces, names, dates.
#include <gtest/gtest.h>

#include "exsim/bitfinex/protocol.hpp"

namespace tb::exsim::bitfinex {
namespace {

constexpr char kSecret[] = "bitfinex-test-secret";

TEST(BitfinexSimProtocol, SignaturePayloadIsApiPathNonceBody) {
  EXPECT_EQ(signature_payload("/v2/auth/r/wallets", "1700000000000000", "{}"), "/api/v2/auth/r/wallets1700000000000000{}");
  EXPECT_EQ(signature_payload("v2/auth/r/permissions", "1700000000000002", ""), "/api/v2/auth/r/permissions1700000000000002");
}

TEST(BitfinexSimProtocol, VerifiesTheReferenceVectors) {
  EXPECT_TRUE(signature_matches(kSecret, "/api/v2/auth/r/wallets1700000000000000{}",
                                "0a6492a7a908339c1e540527da59ed387bee469cf29583394c939c2fed4c9dd52f5132ff795a240c35294ca08e4346b3"));
  EXPECT_TRUE(signature_matches(
      kSecret,
      R"(/api/v2/auth/w/order/submit1700000000000001{"type":"EXCHANGE LIMIT","symbol":"tBTCUSD","amount":"0.001","price":"30000","cid":12345})",
      "5efe12cf7b3730f093a475407c1d2da5ee7cc79be9be58ddbc942e9033c8e8735d302083107a02d5a79c52e6f743a454"));
  EXPECT_TRUE(signature_matches(kSecret, "/api/v2/auth/r/permissions1700000000000002",
                                "48B2B1A5C0D9CDDC150C04021CD3EB91A49299318DADBD95F39601031B29FDCCAE1409116C8C45CF88A92AC325EDACD9"))
      << "hex is compared ignoring case";
  // One byte of the body changed, or another secret: refused.
  EXPECT_FALSE(signature_matches(kSecret, "/api/v2/auth/r/wallets1700000000000000{ }",
                                 "0a6492a7a908339c1e540527da59ed387bee469cf29583394c939c2fed4c9dd52f5132ff795a240c35294ca08e4346b3"));
  EXPECT_FALSE(signature_matches("other-secret", "/api/v2/auth/r/wallets1700000000000000{}",
                                 "0a6492a7a908339c1e540527da59ed387bee469cf29583394c939c2fed4c9dd52f5132ff795a240c35294ca08e4346b3"));
  EXPECT_FALSE(signature_matches(kSecret, "/api/v2/auth/r/wallets1700000000000000{}", ""));
}

TEST(BitfinexSimProtocol, PricesKeepFiveSignificantDigitsCut) {
  auto p = [](const char* s) { return truncate_price(*Decimal::parse(s)).to_plain_string(); };
  EXPECT_EQ(p("30000.56"), "30000");
  EXPECT_EQ(p("123456"), "123450");
  EXPECT_EQ(p("1.234567"), "1.2345");
  EXPECT_EQ(p("0.000123456"), "0.00012345");
  EXPECT_EQ(p("0.0000000123"), "0.00000001");  // and at most 8 decimals
  EXPECT_EQ(p("29999.9"), "29999");
  EXPECT_EQ(truncate_amount(*Decimal::parse("0.123456789")).to_plain_string(), "0.12345678");
}

TEST(BitfinexSimProtocol, ErrorsAreArraysWithHttp500) {
  auto r = error_response(kErrNonce, "nonce: small");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, R"(["error",10114,"nonce: small"])");
  ASSERT_NE(r.header("Content-Type"), nullptr);
  EXPECT_EQ(error_response(kErrRateLimit, "ratelimit: error", 429).status, 429);
  EXPECT_EQ(error_response(kErrGeneric, "say \"hi\"\n").body, R"(["error",10001,"say \"hi\"\n"])");
}

TEST(BitfinexSimProtocol, NoncesAreDigitsUpToMaxSafeInteger) {
  EXPECT_EQ(parse_nonce("1700000000000000"), 1700000000000000u);
  EXPECT_EQ(parse_nonce("9007199254740991"), 9007199254740991u);
  EXPECT_FALSE(parse_nonce("9007199254740992"));
  EXPECT_FALSE(parse_nonce(""));
  EXPECT_FALSE(parse_nonce("0"));
  EXPECT_FALSE(parse_nonce("12a"));
  EXPECT_FALSE(parse_nonce("-5"));
}

TEST(BitfinexSimProtocol, NamesNumbersDates) {
  EXPECT_EQ(venue_currency("USDT"), "UST");
  EXPECT_EQ(unified_currency("UST"), "USDT");
  EXPECT_EQ(venue_currency("BTC"), "BTC");
  EXPECT_EQ(pair_of("tBTCUSD"), "BTCUSD");
  EXPECT_EQ(number(*Decimal::parse("-0.00100")), "-0.001");
  EXPECT_EQ(number(*Decimal::parse("30000.0")), "30000");
  EXPECT_EQ(timeframe_ms("1m"), 60'000);
  EXPECT_EQ(timeframe_ms("1D"), 86'400'000);
  EXPECT_FALSE(timeframe_ms("1d"));  // the venue's spelling is upper case
  EXPECT_EQ(http_date(1700000005000), "Tue, 14 Nov 2023 22:13:25 GMT");
  EXPECT_EQ(utc_date(1700000005000), "2023-11-14");
}

}  // namespace
}  // namespace tb::exsim::bitfinex
