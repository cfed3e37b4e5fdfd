// Venue JSON -> core types, on the documented shapes; decimals keep the venue's digits.
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "venues/binance_futures/parse.hpp"
#include "venues/binance_futures/symbols.hpp"
#include "venues/same_order.hpp"

namespace tb::venues::binance_futures {
namespace {

json J(const char* text) { return json::parse(text); }

TEST(BinanceParse, MarketsWithTheirRules) {
  auto markets = parse_markets(J(fixtures::kExchangeInfo));
  ASSERT_TRUE(markets) << markets.error().describe();
  ASSERT_EQ(markets->size(), 2u);  // the quarterly contract is left out
  const Market& btc = (*markets)[0];
  EXPECT_EQ(btc.id, "BTCUSDT");
  EXPECT_EQ(btc.symbol, "BTC/USDT:USDT");
  EXPECT_EQ(btc.settle, "USDT");
  EXPECT_EQ(btc.kind, MarketKind::Perpetual);
  EXPECT_TRUE(btc.active);
  EXPECT_EQ(btc.tick_size.to_string(), "0.10");
  EXPECT_EQ(btc.step_size.to_string(), "0.001");
  EXPECT_EQ(btc.min_qty.to_string(), "0.001");
  ASSERT_TRUE(btc.max_qty);
  EXPECT_EQ(btc.max_qty->to_string(), "1000");
  EXPECT_EQ(btc.min_notional.to_string(), "100");
  const Market& pepe = (*markets)[1];
  EXPECT_EQ(pepe.symbol, "1000PEPE/USDT:USDT");
  EXPECT_FALSE(pepe.active);
  EXPECT_EQ(pepe.tick_size.to_string(), "0.0000001");
}

TEST(BinanceParse, MalformedFilterIsABadResponse) {
  auto j = J(fixtures::kExchangeInfo);
  j["symbols"][0]["filters"][0]["tickSize"] = "ten cents";
  auto r = parse_markets(j);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
  EXPECT_NE(r.error().message.find("tickSize"), std::string::npos);
  EXPECT_FALSE(parse_markets(J(R"({"symbols": 5})")));
}

// Found by the fuzzer (tests/fuzz/venue_binance_futures.cpp): a negative size or market rule was read as
// given, and a negative amount or minimum would size an order wrongly.
TEST(BinanceParse, NegativeSizesAndRulesAreMalformed) {
  for (auto [filter, field] : {std::pair{0, "tickSize"}, {1, "stepSize"}, {1, "minQty"}, {5, "notional"}}) {
    auto j = J(fixtures::kExchangeInfo);
    ASSERT_EQ(j["symbols"][0]["filters"][filter].count(field), 1u) << field;
    j["symbols"][0]["filters"][filter][field] = "-0.1";
    auto r = parse_markets(j);
    ASSERT_FALSE(r) << field;
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
    EXPECT_NE(r.error().message.find(field), std::string::npos) << r.error().message;
  }
  for (auto field : {"origQty", "executedQty"}) {
    auto j = J(fixtures::kFilledMarketOrder);
    j[field] = "-0.010";
    auto o = parse_order(j);
    ASSERT_FALSE(o) << field;
    EXPECT_NE(o.error().message.find(field), std::string::npos) << o.error().message;
  }
}

TEST(BinanceParse, TickerBothShapes) {
  auto t = parse_ticker(J(fixtures::kTicker24h));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->last.to_string(), "4.00000200");
  EXPECT_EQ(t->time_ms, 1499869899040);
  auto p = parse_ticker(J(R"({"symbol":"BTCUSDT","price":"6000.01","time":1589437530011})"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->last.to_string(), "6000.01");
  EXPECT_EQ(p->time_ms, 1589437530011);
}

TEST(BinanceParse, CandleRows) {
  auto c = parse_candles(J(fixtures::kKlines));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].open_time_ms, 1699999200000);
  EXPECT_EQ((*c)[0].open.to_string(), "36500.10");
  EXPECT_EQ((*c)[0].close.to_string(), "36600.50");
  EXPECT_EQ((*c)[1].volume.to_string(), "890.001");
  EXPECT_FALSE(parse_candles(J(R"([[1,"1","2"]])")));
}

TEST(BinanceParse, AccountBalancesAndOpenPositions) {
  auto p = parse_account(J(fixtures::kAccount));
  ASSERT_TRUE(p) << p.error().describe();
  ASSERT_EQ(p->balances.size(), 1u);  // the empty BNB row is dropped
  EXPECT_EQ(p->balances[0].asset, "USDT");
  EXPECT_EQ(p->balances[0].total.to_string(), "127.70416206");
  EXPECT_EQ(p->balances[0].free.to_string(), "126.72469206");
  EXPECT_EQ(p->balances[0].used.to_string(), "0.33683000");
  ASSERT_EQ(p->positions.size(), 1u);  // zero positionAmt is no position
  EXPECT_EQ(p->positions[0].symbol, "BTCUSDT");
  EXPECT_EQ(p->positions[0].amount.to_string(), "-0.001");
  EXPECT_EQ(p->positions[0].entry_price.to_string(), "36500.1");
  EXPECT_EQ(p->positions[0].leverage->to_string(), "100");
}

TEST(BinanceParse, Orders) {
  auto o = parse_order(J(fixtures::kFilledMarketOrder));
  ASSERT_TRUE(o);
  EXPECT_EQ(o->id, "9007199254740993");  // above 2^53: kept exact
  EXPECT_EQ(o->type, OrderType::Market);
  EXPECT_EQ(o->status, OrderStatus::Filled);
  EXPECT_FALSE(o->price);
  EXPECT_EQ(o->average_price->to_string(), "36601.20000");
  EXPECT_EQ(o->filled.to_string(), "0.010");
  auto limit = parse_order(J(fixtures::kNewLimitOrder));
  ASSERT_TRUE(limit);
  EXPECT_TRUE(limit->post_only);
  EXPECT_TRUE(limit->reduce_only);
  EXPECT_FALSE(limit->average_price);
  EXPECT_EQ(limit->venue_status, "NEW");
  auto bad = J(fixtures::kNewLimitOrder);
  bad["status"] = "WEIRD";
  EXPECT_FALSE(parse_order(bad));
}

// An order answer read in place (parse_order_body) gives what its document gives, and what is not a flat
// object of plain values takes the document path: the same Order, or the same error, either way.
TEST(BinanceParse, AnOrderAnswerReadInPlaceIsReadAsItsDocument) {
  const std::string filled = fixtures::kFilledMarketOrder, limit = fixtures::kNewLimitOrder;
  auto with = [](std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  const std::vector<std::string> answers = {
      filled,
      limit,
      "  \n" + limit + "\r\n ",
      with(filled, R"("avgPrice":"36601.20000")", R"("avgPrice":36601.2)"),               // a number with a fraction
      with(filled, R"("origQty":"0.010")", R"("origQty":1e-2)"),                          // ... and an exponent
      with(filled, R"("executedQty":"0.010")", R"("executedQty":18446744073709551616)"),  // beyond 64 bits: a double
      with(filled, R"("executedQty":"0.010")", R"("executedQty":-3)"),
      with(filled, R"("executedQty":"0.010")", R"("executedQty":null)"),
      with(limit, R"("reduceOnly":true)", R"("reduceOnly":"false")"),
      with(limit, R"("updateTime":1700000000100)", R"("updateTime":"1700000000100","updateTime":7)"),  // the last one
      with(limit, R"("orderId":22542179)", R"("orderId":"22542179")"),
      with(limit, R"("orderId":22542179)", R"("orderId":-0)"),
      with(limit, R"("orderId":22542179)", R"("orderId":2.5)"),
      with(limit, R"("clientOrderId":"tb-key-test-1")", R"("clientOrderId":"tb-key\u002dtest-1")"),  // escaped: the document
      with(limit, R"("clientOrderId":"tb-key-test-1")", "\"clientOrderId\":\"tb-k\xc3\xa9y\""),      // not ASCII: the document
      with(limit, R"("stopPrice":"0")", R"("stopPrice":{"a":1})"),                                   // nested: the document
      with(limit, R"("status":"NEW")", R"("status":"WEIRD")"),
      with(limit, R"("side":"BUY",)", ""),
      R"({})",
      R"([])",
      R"({"orderId":1,)",
      R"({"orderId":01})",
      "<html>502 Bad Gateway</html>",
      "",
  };
  for (const auto& text : answers) {
    SCOPED_TRACE(text);
    auto doc = parse_json_body(text, 200);
    auto by_document = doc ? parse_order(*doc) : Result<Order>(doc.error());
    test::expect_same_order(parse_order_body(text, 200), by_document);
  }
  EXPECT_EQ(parse_order_body(limit, 200)->updated_ms, 1700000000100);
}

// userTrades rows (exchanges.md §2.9): the commission of each fill, exact; order answers carry none.
TEST(BinanceParse, UserTradesCarryTheCommission) {
  auto trades = parse_trades(J(R"([
    {"buyer":false,"commission":"-0.07819010","commissionAsset":"USDT","id":698759,"maker":false,"orderId":25851813,
     "price":"7819.01","qty":"0.002","quoteQty":"15.63802","realizedPnl":"-0.91539999","side":"SELL","positionSide":"SHORT",
     "symbol":"BTCUSDT","time":1569514978020},
    {"buyer":false,"commission":"0.00625520","commissionAsset":"USDT","id":698760,"maker":true,"orderId":25851813,
     "price":"7819.00","qty":"0.004","quoteQty":"31.276","realizedPnl":"0","side":"SELL","positionSide":"SHORT",
     "symbol":"BTCUSDT","time":1569514978021}])"));
  ASSERT_TRUE(trades) << trades.error().describe();
  ASSERT_EQ(trades->size(), 2u);
  const Trade& t = trades->front();
  EXPECT_EQ(t.id, "698759");
  EXPECT_EQ(t.order_id, "25851813");
  EXPECT_EQ(t.side, Side::Sell);
  EXPECT_EQ(t.price.to_string(), "7819.01");
  EXPECT_EQ(t.amount.to_string(), "0.002");
  EXPECT_EQ(t.fee.to_string(), "-0.07819010");  // a rebate, as the venue writes it
  EXPECT_EQ(t.fee_asset, "USDT");
  EXPECT_EQ(t.maker, false);
  EXPECT_EQ(t.time_ms, 1569514978020);
  auto total = total_fee(*trades);
  ASSERT_TRUE(total);
  EXPECT_EQ(total->amount.to_string(), "-0.0719349");
  EXPECT_EQ(total->asset, "USDT");
  auto bad = J(R"([{"id":1,"orderId":2,"symbol":"BTCUSDT","side":"BUY","price":"1","qty":"1","commissionAsset":"USDT"}])");
  EXPECT_FALSE(parse_trades(bad));  // no commission: not a fill we can account for
  EXPECT_FALSE(parse_trades(J("{}")));
}

TEST(BinanceParse, KeyPermissions) {
  auto k = parse_permissions(J(fixtures::kApiRestrictions));
  ASSERT_TRUE(k);
  EXPECT_EQ(k->can_withdraw, false);
  EXPECT_EQ(k->can_trade_futures, true);
  EXPECT_EQ(k->can_read, true);
  EXPECT_EQ(k->ip_restricted, false);
  EXPECT_EQ(k->trading_expires_ms, 1702252800000);
  EXPECT_NE(std::find(k->venue_permissions.begin(), k->venue_permissions.end(), "enableFutures"), k->venue_permissions.end());
  EXPECT_FALSE(parse_permissions(J(R"({"enableReading":true})")));
}

TEST(BinanceSymbols, IdsAndClientOrderIds) {
  EXPECT_EQ(market_id("BTCUSDT"), "BTCUSDT");
  EXPECT_EQ(market_id("BTC/USDT:USDT"), "BTCUSDT");
  EXPECT_FALSE(market_id("BTC USDT"));
  EXPECT_FALSE(market_id(""));
  EXPECT_TRUE(valid_client_order_id("x-xcKtGhcu.A:b/c_d-9"));
  EXPECT_TRUE(valid_client_order_id(std::string(36, 'a')));
  EXPECT_FALSE(valid_client_order_id(std::string(37, 'a')));
  EXPECT_FALSE(valid_client_order_id(""));
  EXPECT_FALSE(valid_client_order_id("has space"));
  EXPECT_FALSE(valid_client_order_id("ümlaut"));
}

}  // namespace
}  // namespace tb::venues::binance_futures
