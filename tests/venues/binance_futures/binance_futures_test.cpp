// The connector against a scripted far side answering in the documented shapes: the exact request sent
// (signature recomputed here with crypto::hmac), the parsed result, retries, outcome-unknown, rate limits.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "fixtures.hpp"
#include "support/harness.hpp"
#include "venues/binance_futures/binance_futures.hpp"

namespace tb::venues {
namespace {

namespace fx = binance_futures::fixtures;
using test::json_response;

constexpr const char* kKey = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
constexpr const char* kSecret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";
constexpr int64_t kNow = 1'700'000'000'000;  // the harness clock
constexpr int64_t kServerAhead = 2'500;      // the venue's clock runs ahead of ours

std::string path_of(const net::HttpRequest& r) { return net::parse_url(r.url)->path(); }
std::string query_of(const net::HttpRequest& r) { return net::parse_url(r.url)->query(); }

// Checks the signature exactly as the venue does: over query ‖ body, with the trailing signature removed.
void expect_signed(const net::HttpRequest& r) {
  std::string query = query_of(r), body = r.body;
  std::string& carrier = body.empty() ? query : body;
  auto at = carrier.rfind("&signature=");
  ASSERT_NE(at, std::string::npos) << r.url;
  std::string sig = carrier.substr(at + 11);
  carrier.erase(at);
  EXPECT_EQ(sig, crypto::hex(crypto::hmac_sha256(kSecret, query + body)));
  ASSERT_NE(r.header("X-MBX-APIKEY"), nullptr);
  EXPECT_EQ(*r.header("X-MBX-APIKEY"), kKey);
}

net::HttpResponse server_time_response() { return json_response(200, "{\"serverTime\":" + std::to_string(kNow + kServerAhead) + "}"); }

// A venue that answers /fapi/v1/time itself and everything else from `rest`.
test::Handler venue(std::function<Result<net::HttpResponse>(const net::HttpRequest&)> rest) {
  return [rest](const net::HttpRequest& r) -> Result<net::HttpResponse> {
    if (path_of(r) == "/fapi/v1/time") return server_time_response();
    return rest(r);
  };
}

net::HttpResponse error_json(int http, int code, const std::string& msg) {
  return json_response(http, nlohmann::json{{"code", code}, {"msg", msg}}.dump());
}

Error network_error() {
  Error e = Error::make(ErrorKind::NetworkError, "timed out after 15000 ms");
  return e;
}

struct Fixture {
  explicit Fixture(test::Handler h, VenueConfig cfg = {})
      : harness(std::move(h)), bf(make_binance_futures(harness.context(), std::move(cfg))) {}
  test::VenueHarness harness;
  std::unique_ptr<Venue> bf;
  crypto::LocalSigner signer{kKey, crypto::Secret(kSecret)};
  std::vector<net::HttpRequest> sent() const { return harness.transport.requests(); }
  std::vector<net::HttpRequest> sent_to(const std::string& path) const {
    std::vector<net::HttpRequest> out;
    for (auto& r : sent())
      if (path_of(r) == path) out.push_back(r);
    return out;
  }
};

OrderRequest limit_buy() {
  OrderRequest r;
  r.symbol = "BTCUSDT";
  r.side = Side::Buy;
  r.type = OrderType::Limit;
  r.amount = *Decimal::parse("0.004");
  r.price = *Decimal::parse("25000.0");
  r.post_only = true;
  r.reduce_only = true;
  r.client_order_id = "tb-key-test-1";
  return r;
}

TEST(BinanceFutures, ServerTimeIsAPublicGet) {
  Fixture f(venue([](auto&) { return json_response(404, ""); }));
  auto t = test::run(f.bf->server_time());
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, kNow + kServerAhead);
  ASSERT_EQ(f.sent().size(), 1u);
  EXPECT_EQ(f.sent()[0].method, "GET");
  EXPECT_EQ(f.sent()[0].url, "https://fapi.binance.com/fapi/v1/time");
  EXPECT_TRUE(f.sent()[0].headers.empty());
  EXPECT_EQ(f.bf->id(), "binance_futures");
}

TEST(BinanceFutures, MarketsTickerCandles) {
  Fixture f(venue([](const net::HttpRequest& r) {
    auto p = path_of(r);
    if (p == "/fapi/v1/exchangeInfo") return json_response(200, fx::kExchangeInfo);
    if (p == "/fapi/v1/ticker/24hr") return json_response(200, fx::kTicker24h);
    if (p == "/fapi/v1/klines") return json_response(200, fx::kKlines);
    return json_response(404, "");
  }));
  auto markets = test::run(f.bf->markets());
  ASSERT_TRUE(markets);
  EXPECT_EQ((*markets)[0].tick_size.to_string(), "0.10");
  EXPECT_EQ(f.sent().back().url, "https://fapi.binance.com/fapi/v1/exchangeInfo");

  auto ticker = test::run(f.bf->ticker("BTCUSDT"));
  ASSERT_TRUE(ticker);
  EXPECT_EQ(ticker->last.to_string(), "4.00000200");
  EXPECT_EQ(f.sent().back().url, "https://fapi.binance.com/fapi/v1/ticker/24hr?symbol=BTCUSDT");

  CandleQuery q{"BTCUSDT", Timeframe::H1, 1699999200000, 2};
  auto candles = test::run(f.bf->candles(q));
  ASSERT_TRUE(candles);
  EXPECT_EQ(candles->size(), 2u);
  EXPECT_EQ((*candles)[1].close.to_string(), "36690.00");
  EXPECT_EQ(f.sent().back().url, "https://fapi.binance.com/fapi/v1/klines?symbol=BTCUSDT&interval=1h&startTime=1699999200000&limit=2");
  EXPECT_EQ(f.sent().size(), 3u);  // public calls never measure the clock

  auto bad = test::run(f.bf->ticker("BTC USDT"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::InvalidArgument);
  EXPECT_NE(bad.error().message.find("'symbol'"), std::string::npos);
}

TEST(BinanceFutures, BalancesAreSignedWithTheServerClock) {
  Fixture f(venue([](const net::HttpRequest& r) {
    return path_of(r) == "/fapi/v2/account" ? json_response(200, fx::kAccount) : json_response(404, "");
  }));
  auto p = test::run(f.bf->balances(f.signer));
  ASSERT_TRUE(p) << p.error().describe();
  EXPECT_EQ(p->balances[0].total.to_string(), "127.70416206");
  EXPECT_EQ(p->positions[0].amount.to_string(), "-0.001");
  auto sent = f.sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(path_of(sent[0]), "/fapi/v1/time");  // measured once, before the first signed call
  const auto& r = sent[1];
  EXPECT_EQ(r.method, "GET");
  EXPECT_TRUE(r.body.empty());
  std::string prefix =
      "https://fapi.binance.com/fapi/v2/account?recvWindow=5000&timestamp=" + std::to_string(kNow + kServerAhead) + "&signature=";
  EXPECT_EQ(r.url.substr(0, prefix.size()), prefix);
  expect_signed(r);
  ASSERT_TRUE(test::run(f.bf->balances(f.signer)));
  EXPECT_EQ(f.sent_to("/fapi/v1/time").size(), 1u);
}

TEST(BinanceFutures, CreateLimitPostOnlyReduceOnly) {
  Fixture f(venue([](const net::HttpRequest& r) {
    if (path_of(r) != "/fapi/v1/order") return json_response(404, "");
    std::vector<net::Header> counts{{"X-MBX-ORDER-COUNT-10S", "1"}, {"X-MBX-ORDER-COUNT-1M", "1"}};
    return json_response(200, fx::kNewLimitOrder, counts);
  }));
  auto o = test::run(f.bf->create_order(f.signer, limit_buy()));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->id, "22542179");
  EXPECT_EQ(o->client_order_id, "tb-key-test-1");
  EXPECT_EQ(o->status, OrderStatus::New);
  EXPECT_TRUE(o->post_only);
  EXPECT_EQ(o->price->to_string(), "25000.0");
  auto orders = f.sent_to("/fapi/v1/order");
  ASSERT_EQ(orders.size(), 1u);
  const auto& r = orders[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://fapi.binance.com/fapi/v1/order");
  std::string expected =
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.004&price=25000.0&reduceOnly=true"
      "&newClientOrderId=tb-key-test-1&recvWindow=5000&timestamp=" +
      std::to_string(kNow + kServerAhead);
  EXPECT_EQ(r.body.substr(0, expected.size()), expected);
  ASSERT_EQ(r.headers.size(), 2u);
  EXPECT_EQ(r.headers[0].name, "X-MBX-APIKEY");
  EXPECT_EQ(r.headers[1].name, "Content-Type");
  EXPECT_EQ(r.headers[1].value, "application/x-www-form-urlencoded");
  expect_signed(r);
}

TEST(BinanceFutures, CreateMarketAsksForTheResult) {
  Fixture f(venue([](auto&) { return json_response(200, fx::kFilledMarketOrder); }));
  OrderRequest r{"BTCUSDT", Side::Sell, OrderType::Market, *Decimal::parse("0.010"), std::nullopt, false, false, "robot-7.sell"};
  auto o = test::run(f.bf->create_order(f.signer, r));
  ASSERT_TRUE(o);
  EXPECT_EQ(o->status, OrderStatus::Filled);
  EXPECT_EQ(o->average_price->to_string(), "36601.20000");
  std::string expected =
      "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.010&newClientOrderId=robot-7.sell&newOrderRespType=RESULT&recvWindow=5000&"
      "timestamp=";
  EXPECT_EQ(f.sent_to("/fapi/v1/order")[0].body.substr(0, expected.size()), expected);
}

TEST(BinanceFutures, ClientOrderIdIsValidatedBeforeSending) {
  Fixture f(venue([](auto&) { return json_response(200, fx::kNewLimitOrder); }));
  for (std::string bad : {std::string("has space"), std::string(37, 'x'), std::string("emoji🙂")}) {
    auto r = limit_buy();
    r.client_order_id = bad;
    auto o = test::run(f.bf->create_order(f.signer, r));
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().kind, ErrorKind::InvalidArgument);
    EXPECT_NE(o.error().message.find("client_order_id"), std::string::npos);
  }
  EXPECT_TRUE(f.sent().empty());
  auto r = limit_buy();
  r.client_order_id.clear();  // we make one, so an unanswered order can still be found
  ASSERT_TRUE(test::run(f.bf->create_order(f.signer, r)));
  EXPECT_NE(f.sent_to("/fapi/v1/order")[0].body.find("&newClientOrderId=tb-"), std::string::npos);
}

TEST(BinanceFutures, CancelFetchOpenOrders) {
  Fixture f(venue([](const net::HttpRequest& r) {
    auto p = path_of(r);
    if (p == "/fapi/v1/order" && r.method == "DELETE") return json_response(200, fx::kCanceledOrder);
    if (p == "/fapi/v1/order" && r.method == "GET") {
      if (query_of(r).find("origClientOrderId=gone") != std::string::npos) return error_json(400, -2013, "Order does not exist.");
      return json_response(200, fx::kCanceledOrder);
    }
    if (p == "/fapi/v1/openOrders") return json_response(200, fx::kOpenOrders);
    return json_response(404, "");
  }));
  auto c = test::run(f.bf->cancel_order(f.signer, OrderRef{"BTCUSDT", "22542179", ""}));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, OrderStatus::Canceled);
  auto del = f.sent_to("/fapi/v1/order").back();
  EXPECT_EQ(del.method, "DELETE");
  EXPECT_TRUE(del.body.empty());
  EXPECT_EQ(query_of(del).rfind("symbol=BTCUSDT&orderId=22542179&recvWindow=5000&timestamp=", 0), 0u);
  expect_signed(del);

  // A finished order is found by our client order id: how an unknown outcome gets settled.
  auto q = test::run(f.bf->fetch_order(f.signer, OrderRef{"BTCUSDT", "", "tb-key-test-1"}));
  ASSERT_TRUE(q);
  EXPECT_EQ(q->status, OrderStatus::Canceled);
  EXPECT_EQ(q->created_ms, 1700000000100);
  auto get = f.sent_to("/fapi/v1/order").back();
  EXPECT_EQ(get.method, "GET");
  EXPECT_EQ(query_of(get).rfind("symbol=BTCUSDT&origClientOrderId=tb-key-test-1&recvWindow=5000&timestamp=", 0), 0u);
  expect_signed(get);

  auto gone = test::run(f.bf->fetch_order(f.signer, OrderRef{"BTCUSDT", "", "gone"}));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, ErrorKind::OrderNotFound);
  EXPECT_EQ(gone.error().venue_code, "-2013");

  auto open = test::run(f.bf->open_orders(f.signer, std::string("BTCUSDT")));
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 1u);
  EXPECT_EQ((*open)[0].status, OrderStatus::PartiallyFilled);
  EXPECT_EQ(query_of(f.sent().back()).rfind("symbol=BTCUSDT&recvWindow=5000&timestamp=", 0), 0u);

  auto no_symbol = test::run(f.bf->cancel_order(f.signer, OrderRef{"", "1", ""}));
  ASSERT_FALSE(no_symbol);
  EXPECT_NE(no_symbol.error().message.find("'symbol'"), std::string::npos);
}

TEST(BinanceFutures, PermissionsComeFromTheSpotHost) {
  Fixture f(venue([](const net::HttpRequest& r) {
    return path_of(r) == "/sapi/v1/account/apiRestrictions" ? json_response(200, fx::kApiRestrictions) : json_response(404, "");
  }));
  auto k = test::run(f.bf->permissions(f.signer));
  ASSERT_TRUE(k) << k.error().describe();
  EXPECT_EQ(k->can_withdraw, false);
  EXPECT_EQ(k->can_trade_futures, true);
  EXPECT_EQ(k->trading_expires_ms, 1702252800000);
  auto r = f.sent().back();
  EXPECT_EQ(r.url.rfind("https://api.binance.com/sapi/v1/account/apiRestrictions?recvWindow=5000&timestamp=", 0), 0u);
  expect_signed(r);
}

TEST(BinanceFutures, BaseUrlReplacesBothHosts) {
  VenueConfig cfg;
  cfg.base_url = "http://127.0.0.1:18080/";
  cfg.recv_window = std::chrono::milliseconds(10'000);
  Fixture f(venue([](const net::HttpRequest& r) {
              return path_of(r) == "/fapi/v2/account" ? json_response(200, fx::kAccount) : json_response(200, fx::kApiRestrictions);
            }),
            cfg);
  ASSERT_TRUE(test::run(f.bf->balances(f.signer)));
  ASSERT_TRUE(test::run(f.bf->permissions(f.signer)));
  for (auto& r : f.sent()) EXPECT_EQ(r.url.rfind("http://127.0.0.1:18080/", 0), 0u) << r.url;
  EXPECT_EQ(f.sent().back().url.rfind("http://127.0.0.1:18080/sapi/v1/account/apiRestrictions?recvWindow=10000&", 0), 0u);
}

TEST(BinanceFutures, PrepareGivesTheExactSignedRequestAndSendsNothing) {
  Fixture f(venue([](auto&) { return json_response(500, ""); }));
  RequestStamp stamp{std::nullopt, 1591702613943};
  auto r = f.bf->prepare(
      Action::CreateOrder,
      {{"symbol", "BTCUSDT"}, {"side", "buy"}, {"type", "limit"}, {"amount", "1"}, {"price", "9000"}, {"client_order_id", "tb-1"}},
      &f.signer, stamp);
  ASSERT_TRUE(r) << r.error().describe();
  std::string payload =
      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=9000&newClientOrderId=tb-1&recvWindow=5000&timestamp="
      "1591702613943";
  EXPECT_EQ(r->body, payload + "&signature=" + crypto::hex(crypto::hmac_sha256(kSecret, payload)));
  EXPECT_EQ(r->url, "https://fapi.binance.com/fapi/v1/order");
  EXPECT_EQ(r->method, "POST");
  // Same stamp, same bytes.
  auto again = f.bf->prepare(Action::CreateOrder,
                             {{"symbol", "BTCUSDT"}, {"side", "buy"}, {"amount", "1"}, {"price", "9000"}, {"client_order_id", "tb-1"}},
                             &f.signer, stamp);
  EXPECT_EQ(again->body, r->body);

  auto no_key = f.bf->prepare(Action::Balances, {}, nullptr, stamp);
  ASSERT_FALSE(no_key);
  EXPECT_EQ(no_key.error().kind, ErrorKind::InvalidArgument);
  // The venue names what is missing; the command line's flags are app/'s words (tests/cli/dry_run.test.mjs).
  EXPECT_NE(no_key.error().message.find("needs an API key and its secret"), std::string::npos);
  EXPECT_EQ(no_key.error().message.find("--key"), std::string::npos);

  auto fetch = f.bf->prepare(Action::FetchOrder, {{"client_order_id", "tb-1"}}, &f.signer, stamp);
  ASSERT_FALSE(fetch);
  EXPECT_NE(fetch.error().message.find("'symbol'"), std::string::npos);
  auto bad_cid = f.bf->prepare(Action::CreateOrder,
                               {{"symbol", "BTCUSDT"}, {"side", "buy"}, {"amount", "1"}, {"price", "1"}, {"client_order_id", "a b"}},
                               &f.signer, stamp);
  ASSERT_FALSE(bad_cid);
  EXPECT_NE(bad_cid.error().message.find("client_order_id"), std::string::npos);

  auto ticker = f.bf->prepare(Action::Ticker, {{"symbol", "BTCUSDT"}}, nullptr, {});
  ASSERT_TRUE(ticker);
  EXPECT_EQ(ticker->url, "https://fapi.binance.com/fapi/v1/ticker/24hr?symbol=BTCUSDT");
  EXPECT_TRUE(ticker->headers.empty());
  auto perms = f.bf->prepare(Action::Permissions, {}, &f.signer, stamp);
  ASSERT_TRUE(perms);
  EXPECT_EQ(
      perms->url.rfind("https://api.binance.com/sapi/v1/account/apiRestrictions?recvWindow=5000&timestamp=1591702613943&signature=", 0),
      0u);
  EXPECT_TRUE(f.sent().empty());
}

TEST(BinanceFutures, TimestampRejectedResyncsAndSendsAgainOnce) {
  int order_calls = 0;
  Fixture f(venue([&](const net::HttpRequest&) {
    return ++order_calls == 1 ? error_json(400, -1021, "Timestamp for this request is outside of the recvWindow.")
                              : json_response(200, fx::kNewLimitOrder);
  }));
  auto o = test::run(f.bf->create_order(f.signer, limit_buy()));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(f.sent_to("/fapi/v1/order").size(), 2u);
  EXPECT_EQ(f.sent_to("/fapi/v1/time").size(), 2u);

  Fixture always(venue([](auto&) { return error_json(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time."); }));
  auto e = test::run(always.bf->create_order(always.signer, limit_buy()));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::InvalidNonce);
  EXPECT_FALSE(e.error().outcome_unknown);                 // the venue refused it
  EXPECT_EQ(always.sent_to("/fapi/v1/order").size(), 2u);  // once more, never a loop
}

TEST(BinanceFutures, BrokenAnswersBecomeClearErrors) {
  struct Case {
    net::HttpResponse response;
    ErrorKind kind;
    size_t requests;  // reads retry what is transient (max_attempts = 3)
  };
  std::vector<Case> cases = {
      {json_response(200, R"({"symbols": [{"symbol":)"), ErrorKind::BadResponse, 1},  // truncated
      {json_response(200, "not json at all"), ErrorKind::BadResponse, 1},
      {net::HttpResponse{502, {{"Content-Type", "text/html"}}, "<html><h1>502 Bad Gateway</h1></html>"}, ErrorKind::ExchangeUnavailable, 3},
      {net::HttpResponse{504, {}, ""}, ErrorKind::ExchangeUnavailable, 3},
      {error_json(400, -1121, "Invalid symbol."), ErrorKind::InvalidArgument, 1},
  };
  for (auto& c : cases) {
    Fixture f(venue([&](auto&) { return c.response; }));
    auto m = test::run(f.bf->markets());
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().kind, c.kind) << c.response.body;
    EXPECT_EQ(f.sent().size(), c.requests) << c.response.body;
  }
}

TEST(BinanceFutures, ReadsAreRetriedAfterNetworkErrors) {
  int calls = 0;
  Fixture f(venue([&](auto&) -> Result<net::HttpResponse> {
    if (++calls < 3) return network_error();
    return json_response(200, fx::kTicker24h);
  }));
  auto t = test::run(f.bf->ticker("BTCUSDT"));
  ASSERT_TRUE(t);
  EXPECT_EQ(calls, 3);
  ASSERT_EQ(f.harness.sleeper.waits.size(), 2u);
  EXPECT_EQ(f.harness.sleeper.waits[0].count(), 250);
  EXPECT_EQ(f.harness.sleeper.waits[1].count(), 500);

  Fixture down(venue([](auto&) -> Result<net::HttpResponse> { return network_error(); }));
  auto e = test::run(down.bf->fetch_order(down.signer, OrderRef{"BTCUSDT", "1", ""}));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::NetworkError);
  EXPECT_EQ(down.sent_to("/fapi/v1/order").size(), 3u);  // a signed read is re-signed and tried 3 times
  EXPECT_EQ(down.sent_to("/fapi/v1/time").size(), 1u);
}

TEST(BinanceFutures, CreateAndCancelAreNeverSentTwice) {
  struct Case {
    Result<net::HttpResponse> response;
    ErrorKind kind;
    bool unknown;
  };
  std::vector<Case> cases = {
      {network_error(), ErrorKind::NetworkError, true},
      {net::HttpResponse{502, {{"Content-Type", "text/html"}}, "<html>502 Bad Gateway</html>"}, ErrorKind::ExchangeUnavailable, true},
      {error_json(503, -1000, "Unknown error, please check your request or try again later."), ErrorKind::ExchangeUnavailable, true},
      {json_response(200, R"({"orderId":225)"), ErrorKind::BadResponse, true},  // accepted, answer cut off
      {error_json(503, -1000, "Service Unavailable."), ErrorKind::ExchangeUnavailable, false},
      {error_json(500, -1001, "Internal error; unable to process your request. Please try again."), ErrorKind::ExchangeUnavailable, false},
      {error_json(429, -1003, "Too many requests; current limit is 2400 requests per minute."), ErrorKind::RateLimited, false},
      {error_json(400, -5022, "Due to the order could not be executed as maker, the Post Only order will be rejected."),
       ErrorKind::InvalidOrder, false},
  };
  for (auto& c : cases) {
    SCOPED_TRACE(static_cast<int>(c.kind));
    Fixture f(venue([&](auto&) { return c.response; }));
    auto o = test::run(f.bf->create_order(f.signer, limit_buy()));
    ASSERT_FALSE(o);
    EXPECT_EQ(o.error().kind, c.kind);
    EXPECT_EQ(o.error().outcome_unknown, c.unknown) << o.error().describe();
    EXPECT_EQ(f.sent_to("/fapi/v1/order").size(), 1u);
    EXPECT_EQ(o.error().describe().find(kSecret), std::string::npos);

    auto x = test::run(f.bf->cancel_order(f.signer, OrderRef{"BTCUSDT", "22542179", ""}));
    ASSERT_FALSE(x);
    EXPECT_EQ(x.error().outcome_unknown, c.unknown);
    EXPECT_EQ(f.sent_to("/fapi/v1/order").size(), 2u);
    EXPECT_TRUE(f.harness.sleeper.waits.empty());
  }
}

TEST(BinanceFutures, RateLimiterWaitsWhenTheVenueSaysTheWeightIsUsedUp) {
  Fixture f(venue([](auto&) { return json_response(200, fx::kTicker24h, {{"X-MBX-USED-WEIGHT-1M", "2400"}}); }));
  ASSERT_TRUE(test::run(f.bf->ticker("BTCUSDT")));
  EXPECT_TRUE(f.harness.sleeper.waits.empty());
  ASSERT_TRUE(test::run(f.bf->ticker("BTCUSDT")));
  ASSERT_EQ(f.harness.sleeper.waits.size(), 1u);
  EXPECT_EQ(f.harness.sleeper.waits[0].count(), 60'000 - kNow % 60'000);  // until the next minute
  EXPECT_EQ(f.sent().size(), 2u);
}

TEST(BinanceFutures, OwnBudgetIsCountedToo) {
  Fixture f(venue([](auto&) { return json_response(200, "[]"); }));
  // klines with limit 1500 weigh 10: 240 calls fill the 2400 budget, the next one waits.
  CandleQuery q{"BTCUSDT", Timeframe::M1, std::nullopt, 1500};
  for (int i = 0; i < 240; ++i) ASSERT_TRUE(test::run(f.bf->candles(q)));
  EXPECT_TRUE(f.harness.sleeper.waits.empty());
  ASSERT_TRUE(test::run(f.bf->candles(q)));
  EXPECT_EQ(f.harness.sleeper.waits.size(), 1u);
}

TEST(BinanceFutures, RateLimitedReadWaitsRetryAfter) {
  int calls = 0;
  Fixture f(venue([&](auto&) {
    if (++calls == 1) {
      auto r = error_json(429, -1003, "Too many requests; current limit is 2400 requests per minute.");
      r.headers.push_back({"Retry-After", "2"});
      return r;
    }
    return json_response(200, fx::kTicker24h);
  }));
  ASSERT_TRUE(test::run(f.bf->ticker("BTCUSDT")));
  EXPECT_EQ(calls, 2);
  ASSERT_EQ(f.harness.sleeper.waits.size(), 1u);
  EXPECT_EQ(f.harness.sleeper.waits[0].count(), 2000);
}

TEST(BinanceFutures, AnIpBanIsNotWaitedOutAndSaysUntilWhen) {
  Fixture f(venue([](auto&) {
    return error_json(418, -1003,
                      "Way too many requests; IP banned until " + std::to_string(kNow + 120'000) +
                          ". Please use the websocket for live updates to avoid bans.");
  }));
  auto e = test::run(f.bf->ticker("BTCUSDT"));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::RateLimited);
  ASSERT_TRUE(e.error().retry_after);
  EXPECT_EQ(e.error().retry_after->count(), 120'000);
  EXPECT_EQ(f.sent().size(), 1u);  // two minutes is too long to wait inside one call
  EXPECT_TRUE(f.harness.sleeper.waits.empty());
}

TEST(BinanceFutures, InvalidKeyIsNotRetriedAndKeepsItsCode) {
  Fixture f(venue([](auto&) { return error_json(401, -2015, "Invalid API-key, IP, or permissions for action, request ip: 203.0.113.7"); }));
  auto e = test::run(f.bf->balances(f.signer));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, ErrorKind::InvalidKey);
  EXPECT_EQ(e.error().venue_code, "-2015");
  EXPECT_EQ(f.sent_to("/fapi/v2/account").size(), 1u);
  nlohmann::json j = e.error();
  EXPECT_EQ(j.dump().find(kSecret), std::string::npos);
}

}  // namespace
}  // namespace tb::venues
