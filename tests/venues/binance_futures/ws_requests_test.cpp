// Orders over the WebSocket API, the request: its params sorted and signed as the venue signs them (every
// param but the signature, by name, `k=v&...`); the answers are read in ws_answers_test.cpp.
#include "venues/binance_futures/ws_requests.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "venues/binance_futures/endpoints.hpp"

namespace tb::venues::binance_futures {
namespace {

TEST(WsRequests, ParamsSortedAndSignedAsTheVenueSignsThem) {
  crypto::LocalSigner signer("KEY123", crypto::Secret("s3cr3t"));
  Call call{
      &kNewOrder, {{"symbol", "BTCUSDT"}, {"side", "BUY"}, {"type", "MARKET"}, {"quantity", "0.002"}, {"newClientOrderId", "tb-r-7"}}, 0};
  auto text = ws_request(call, "order.place", signer, 1700000000123, 5000, 42);
  ASSERT_TRUE(text) << text.error().message;
  auto j = nlohmann::json::parse(*text);
  EXPECT_EQ(j["id"], 42);
  EXPECT_EQ(j["method"], "order.place");
  EXPECT_EQ(j["params"]["timestamp"], 1700000000123) << "an INT parameter is a JSON integer";
  EXPECT_EQ(j["params"]["recvWindow"], 5000);
  EXPECT_EQ(j["params"]["quantity"], "0.002") << "a DECIMAL parameter is a JSON string";
  const std::string payload =
      "apiKey=KEY123&newClientOrderId=tb-r-7&quantity=0.002&recvWindow=5000&side=BUY&symbol=BTCUSDT"
      "&timestamp=1700000000123&type=MARKET";
  EXPECT_EQ(j["params"]["signature"], crypto::hex(crypto::hmac_sha256("s3cr3t", payload)));

  Call odd{&kNewOrder, {{"newClientOrderId", "a&b"}}, 0};
  auto refused = ws_request(odd, "order.place", signer, 1, 5000, 1);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("'newClientOrderId'"), std::string::npos);
  for (std::string bad : {"a b", "a=b", "a\"b", "a\\b", "a\tb", "a\x7f", "caf\xC3\xA9", ""}) {
    Call c{&kNewOrder, {{"newClientOrderId", "x"}, {"symbol", bad}}, 0};
    auto r = ws_request(c, "order.place", signer, 1, 5000, 1);
    if (bad.empty()) {
      EXPECT_TRUE(r) << "an empty value is signed as it is";
      continue;
    }
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().message.find("'symbol'"), std::string::npos);
  }
  EXPECT_FALSE(ws_request(call, "order.place", crypto::LocalSigner("KEY 1", crypto::Secret("s")), 1, 5000, 1));
  EXPECT_TRUE(ws_request(call, "order.place", crypto::LocalSigner("~!#$%", crypto::Secret("s")), 1, 5000, 1));
  EXPECT_EQ(ws_method(kNewOrder), "order.place");
  EXPECT_EQ(ws_method(kCancelOrder), "order.cancel");
  EXPECT_FALSE(ws_method(kQueryOrder)) << "reads stay on REST";
}

}  // namespace
}  // namespace tb::venues::binance_futures
