// Every Kraken error string of exchanges.md §3.6 -> its ErrorKind, row by row, and the HTTP fallbacks.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/harness.hpp"
#include "venues/kraken/errors.hpp"

namespace tb::venues::kraken {
namespace {

struct Row {
  const char* text;
  ErrorKind kind;
};

// Written out here, not read from the table under test, so a wrong row in errors.cpp fails.
const Row kDocumented[] = {
    {"EAPI:Invalid key", ErrorKind::InvalidKey},
    {"ESession:Invalid session", ErrorKind::InvalidKey},
    {"EAPI:Invalid signature", ErrorKind::InvalidSignature},
    {"EAPI:Invalid nonce", ErrorKind::InvalidNonce},
    {"EGeneral:Permission denied", ErrorKind::PermissionDenied},
    {"EGeneral:Invalid arguments", ErrorKind::InvalidOrder},
    {"EGeneral:Invalid arguments:volume", ErrorKind::InvalidOrder},
    {"EGeneral:Invalid arguments:price", ErrorKind::InvalidOrder},
    {"EGeneral:Invalid arguments:oflags", ErrorKind::InvalidOrder},
    {"EQuery:Unknown asset pair", ErrorKind::InvalidArgument},
    {"EQuery:Invalid asset pair", ErrorKind::InvalidArgument},
    {"EQuery:Unknown asset", ErrorKind::InvalidArgument},
    {"EOrder:Insufficient funds", ErrorKind::InsufficientFunds},
    {"EFunding:Invalid amount", ErrorKind::InsufficientFunds},
    {"EOrder:Order minimum not met", ErrorKind::InvalidOrder},
    {"EOrder:Cost minimum not met", ErrorKind::InvalidOrder},
    {"EOrder:Invalid price", ErrorKind::InvalidOrder},
    {"EOrder:Unknown order", ErrorKind::OrderNotFound},
    {"EOrder:Invalid order", ErrorKind::OrderNotFound},
    {"EOrder:Insufficient margin", ErrorKind::InsufficientFunds},
    {"EOrder:Margin level too low", ErrorKind::InsufficientFunds},
    {"EOrder:Cannot open position", ErrorKind::InvalidOrder},
    {"EAPI:Rate limit exceeded", ErrorKind::RateLimited},
    {"EOrder:Rate limit exceeded", ErrorKind::RateLimited},
    {"EOrder:Orders limit exceeded", ErrorKind::InvalidOrder},
    {"EGeneral:Temporary lockout", ErrorKind::RateLimited},
    {"EGeneral:Too many requests", ErrorKind::RateLimited},
    {"EService: Throttled: 1688671659", ErrorKind::RateLimited},
    {"EService:Throttled:1688671659", ErrorKind::RateLimited},
    {"EService:Throttled", ErrorKind::RateLimited},
    {"EService:Unavailable", ErrorKind::ExchangeUnavailable},
    {"EService:Busy", ErrorKind::ExchangeUnavailable},
    {"EService:Market in cancel_only mode", ErrorKind::ExchangeUnavailable},
    {"EService:Market in post_only mode", ErrorKind::ExchangeUnavailable},
    {"EService:Deadline elapsed", ErrorKind::ExchangeUnavailable},
    {"EGeneral:Internal error", ErrorKind::ExchangeUnavailable},
    {"EDatabase:Internal error", ErrorKind::ExchangeUnavailable},
    {"ETrade:User Locked", ErrorKind::PermissionDenied},
    {"EGeneral:Unknown method", ErrorKind::BadResponse},
    // Not listed: the category decides.
    {"EOrder:Something new", ErrorKind::InvalidOrder},
    {"EService:Something new", ErrorKind::ExchangeUnavailable},
};

class KrakenErrorRow : public ::testing::TestWithParam<Row> {};

TEST_P(KrakenErrorRow, MapsInsideTheEnvelope) {
  const Row& row = GetParam();
  nlohmann::json body = {{"error", {row.text}}};
  auto r = unwrap_response(test::json_response(200, body.dump()));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, row.kind) << row.text << " -> " << to_string(r.error().kind);
  EXPECT_EQ(r.error().venue_code, row.text);
  EXPECT_FALSE(r.error().venue_message.empty());
  EXPECT_EQ(r.error().http_status, 200);
  EXPECT_FALSE(r.error().message.empty());
  EXPECT_FALSE(r.error().outcome_unknown);
}

INSTANTIATE_TEST_SUITE_P(Documented, KrakenErrorRow, ::testing::ValuesIn(kDocumented));

TEST(KrakenErrors, EveryTableRowIsDocumentedAndMapsToItself) {
  for (auto& row : error_table()) {
    bool documented = false;
    for (auto& d : kDocumented)
      if (row.text == d.text) {
        documented = true;
        EXPECT_EQ(row.kind, d.kind) << row.text;
      }
    EXPECT_TRUE(documented) << "table row not covered by the test: " << row.text;
    EXPECT_EQ(error_from_string(row.text).kind, row.kind) << row.text;
  }
}

TEST(KrakenErrors, LockoutIsNotRetriedSoon) {
  auto e = error_from_string("EGeneral:Temporary lockout");
  ASSERT_TRUE(e.retry_after);
  EXPECT_GE(e.retry_after->count(), 60'000);
}

TEST(KrakenErrors, WarningsDoNotFailACall) {
  auto r = unwrap_response(test::json_response(200, R"({"error":["WGeneral:Something"],"result":{"count":1}})"));
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)["count"], 1);
}

TEST(KrakenErrors, HtmlGatewayPageIsUnavailable) {
  net::HttpResponse html{502, {{"Content-Type", "text/html"}}, "<html><body><h1>502 Bad Gateway</h1></body></html>"};
  auto r = unwrap_response(html);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::ExchangeUnavailable);
  EXPECT_EQ(r.error().http_status, 502);
}

TEST(KrakenErrors, CloudflareStatusesAreUnavailable) {
  for (int status : {520, 521, 522, 523, 524, 525, 500, 503, 400}) {
    net::HttpResponse resp{status, {}, "error code: " + std::to_string(status)};
    auto r = unwrap_response(resp);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::ExchangeUnavailable) << status;
    EXPECT_EQ(r.error().http_status, status);
  }
}

TEST(KrakenErrors, NotFoundIsNotTransient) {
  auto r = unwrap_response(net::HttpResponse{404, {}, "Not Found"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
  EXPECT_EQ(r.error().http_status, 404);
}

TEST(KrakenErrors, TooManyRequestsKeepsRetryAfter) {
  net::HttpResponse resp{429, {{"Retry-After", "3"}}, "Too Many Requests"};
  auto r = unwrap_response(resp);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::RateLimited);
  ASSERT_TRUE(r.error().retry_after);
  EXPECT_EQ(r.error().retry_after->count(), 3000);
}

TEST(KrakenErrors, SpecShaped401IsReadAsInvalidKey) {
  auto r = unwrap_response(test::json_response(
      401, R"({"errors":[{"field":"Kraken-Api-Key","type":"Invalid key","msg":"Invalid API key","severity":"E","errorClass":"API"}]})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidKey);
  EXPECT_EQ(r.error().http_status, 401);
}

TEST(KrakenErrors, MalformedTruncatedOrShapelessBodiesAreBadResponses) {
  for (const char* body :
       {R"({"error":[],"result":{"unixtime":1688669448)", "", "not json", "[1,2,3]", R"({"error":[]})", "<html>oops</html>"}) {
    auto r = unwrap_response(test::json_response(200, body));
    ASSERT_FALSE(r) << body;
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse) << body;
  }
}

}  // namespace
}  // namespace tb::venues::kraken
