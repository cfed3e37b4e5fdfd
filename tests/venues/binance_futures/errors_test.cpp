// Every row of the Binance error reference (exchanges.md §2.4, §2.5, §2.12), code by code, written out
// here independently of the table under test.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "support/harness.hpp"
#include "venues/binance_futures/errors.hpp"

namespace tb::venues::binance_futures {
namespace {

constexpr const char* kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";

struct Row {
  int code;
  int http;
  const char* msg;
  ErrorKind kind;
};

const Row kRows[] = {
    {-2015, 401, "Invalid API-key, IP, or permissions for action, request ip: 203.0.113.7", ErrorKind::InvalidKey},
    {-2014, 401, "API-key format invalid.", ErrorKind::InvalidKey},
    {-1022, 400, "Signature for this request is not valid.", ErrorKind::InvalidSignature},
    {-1021, 400, "Timestamp for this request is outside of the recvWindow.", ErrorKind::InvalidNonce},
    {-1021, 400, "Timestamp for this request was 1000ms ahead of the server's time.", ErrorKind::InvalidNonce},
    {-5028, 400, "Timestamp for this request is outside of the ME recvWindow.", ErrorKind::InvalidNonce},
    {-1002, 401, "You are not authorized to execute this request.", ErrorKind::PermissionDenied},
    {-1003, 429,
     "Too many requests; current limit is 2400 requests per minute. Please use the websocket for live updates to avoid polling the API.",
     ErrorKind::RateLimited},
    {-1003, 418, "Way too many requests; IP banned until 1700000120000. Please use the websocket for live updates to avoid bans.",
     ErrorKind::RateLimited},
    {-1015, 429, "Too many new orders; current limit is 1200 orders per MINUTE.", ErrorKind::RateLimited},
    {-1121, 400, "Invalid symbol.", ErrorKind::InvalidArgument},
    {-1102, 400, "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.", ErrorKind::InvalidArgument},
    {-2019, 400, "Margin is insufficient.", ErrorKind::InsufficientFunds},
    {-2018, 400, "Balance is insufficient.", ErrorKind::InsufficientFunds},
    {-2011, 400, "Unknown order sent.", ErrorKind::OrderNotFound},
    {-2013, 400, "Order does not exist.", ErrorKind::OrderNotFound},
    {-2021, 400, "Order would immediately trigger.", ErrorKind::InvalidOrder},
    {-2022, 400, "ReduceOnly Order is rejected.", ErrorKind::InvalidOrder},
    {-5022, 400, "Due to the order could not be executed as maker, the Post Only order will be rejected.", ErrorKind::InvalidOrder},
    {-5021, 400, "Due to the order could not be filled immediately, the FOK order has been rejected.", ErrorKind::InvalidOrder},
    {-4164, 400, "Order's notional must be no smaller than 5.0 (unless you choose reduce only)", ErrorKind::InvalidOrder},
    {-4014, 400, "Price not increased by tick size.", ErrorKind::InvalidOrder},
    {-4023, 400, "Qty not increased by step size.", ErrorKind::InvalidOrder},
    {-4004, 400, "Quantity less than min quantity.", ErrorKind::InvalidOrder},
    {-4005, 400, "Quantity greater than max quantity.", ErrorKind::InvalidOrder},
    {-4013, 400, "Price less than min price.", ErrorKind::InvalidOrder},
    {-4002, 400, "Price greater than max price.", ErrorKind::InvalidOrder},
    {-1111, 400, "Precision is over the maximum defined for this asset.", ErrorKind::InvalidOrder},
    {-4015, 400, "Client order id is not valid.", ErrorKind::InvalidOrder},
    {-4116, 400, "clientOrderId is duplicated", ErrorKind::InvalidOrder},
    {-4061, 400, "Order's position side does not match user's setting.", ErrorKind::InvalidOrder},
    {-4046, 400, "No need to change margin type.", ErrorKind::InvalidArgument},
    {-4028, 400, "Leverage 126 is not valid", ErrorKind::InvalidArgument},
    {-2025, 400, "Reach max open order limit.", ErrorKind::InvalidOrder},
    {-1125, 400, "This listenKey does not exist. Please use POST /fapi/v1/listenKey to recreate listenKey", ErrorKind::InvalidArgument},
    {-1001, 500, "Internal error; unable to process your request. Please try again.", ErrorKind::ExchangeUnavailable},
    {-1008, 503, "Server is currently overloaded with other requests. Please try again in a few minutes.", ErrorKind::ExchangeUnavailable},
};

net::HttpResponse venue_error(int http, int code, const std::string& msg) {
  return test::json_response(http, nlohmann::json{{"code", code}, {"msg", msg}}.dump());
}

void expect_no_secret(const Error& e) {
  EXPECT_EQ(e.describe().find(kSecret), std::string::npos);
  nlohmann::json j = e;
  EXPECT_EQ(j.dump().find(kSecret), std::string::npos);
}

TEST(BinanceErrors, EveryReferenceRowMapsToItsKindAndKeepsTheVenueCode) {
  for (const Row& row : kRows) {
    SCOPED_TRACE(row.code);
    Error e = map_error(venue_error(row.http, row.code, row.msg));
    EXPECT_EQ(e.kind, row.kind);
    EXPECT_EQ(e.venue_code, std::to_string(row.code));
    EXPECT_EQ(e.venue_message, row.msg);
    EXPECT_EQ(e.http_status, row.http);
    EXPECT_FALSE(e.outcome_unknown);
    EXPECT_FALSE(e.message.empty());
    expect_no_secret(e);
  }
}

TEST(BinanceErrors, TheTableHasNoRowThisTestDoesNotCheck) {
  std::set<int> tested;
  for (const Row& row : kRows) tested.insert(row.code);
  for (const CodeRow& row : code_table()) EXPECT_TRUE(tested.count(row.code)) << row.code;
}

TEST(BinanceErrors, InvalidKeyIpOrPermissionIsOneCodeForThreeCauses) {
  Error e = map_error(venue_error(401, -2015, "Invalid API-key, IP, or permissions for action."));
  EXPECT_EQ(e.kind, ErrorKind::InvalidKey);
  EXPECT_EQ(e.venue_code, "-2015");  // services explain key, IP and permission from this
  EXPECT_NE(e.message.find("IP"), std::string::npos);
}

TEST(BinanceErrors, RateLimitCarriesRetryAfter) {
  auto r = venue_error(429, -1003, "Too many requests; current limit is 2400 requests per minute.");
  r.headers.push_back({"Retry-After", "7"});
  Error e = map_error(r);
  EXPECT_EQ(e.kind, ErrorKind::RateLimited);
  ASSERT_TRUE(e.retry_after);
  EXPECT_EQ(e.retry_after->count(), 7000);
  auto ban = venue_error(418, -1003, "Way too many requests; IP banned until 1700000120000.");
  ban.headers.push_back({"Retry-After", "120"});
  EXPECT_EQ(map_error(ban).retry_after->count(), 120'000);
}

TEST(BinanceErrors, The503TextsDecideWhetherTheOutcomeIsKnown) {
  Error unknown = map_error(venue_error(503, -1000, "Unknown error, please check your request or try again later."));
  EXPECT_EQ(unknown.kind, ErrorKind::ExchangeUnavailable);
  EXPECT_TRUE(unknown.outcome_unknown);
  EXPECT_FALSE(is_documented_failure(unknown));
  Error unavailable = map_error(venue_error(503, -1000, "Service Unavailable."));
  EXPECT_EQ(unavailable.kind, ErrorKind::ExchangeUnavailable);
  EXPECT_FALSE(unavailable.outcome_unknown);
  EXPECT_TRUE(is_documented_failure(unavailable));
  Error internal = map_error(venue_error(500, -1001, "Internal error; unable to process your request. Please try again."));
  EXPECT_FALSE(internal.outcome_unknown);
  EXPECT_TRUE(is_documented_failure(internal));
  net::HttpResponse plain{503, {}, "Unknown error, please check your request or try again later."};
  EXPECT_TRUE(map_error(plain).outcome_unknown);
}

TEST(BinanceErrors, FilterFailuresByMessage) {
  Error e = map_error(venue_error(400, -1013, "Filter failure: LOT_SIZE"));
  EXPECT_EQ(e.kind, ErrorKind::InvalidOrder);
  EXPECT_EQ(e.venue_code, "-1013");
  EXPECT_EQ(map_error(venue_error(400, -1013, "Filter failure: PRICE_FILTER")).kind, ErrorKind::InvalidOrder);
}

TEST(BinanceErrors, PagesAndBodiesWithoutACodeFallBackToHttp) {
  net::HttpResponse html{502, {{"Content-Type", "text/html"}}, "<html><body><h1>502 Bad Gateway</h1></body></html>"};
  Error e = map_error(html);
  EXPECT_EQ(e.kind, ErrorKind::ExchangeUnavailable);
  EXPECT_EQ(e.http_status, 502);
  EXPECT_TRUE(e.venue_code.empty());
  EXPECT_FALSE(is_documented_failure(e));
  EXPECT_EQ(map_error(net::HttpResponse{429, {{"Retry-After", "3"}}, ""}).retry_after->count(), 3000);
  EXPECT_EQ(map_error(net::HttpResponse{400, {}, "{\"code\":-11"}).kind, ErrorKind::BadResponse);
  EXPECT_EQ(map_error(venue_error(400, -9999, "something new")).kind, ErrorKind::BadResponse);
  EXPECT_EQ(map_error(venue_error(400, -9999, "something new")).venue_code, "-9999");
}

}  // namespace
}  // namespace tb::venues::binance_futures
