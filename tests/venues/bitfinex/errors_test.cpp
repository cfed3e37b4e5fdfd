// The error table of exchanges.md §4.6, row by row, through the real connector.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/harness.hpp"
#include "venues/bitfinex/bitfinex.hpp"
#include "venues/bitfinex/bitfinex_support.hpp"
#include "venues/bitfinex/errors.hpp"

namespace tb::venues::bitfinex {
namespace {

constexpr char kSecret[] = "bfx-SECRET-never-shown-0123456789";

struct Row {
  int status;
  const char* body;
  ErrorKind kind;
  const char* venue_code;
};

// Written from the reference, not from errors.cpp, so a wrong table row fails here.
const Row kRows[] = {
    {500, R"(["error",10000,"unknown error"])", ErrorKind::ExchangeUnavailable, "10000"},
    {500, R"(["error",10001,"Invalid order: not enough exchange balance for 0.01 BTCUSD at 10000"])", ErrorKind::InsufficientFunds,
     "10001"},
    {500, R"(["error",10001,"Invalid order: available balance is only 0.001 BTC"])", ErrorKind::InsufficientFunds, "10001"},
    {500, R"(["error",10001,"Invalid order: minimum size for BTC/USD is 0.0002"])", ErrorKind::InvalidOrder, "10001"},
    {500, R"(["error",10001,"Order not found."])", ErrorKind::OrderNotFound, "10001"},
    {500, R"(["error",10001,"api_key: permission invalid"])", ErrorKind::PermissionDenied, "10001"},
    {500, R"(["error",10001,"Invalid order: price too far"])", ErrorKind::InvalidOrder, "10001"},
    {500, R"(["error",10020,"limit: invalid"])", ErrorKind::InvalidOrder, "10020"},
    {500, R"(["error",10020,"symbol: invalid"])", ErrorKind::InvalidArgument, "10020"},
    {500, R"(["error",10100,"apikey: invalid"])", ErrorKind::InvalidKey, "10100"},
    {500, R"(["error",10100,"apikey: digest invalid"])", ErrorKind::InvalidSignature, "10100"},
    {500, R"(["error",10100,"auth: failed"])", ErrorKind::InvalidKey, "10100"},
    {500, R"(["error",10114,"nonce: small"])", ErrorKind::InvalidNonce, "10114"},
    {500, R"(["error",11010,"ratelimit: error"])", ErrorKind::RateLimited, "11010"},
    {500, R"(["error",20060,"maintenance"])", ErrorKind::ExchangeUnavailable, "20060"},
    {429, R"({"error":"ERR_RATE_LIMIT"})", ErrorKind::RateLimited, "ERR_RATE_LIMIT"},
    {500, R"({"error":"ERR_RATE_LIMIT"})", ErrorKind::RateLimited, "ERR_RATE_LIMIT"},
    {503, R"({"code":503,"error":"temporarily_unavailable","error_description":"Sorry, the service is temporarily unavailable"})",
     ErrorKind::ExchangeUnavailable, "temporarily_unavailable"},
};

TEST(BitfinexErrors, EveryReferenceRowThroughTheConnector) {
  for (const auto& row : kRows) {
    test::VenueHarness h([&](const net::HttpRequest&) { return Result<net::HttpResponse>(test::json_response(row.status, row.body)); });
    auto venue = make_bitfinex(h.context(), VenueConfig{});
    crypto::LocalSigner signer("the-api-key", crypto::Secret(kSecret));
    auto r = run(venue->permissions(signer));
    ASSERT_FALSE(r) << row.body;
    const Error& e = r.error();
    EXPECT_EQ(e.kind, row.kind) << row.body << " -> " << e.describe();
    EXPECT_EQ(e.venue_code, row.venue_code) << row.body;
    EXPECT_EQ(e.http_status, row.status);
    EXPECT_FALSE(e.venue_message.empty());
    EXPECT_FALSE(e.message.empty());
    if (row.kind == ErrorKind::RateLimited) {
      ASSERT_TRUE(e.retry_after) << row.body;
      EXPECT_EQ(e.retry_after->count(), 60'000);
    }
    nlohmann::json j = e;
    EXPECT_EQ(e.describe().find(kSecret), std::string::npos);
    EXPECT_EQ(j.dump().find(kSecret), std::string::npos);
  }
}

TEST(BitfinexErrors, VenueTextIsKept) {
  net::HttpResponse r = test::json_response(500, R"(["error",10001,"Invalid order: minimum size for BTC/USD is 0.0002"])");
  auto e = error_from_response(r);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->venue_message, "Invalid order: minimum size for BTC/USD is 0.0002");
  EXPECT_NE(e->describe().find("minimum size"), std::string::npos);
}

// Every table row is reachable: no earlier row shadows a later one.
TEST(BitfinexErrors, NoRowIsShadowed) {
  for (const auto& r : text_rules()) EXPECT_EQ(classify(std::nullopt, r.text), r.kind) << r.text;
  for (const auto& r : code_rules()) EXPECT_EQ(classify(r.code, ""), r.kind) << r.code;
  for (const auto& r : named_rules()) {
    auto e = error_from_body(nlohmann::json{{"error", r.error}}, 500);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->kind, r.kind);
  }
  EXPECT_FALSE(classify(99999, "something new"));
}

TEST(BitfinexErrors, UnknownCodeKeepsTheVenueWords) {
  auto e = error_from_response(test::json_response(500, R"(["error",12345,"brand new failure"])"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ErrorKind::ExchangeUnavailable);
  EXPECT_EQ(e->venue_code, "12345");
  EXPECT_EQ(e->venue_message, "brand new failure");
}

TEST(BitfinexErrors, GenericFallbacks) {
  net::HttpResponse html;
  html.status = 502;
  html.headers = {{"Content-Type", "text/html"}};
  html.body = "<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>";
  auto e = error_from_response(html);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ErrorKind::ExchangeUnavailable);
  EXPECT_EQ(e->http_status, 502);

  net::HttpResponse throttled = test::json_response(429, "Too Many Requests", {{"Retry-After", "7"}});
  e = error_from_response(throttled);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ErrorKind::RateLimited);
  ASSERT_TRUE(e->retry_after);
  EXPECT_EQ(e->retry_after->count(), 7000);

  net::HttpResponse missing = test::json_response(404, "<html>Not Found</html>");
  e = error_from_response(missing);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ErrorKind::BadResponse);

  EXPECT_FALSE(error_from_response(test::json_response(200, "[1]")));
  // An error shape is an error whatever the status.
  e = error_from_response(test::json_response(200, R"(["error",10114,"nonce: small"])"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, ErrorKind::InvalidNonce);
}

}  // namespace
}  // namespace tb::venues::bitfinex
