// Orders over the WebSocket API, the answers: read back as the REST answer they stand for, in place, or
// through the document when they are not laid out as the venue writes them; and their ids.
#include "venues/binance_futures/ws_answers.hpp"

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "venues/binance_futures/description.hpp"

namespace tb::venues::binance_futures {
namespace {

TEST(WsAnswers, ReadBackAsTheRestAnswerTheyStandFor) {
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
  // Read as the document reads them, not cut short: a status that is not all an integer, a key with an escape.
  for (const char* not_int : {"200.0", "2e2", "200 x"}) {
    auto r = ws_answer_as_response(std::string(R"({"id":9,"status":)") + not_int + R"(,"result":{"orderId":1}})");
    ASSERT_FALSE(r) << not_int;
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
  }
  auto twice = ws_answer_as_response(R"({"status":200,"\u0073tatus":400,"result":{"orderId":1},"error":{"code":-1}})");
  ASSERT_TRUE(twice) << twice.error().message;
  EXPECT_EQ(twice->status, 400) << "the later of two keys that decode alike";
  EXPECT_EQ(ws_answer_id(R"({"id":77,"status":200})"), 77u);
  EXPECT_EQ(ws_answer_id(R"({"status":200,"id":78})"), 78u);
  EXPECT_FALSE(ws_answer_id(R"({"id":"text"})"));
}

}  // namespace
}  // namespace tb::venues::binance_futures
