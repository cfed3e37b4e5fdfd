// Hand-signed requests straight to the simulated Binance: headers, answer shapes, limits, ccxt's extra
// endpoints, garbage.
#include <gtest/gtest.h>

#include <random>

#include "sim_fixture.hpp"

namespace tb::exsim::bf_test {
namespace {

// --- raw protocol details --------------------------------------------------------------------------------

TEST(BinanceSimRaw, HeadersOnEveryAnswerAndOrderCounts) {
  Sim s;
  auto k = s.trading_key();
  ASSERT_TRUE(s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());
  auto t = s.raw("GET", "/fapi/v1/time", "");
  ASSERT_NE(t.header("X-MBX-USED-WEIGHT-1M"), nullptr);
  EXPECT_EQ(*t.header("X-MBX-USED-WEIGHT-1M"), "1");
  std::string body = s.signed_query(k, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=30000.0&" + s.ts());
  auto order = s.raw("POST", "/fapi/v1/order", "", &k, body);
  ASSERT_EQ(order.status, 200) << order.body;
  EXPECT_EQ(*order.header("X-MBX-ORDER-COUNT-1M"), "1");
  EXPECT_EQ(*order.header("X-MBX-ORDER-COUNT-10S"), "1");
  auto j = body_of(order);
  EXPECT_EQ(j["status"], "NEW");
  EXPECT_EQ(j["price"], "30000.0");
  EXPECT_EQ(j["origQty"], "0.010");
  EXPECT_EQ(j["positionSide"], "BOTH");
  EXPECT_FALSE(j.contains("code"));  // ccxt reads an order with a code as rejected
  EXPECT_TRUE(j["orderId"].is_number_integer());
}

TEST(BinanceSimRaw, OrderWrittenDirectlyEqualsTheJsonTree) {
  Sim s;
  auto k = s.trading_key();
  ASSERT_TRUE(s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());
  auto limit = s.raw(
      "POST", "/fapi/v1/order", "", &k,
      s.signed_query(k, "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTX&quantity=0.010&price=61000.0&reduceOnly=false&" + s.ts()));
  ASSERT_EQ(limit.status, 200) << limit.body;
  s.raw("POST", "/fapi/v1/order", "", &k, s.signed_query(k, "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010&" + s.ts()));
  auto market = *s.exchange.market("binance_futures", "BTCUSDT");
  for (auto& o : s.exchange.orders(k.key))
    for (auto view : {binance_futures::OrderView::Ack, binance_futures::OrderView::Result, binance_futures::OrderView::Query})
      EXPECT_EQ(binance_futures::order_text(o, market, view), binance_futures::order_json(o, market, view).dump());
  SimOrder odd;
  odd.symbol = "BTCUSDT";
  odd.client_order_id = "quote\"back\\slash\x01";
  odd.amount = *Decimal::parse("1");
  EXPECT_EQ(binance_futures::order_text(odd, market, binance_futures::OrderView::Query),
            binance_futures::order_json(odd, market, binance_futures::OrderView::Query).dump());
}

TEST(BinanceSimRaw, AckShowsTheOrderAsAcceptedResultShowsTheFill) {
  Sim s;
  auto k = s.trading_key();
  ASSERT_TRUE(s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());
  auto ack = s.raw("POST", "/fapi/v1/order", "", &k, s.signed_query(k, "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010&" + s.ts()));
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(body_of(ack)["status"], "NEW");
  EXPECT_EQ(body_of(ack)["executedQty"], "0.000");
  auto result = s.raw("POST", "/fapi/v1/order", "", &k,
                      s.signed_query(k, "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.010&newOrderRespType=RESULT&" + s.ts()));
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(body_of(result)["status"], "FILLED");
  EXPECT_EQ(body_of(result)["executedQty"], "0.010");
  EXPECT_EQ(body_of(result)["avgPrice"], "60000.00000");
  auto trades = s.raw("GET", "/fapi/v1/userTrades", s.signed_query(k, "symbol=BTCUSDT&" + s.ts()), &k);
  ASSERT_EQ(trades.status, 200) << trades.body;
  auto t = body_of(trades);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0]["buyer"], true);
  EXPECT_EQ(t[1]["side"], "SELL");
  EXPECT_EQ(t[1]["qty"], "0.010");
  EXPECT_EQ(t[1]["price"], "60000.0");
  EXPECT_EQ(t[1]["maker"], false);
  EXPECT_EQ(t[1]["commissionAsset"], "USDT");
  EXPECT_GT(*Decimal::parse(t[1]["commission"].get<std::string>()), Decimal());
}

TEST(BinanceSimRaw, MissingKeyHeaderBadParamsAndUnknownPaths) {
  Sim s;
  auto k = s.trading_key();
  auto no_key = s.raw("GET", "/fapi/v2/account", s.signed_query(k, s.ts()));
  EXPECT_EQ(no_key.status, 401);
  EXPECT_EQ(body_of(no_key)["code"], -2014);
  auto no_ts = s.raw("GET", "/fapi/v2/account", s.signed_query(k, "recvWindow=5000"), &k);
  EXPECT_EQ(body_of(no_ts)["code"], -1102);
  auto no_sig = s.raw("GET", "/fapi/v2/account", s.ts(), &k);
  EXPECT_EQ(body_of(no_sig)["code"], -1102);
  auto big_window = s.raw("GET", "/fapi/v2/account", s.signed_query(k, "recvWindow=60001&" + s.ts()), &k);
  EXPECT_EQ(body_of(big_window)["code"], -1130);
  auto bad_escape = s.raw("GET", "/fapi/v1/ticker/24hr", "symbol=%zz");
  EXPECT_EQ(bad_escape.status, 400);
  EXPECT_EQ(body_of(bad_escape)["code"], -1100);
  auto missing = s.raw("GET", "/fapi/v1/klines", "symbol=BTCUSDT");
  EXPECT_EQ(body_of(missing)["code"], -1102);
  auto interval = s.raw("GET", "/fapi/v1/klines", "symbol=BTCUSDT&interval=7m");
  EXPECT_EQ(body_of(interval)["code"], -1120);
  auto unknown = s.raw("GET", "/fapi/v1/nothing", "");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_TRUE(body_of(unknown).contains("code"));
  auto garbage = s.raw("POST", "/fapi/v1/order", "", &k, std::string("\x00\xff{{[[", 6) + s.signed_query(k, s.ts()));
  EXPECT_EQ(garbage.status, 400);
  auto bad_qty = s.raw("POST", "/fapi/v1/order", "", &k,
                       s.signed_query(k, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=abc&price=1&" + s.ts()));
  EXPECT_EQ(body_of(bad_qty)["code"], -1100);
  EXPECT_TRUE(s.exchange.orders(k.key).empty());
}

TEST(BinanceSimRaw, AccountV3SkipsNothingCcxtNeeds) {
  Sim s;
  auto k = s.trading_key("1000");
  auto r = s.raw("GET", "/fapi/v3/account", s.signed_query(k, s.ts()), &k);
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = body_of(r);
  ASSERT_TRUE(j["assets"].is_array());
  bool found = false;
  for (auto& a : j["assets"])
    if (a["asset"] == "USDT") {
      found = true;
      EXPECT_EQ(a["availableBalance"], "1000.00000000");
      EXPECT_EQ(a["marginBalance"], "1000.00000000");
      EXPECT_NE(a["updateTime"], 0);  // ccxt skips assets whose updateTime is 0
    }
  EXPECT_TRUE(found);
  EXPECT_FALSE(j.contains("canTrade"));  // v3 has no account flags
  auto getall = s.raw("GET", "/sapi/v1/capital/config/getall", s.signed_query(k, s.ts()), &k);
  EXPECT_EQ(getall.status, 200);
  EXPECT_EQ(getall.body, "[]");
}

TEST(BinanceSimRaw, OrderCountLimitPerAccount) {
  Sim s;
  auto k = s.trading_key("100000000");
  ASSERT_TRUE(s.exchange.set_price("binance_futures", "BTCUSDT", *Decimal::parse("60000")).ok());
  auto place = [&] {
    return s.raw("POST", "/fapi/v1/order", "", &k,
                 s.signed_query(k, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=30000.0&" + s.ts()));
  };
  for (int i = 0; i < 300; ++i) ASSERT_EQ(place().status, 200) << i;
  auto refused = place();
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(body_of(refused)["code"], -1015);
  EXPECT_EQ(body_of(refused)["msg"], "Too many new orders; current limit is 300 orders per 10 seconds.");
  EXPECT_EQ(refused.header("X-MBX-ORDER-COUNT-10S"), nullptr);  // rejected orders carry no counts
  EXPECT_EQ(s.exchange.orders(k.key).size(), 300u);
  auto other = s.trading_key();  // counted per account
  auto theirs = s.raw("POST", "/fapi/v1/order", "", &other,
                      s.signed_query(other, "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=30000.0&" + s.ts()));
  EXPECT_EQ(theirs.status, 200);
}

TEST(BinanceSimRaw, CcxtBootstrapAndPositionEndpoints) {
  Sim s;
  auto k = s.trading_key();
  auto pairs = s.raw("GET", "/sapi/v1/margin/allPairs", "", &k);  // MARKET_DATA: the key, no signature
  EXPECT_EQ(pairs.status, 200);
  ASSERT_NE(pairs.header("X-SAPI-USED-IP-WEIGHT-1M"), nullptr);
  EXPECT_EQ(s.raw("GET", "/sapi/v1/margin/allPairs", "").status, 401);
  auto brackets = s.raw("GET", "/fapi/v1/leverageBracket", s.signed_query(k, "symbol=BTCUSDT&" + s.ts()), &k);
  ASSERT_EQ(brackets.status, 200) << brackets.body;
  EXPECT_EQ(body_of(brackets)["brackets"][0]["initialLeverage"], 10);
  auto risk = s.raw("GET", "/fapi/v2/positionRisk", s.signed_query(k, "symbol=ETHUSDT&" + s.ts()), &k);
  ASSERT_EQ(risk.status, 200) << risk.body;
  ASSERT_EQ(body_of(risk).size(), 1u);
  EXPECT_EQ(body_of(risk)[0]["positionAmt"], "0.000");
  auto info = body_of(s.raw("GET", "/fapi/v1/exchangeInfo", ""));
  EXPECT_EQ(info["symbols"][0]["orderTypes"], nlohmann::json::array({"LIMIT", "MARKET"}));
}

// Random bytes in every part of a request, signed and unsigned: always the venue's JSON error or a normal
// answer, never a crash or an exception.
TEST(BinanceSimRaw, GarbageGetsTheVenuesAnswers) {
  Sim s;
  auto k = s.trading_key();
  std::mt19937 rng(7);
  auto junk = [&](size_t max) {
    std::string out(rng() % max, '\0');
    for (auto& c : out) c = static_cast<char>(rng() % 256);
    return out;
  };
  const std::vector<std::string> paths = {"/fapi/v1/order",       "/fapi/v1/klines",     "/fapi/v2/account",
                                          "/fapi/v1/ticker/24hr", "/fapi/v1/openOrders", "/sapi/v1/account/apiRestrictions",
                                          "/fapi/v1/allOrders"};
  const std::vector<std::string> pieces = {"symbol=BTCUSDT",
                                           "side=BUY",
                                           "type=LIMIT",
                                           "type=MARKET",
                                           "quantity=-1",
                                           "quantity=1e400",
                                           "price=0.00000000000000000001",
                                           "timeInForce=GTX",
                                           "orderId=99999999999999999999",
                                           "limit=0",
                                           "interval=1m",
                                           "startTime=-5",
                                           "recvWindow=abc",
                                           "reduceOnly=maybe",
                                           "%",
                                           "=",
                                           "&&",
                                           "newClientOrderId=" + std::string(40, 'a')};
  for (int i = 0; i < 1500; ++i) {
    std::string params;
    for (int n = static_cast<int>(rng() % 6); n > 0; --n) params += pieces[rng() % pieces.size()] + "&";
    if (rng() % 3 == 0) params += junk(40) + "&";
    std::string method = std::vector<std::string>{"GET", "POST", "DELETE", "PUT"}[rng() % 4];
    std::string signed_params = s.signed_query(k, params + s.ts());
    bool in_body = method == "POST" && rng() % 2;
    auto r = s.raw(method, rng() % 10 == 0 ? "/fapi/" + junk(20) : paths[rng() % paths.size()], in_body ? "" : signed_params,
                   rng() % 4 ? &k : nullptr, in_body ? signed_params : junk(8));
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.status << " " << r.body;
    if (r.status != 200) {
      ASSERT_TRUE(j.is_object() && j.contains("code") && j.contains("msg")) << r.body;
      EXPECT_LT(r.status, 500) << r.body;
    }
  }
}

TEST(BinanceSimRaw, EndpointNamesAndFaultAnswers) {
  Sim s;
  EXPECT_EQ(s.sim->endpoint("/fapi/v1/order"), "order");
  EXPECT_EQ(s.sim->endpoint("/fapi/v1/ticker/24hr"), "ticker/24hr");
  EXPECT_EQ(s.sim->endpoint("/sapi/v1/account/apiRestrictions"), "account/apiRestrictions");
  EXPECT_TRUE(s.sim->owns("/fapi/v3/account"));
  EXPECT_TRUE(s.sim->owns("/sapi/v1/capital/config/getall"));
  EXPECT_FALSE(s.sim->owns("/0/public/Time"));
  auto limited = s.sim->rate_limited();
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(body_of(limited)["code"], -1003);
  ASSERT_NE(limited.header("Retry-After"), nullptr);
  auto e = venues::binance_futures::map_error(s.sim->maintenance());
  EXPECT_EQ(e.kind, ErrorKind::ExchangeUnavailable);
  EXPECT_EQ(s.sim->maintenance().status, 503);
}

}  // namespace
}  // namespace tb::exsim::bf_test
