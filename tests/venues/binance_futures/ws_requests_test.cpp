// Orders over the WebSocket API, the pure parts: the request's params sorted and signed as the venue signs
// them (every param but the signature, by name, `k=v&...`), and an answer read back as the REST answer it
// stands for, in place or through the document when it is not laid out as the venue writes it.
#include "venues/binance_futures/ws_requests.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "venues/binance_futures/description.hpp"
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

TEST(WsRequests, AnswersReadBackAsTheRestAnswerTheyStandFor) {
  auto ok = ws_answer_as_response(
      R"({"id":9,"status":200,"result":{"orderId":1,"clientOrderId":"x{\"]}","status":"FILLED"},"rateLimits":[{"count":1}]})");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, R"({"orderId":1,"clientOrderId":"x{\"]}","status":"FILLED"})");
  // Backslashes before a quote: an even run leaves the quote closing its string, an odd run escapes it.
  auto escaped = ws_answer_as_response(
      R"({"id":9,"status":200,"result":{"clientOrderId":"a\\","note":"b\\\"}c\\\\\"]","status":"NEW"},"rateLimits":[]})");
  ASSERT_TRUE(escaped) << escaped.error().message;
  EXPECT_EQ(escaped->body, R"({"clientOrderId":"a\\","note":"b\\\"}c\\\\\"]","status":"NEW"})");
  EXPECT_EQ(nlohmann::json::parse(escaped->body)["note"], "b\\\"}c\\\\\"]");
  // Its keys out of order: read in place, not through a document (which would sort them).
  auto brace = ws_answer_as_response(R"({"id":9,"status":200,"result":{"z":"x\\","b":"}","a":1}})");
  ASSERT_TRUE(brace) << brace.error().message;
  EXPECT_EQ(brace->body, R"({"z":"x\\","b":"}","a":1})");
  auto refused = ws_answer_as_response(R"({"id":9,"status":400,"error":{"code":-2019,"msg":"Margin is insufficient."}})");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(nlohmann::json::parse(refused->body)["code"], -2019);
  // Laid out otherwise (spaces, the status last): read through the document, to the same result.
  auto spaced = ws_answer_as_response(R"( { "result" : { "orderId" : 2 } , "id" : 9 , "status" : 200 } )");
  ASSERT_TRUE(spaced) << spaced.error().message;
  EXPECT_EQ(nlohmann::json::parse(spaced->body)["orderId"], 2);
  for (const char* bad : {"", "{\"id\":9,\"status\":200,\"result\":{\"orderId\":1", "[1,2]", "{\"id\":9,\"result\":{}}"}) {
    auto r = ws_answer_as_response(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
  }
  EXPECT_EQ(ws_answer_id(R"({"id":77,"status":200})"), 77u);
  EXPECT_EQ(ws_answer_id(R"({"status":200,"id":78})"), 78u);
  EXPECT_FALSE(ws_answer_id(R"({"id":"text"})"));
}

}  // namespace
}  // namespace tb::venues::binance_futures
