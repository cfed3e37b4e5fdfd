// The request side of the simulated Binance, without the engine: signature verification on raw bytes with
// the official vectors (exchanges.md §1.1), the timestamp window (§2.4), parameter precedence, error bodies.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "exsim/binance_futures/protocol.hpp"

namespace tb::exsim::binance_futures {
namespace {

constexpr const char* kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
constexpr const char* kB1 =
    "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943";
constexpr const char* kB1Sig = "3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9";

TEST(BinanceSimSignature, OfficialVectorInTheQuery) {
  auto p = signed_payload(std::string(kB1) + "&signature=" + kB1Sig, "");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->signature, kB1Sig);
  EXPECT_EQ(p->total_params, kB1);
  EXPECT_TRUE(signature_matches(kSecret, *p));
}

TEST(BinanceSimSignature, OfficialVectorInTheBody) {
  auto p = signed_payload("", std::string(kB1) + "&signature=" + kB1Sig);
  ASSERT_TRUE(p);
  EXPECT_TRUE(signature_matches(kSecret, *p));
}

TEST(BinanceSimSignature, UpperCaseHexIsAccepted) {
  std::string upper = kB1Sig;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto p = signed_payload(std::string(kB1) + "&signature=" + upper, "");
  ASSERT_TRUE(p);
  EXPECT_TRUE(signature_matches(kSecret, *p));
}

// Vector B2 without the doc's stray space: query ‖ body with no '&' between them.
TEST(BinanceSimSignature, QueryAndBodyConcatenatedWithoutSeparator) {
  auto p = signed_payload("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC",
                          "quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943"
                          "&signature=30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->total_params,
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=9000&recvWindow=5000&timestamp=1591702613943");
  EXPECT_TRUE(signature_matches(kSecret, *p));
}

TEST(BinanceSimSignature, SameParametersInAnotherOrderFail) {
  // The table order signs to ec11dc...; the sim must check the bytes as sent, not a re-serialized map.
  std::string reordered =
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943";
  auto p = signed_payload(reordered + "&signature=" + kB1Sig, "");
  ASSERT_TRUE(p);
  EXPECT_FALSE(signature_matches(kSecret, *p));
  auto q = signed_payload(reordered + "&signature=ec11dcc17e67e47f0d3c3f513dfe9062307e37619c5c82ebaa8fe0bdf3d59519", "");
  EXPECT_TRUE(signature_matches(kSecret, *q));
}

TEST(BinanceSimSignature, WrongSecretOrTamperedBytesFail) {
  auto p = signed_payload(std::string(kB1) + "&signature=" + kB1Sig, "");
  EXPECT_FALSE(signature_matches("NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j", *p));
  std::string tampered = std::string(kB1);
  tampered.replace(tampered.find("9000"), 4, "9001");
  EXPECT_FALSE(signature_matches(kSecret, *signed_payload(tampered + "&signature=" + kB1Sig, "")));
  EXPECT_FALSE(signature_matches(kSecret, *signed_payload(std::string(kB1) + "&signature=3c66", "")));
}

TEST(BinanceSimSignature, SignatureAnywhereIsCutOut) {
  auto first = signed_payload(std::string("signature=") + kB1Sig + "&" + kB1, "");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->total_params, kB1);
  EXPECT_FALSE(signed_payload(kB1, ""));
  EXPECT_FALSE(signed_payload("", ""));
}

TEST(BinanceSimTimestamp, WindowAsDocumented) {
  const int64_t now = 1'700'000'000'000;
  EXPECT_FALSE(check_timestamp(now, 5000, now));
  EXPECT_FALSE(check_timestamp(now - 5000, 5000, now));
  EXPECT_FALSE(check_timestamp(now + 999, 5000, now));
  auto stale = check_timestamp(now - 5001, 5000, now);
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->code, -1021);
  EXPECT_EQ(stale->msg, "Timestamp for this request is outside of the recvWindow.");
  auto ahead = check_timestamp(now + 1000, 5000, now);
  ASSERT_TRUE(ahead);
  EXPECT_EQ(ahead->code, -1021);
  EXPECT_EQ(ahead->msg, "Timestamp for this request was 1000ms ahead of the server's time.");
  EXPECT_FALSE(check_timestamp(now - 59'000, 60'000, now));
}

TEST(BinanceSimParams, QueryWinsOverBody) {
  auto p = Params::parse("symbol=BTCUSDT&side=BUY", "side=SELL&quantity=0.010");
  ASSERT_TRUE(p);
  EXPECT_EQ(*p->get("side"), "BUY");
  EXPECT_EQ(*p->get("quantity"), "0.010");
  EXPECT_EQ(p->get("price"), nullptr);
  EXPECT_FALSE(Params::parse("a=%zz", ""));
  auto encoded = Params::parse("newClientOrderId=a%3Ab", "");
  EXPECT_EQ(*encoded->get("newClientOrderId"), "a:b");
}

TEST(BinanceSimErrors, BodiesAndStatuses) {
  auto r = error_response(invalid_key_ip_or_permission("127.0.0.1"));
  EXPECT_EQ(r.status, 401);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["code"], -2015);
  EXPECT_EQ(j["msg"], "Invalid API-key, IP, or permissions for action, request ip: 127.0.0.1");
  EXPECT_EQ(error_response(signature_invalid()).status, 400);
  EXPECT_EQ(nlohmann::json::parse(error_response(signature_invalid()).body)["msg"], "Signature for this request is not valid.");
  EXPECT_EQ(error_response(too_many_requests(2400)).status, 429);
  EXPECT_EQ(nlohmann::json::parse(error_response(mandatory_param("symbol")).body)["msg"],
            "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
  EXPECT_EQ(*r.header("Content-Type"), "application/json");
}

TEST(BinanceSimKeys, FormatIs64LettersAndDigits) {
  EXPECT_TRUE(key_format_valid("dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83"));
  EXPECT_FALSE(key_format_valid("dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc8"));
  EXPECT_FALSE(key_format_valid("dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc8-"));
  EXPECT_FALSE(key_format_valid(""));
}

}  // namespace
}  // namespace tb::exsim::binance_futures
