// Venue JSON -> core types with the documented shapes (exchanges.md §4.7–§4.9), names and dates.
#include <gtest/gtest.h>

#include "venues/bitfinex/dates.hpp"
#include "venues/bitfinex/parse.hpp"
#include "venues/bitfinex/requests.hpp"
#include "venues/bitfinex/symbols.hpp"

namespace tb::venues::bitfinex {
namespace {

// The documented 32-field order array.
const char* kOrderRow =
    R"J([1234,null,12345,"tBTCUSD",1700000000000,1700000001000,0.0006,0.001,"EXCHANGE LIMIT",null,null,null,4096,)J"
    R"J("PARTIALLY FILLED @ 30000.0(0.0004)",null,null,30000,30000,0,0,null,null,null,0,0,null,null,null,"API>BFX",null,null,{"$F7":1}])J";

TEST(BitfinexParse, Markets) {
  auto body = json::parse(R"([[["BTCUSD",[null,null,null,"0.00006","2000.0",null,null,null,0.2,0.1]],
                               ["AAVE:UST",[null,null,null,"0.02","5000.0",null,null,null,null,null]],
                               ["BTCF0:USTF0",[null,null,null,"0.0002","100.0",null,null,null,0.01,0.005]]]])");
  auto m = parse_markets(body);
  ASSERT_TRUE(m) << m.error().describe();
  ASSERT_EQ(m->size(), 3u);
  const Market& btc = (*m)[0];
  EXPECT_EQ(btc.id, "tBTCUSD");
  EXPECT_EQ(btc.symbol, "BTC/USD");
  EXPECT_EQ(btc.kind, MarketKind::Spot);
  EXPECT_EQ(btc.min_qty.to_string(), "0.00006");
  ASSERT_TRUE(btc.max_qty);
  EXPECT_EQ(btc.max_qty->to_string(), "2000.0");
  EXPECT_EQ(btc.step_size.to_string(), "0.00000001");
  EXPECT_TRUE(btc.tick_size.is_zero());
  EXPECT_EQ(btc.price_significant_digits, 5);
  EXPECT_EQ((*m)[1].id, "tAAVE:UST");
  EXPECT_EQ((*m)[1].symbol, "AAVE/USDT");
  EXPECT_EQ((*m)[1].quote, "USDT");
  EXPECT_EQ((*m)[2].symbol, "BTC/USDT:USDT");
  EXPECT_EQ((*m)[2].kind, MarketKind::Perpetual);
  EXPECT_FALSE(parse_markets(json::parse(R"({"x":1})")));
}

// Found by the fuzzer (tests/fuzz/venue_bitfinex.cpp): a negative minimum order size was read as given.
TEST(BitfinexParse, ANegativeMinimumOrderSizeIsMalformed) {
  auto m = parse_markets(json::parse(R"([[["BTCUSD",[null,null,null,"-0.00006","2000.0",null,null,null,0.2,0.1]]]])"));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().kind, ErrorKind::BadResponse);
  EXPECT_NE(m.error().message.find("minimum order size"), std::string::npos) << m.error().message;
}

TEST(BitfinexParse, Ticker) {
  auto t = parse_ticker(json::parse("[29999.5,12.5,30000.5,3.25,-150,-0.0049,30000.1,1234.56789,30500,29500]"), "tBTCUSD", 42);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->last.to_string(), "30000.1");
  EXPECT_EQ(t->bid->to_string(), "29999.5");
  EXPECT_EQ(t->ask->to_string(), "30000.5");
  EXPECT_EQ(t->symbol, "tBTCUSD");
  EXPECT_EQ(t->time_ms, 42);
  EXPECT_FALSE(parse_ticker(json::parse("[1,2,3]"), "tBTCUSD", 0));
}

TEST(BitfinexParse, CandlesReorderCloseAndSortOldestFirst) {
  // [MTS, OPEN, CLOSE, HIGH, LOW, VOLUME], newest first as the venue's default sort gives them.
  auto c = parse_candles(json::parse("[[1700000060000,2,3,4,1,0.5],[1700000000000,10,20,30,5,1.25]]"));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].open_time_ms, 1700000000000);
  EXPECT_EQ((*c)[0].open.to_string(), "10");
  EXPECT_EQ((*c)[0].close.to_string(), "20");
  EXPECT_EQ((*c)[0].high.to_string(), "30");
  EXPECT_EQ((*c)[0].low.to_string(), "5");
  EXPECT_EQ((*c)[0].volume.to_string(), "1.25");
  EXPECT_FALSE(parse_candles(json::parse("[[1,2,3]]")));
}

TEST(BitfinexParse, WalletsExchangeOnlyAndNullAvailable) {
  auto p = parse_wallets(json::parse(
      R"([["exchange","UST",19788.6529257,0,19788.6529257,null,null],["exchange","BTC",0.5,0,0.4,"Exchange 0.1 BTC for UST @ 30000.0",{"x":1}],)"
      R"(["margin","USD",100,0,100,null,null],["exchange","ETH",2.5,0,null,null,null]])"));
  ASSERT_TRUE(p) << p.error().describe();
  ASSERT_EQ(p->balances.size(), 3u);
  EXPECT_EQ(p->balances[0].asset, "USDT");
  EXPECT_EQ(p->balances[0].total.to_string(), "19788.6529257");
  EXPECT_EQ(p->balances[1].asset, "BTC");
  EXPECT_EQ(p->balances[1].free.to_string(), "0.4");
  EXPECT_EQ(p->balances[1].used.to_string(), "0.1");
  EXPECT_EQ(p->balances[2].asset, "ETH");
  EXPECT_EQ(p->balances[2].free.to_string(), "2.5");  // null available: taken as the total
  EXPECT_TRUE(p->balances[2].used.is_zero());
  EXPECT_TRUE(p->positions.empty());
}

TEST(BitfinexParse, OrderArray) {
  auto o = parse_order(json::parse(kOrderRow));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->id, "1234");
  EXPECT_EQ(o->client_order_id, "12345");
  EXPECT_EQ(o->symbol, "tBTCUSD");
  EXPECT_EQ(o->side, Side::Buy);
  EXPECT_EQ(o->type, OrderType::Limit);
  EXPECT_EQ(o->status, OrderStatus::PartiallyFilled);
  EXPECT_EQ(o->amount.to_string(), "0.001");
  EXPECT_EQ(o->filled.to_plain_string(), "0.0004");
  EXPECT_EQ(o->price->to_string(), "30000");
  EXPECT_EQ(o->average_price->to_string(), "30000");
  EXPECT_TRUE(o->post_only);
  EXPECT_FALSE(o->reduce_only);
  EXPECT_EQ(o->created_ms, 1700000000000);
  EXPECT_EQ(o->updated_ms, 1700000001000);
  EXPECT_EQ(o->venue_status, "PARTIALLY FILLED @ 30000.0(0.0004)");
}

TEST(BitfinexParse, OrderStatuses) {
  EXPECT_EQ(status_of("ACTIVE"), OrderStatus::New);
  EXPECT_EQ(status_of("EXECUTED @ 107.6(-0.2)"), OrderStatus::Filled);
  EXPECT_EQ(status_of("PARTIALLY FILLED @ 107.6(-0.1)"), OrderStatus::PartiallyFilled);
  EXPECT_EQ(status_of("CANCELED"), OrderStatus::Canceled);
  EXPECT_EQ(status_of("CANCELED was: PARTIALLY FILLED @ 1(1)"), OrderStatus::Canceled);
  EXPECT_EQ(status_of("INSUFFICIENT MARGIN was: PARTIALLY FILLED @ 1(1)"), OrderStatus::Canceled);
  EXPECT_EQ(status_of("POSTONLY CANCELED"), OrderStatus::Canceled);
  EXPECT_EQ(status_of("IOC CANCELED"), OrderStatus::Canceled);
  EXPECT_EQ(status_of("FILLORKILL CANCELED"), OrderStatus::Canceled);
  EXPECT_EQ(status_of("RSN_DUST"), OrderStatus::Rejected);
  EXPECT_EQ(status_of("RSN_PAUSE"), OrderStatus::Rejected);
}

TEST(BitfinexParse, NotificationFailureIsAnError) {
  auto body = json::parse(
      R"([1700000000000,"on-req",null,null,[],null,"ERROR","Invalid order: not enough exchange balance for 0.01 BTCUSD at 10000"])");
  auto o = parse_order_notification(body, "on-req");
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().kind, ErrorKind::InsufficientFunds);
  EXPECT_EQ(o.error().venue_code, "ERROR");
  auto wrong_type =
      parse_order_notification(json::parse(std::string(R"([1,"oc-req",null,null,)") + kOrderRow + R"(,null,"SUCCESS","x"])"), "on-req");
  ASSERT_FALSE(wrong_type);
  EXPECT_EQ(wrong_type.error().kind, ErrorKind::BadResponse);
}

// auth/r/order/{SYMBOL}:{ID}/trades rows: the venue writes a charged fee as negative; Trade::fee is paid.
TEST(BitfinexParse, OrderTradesCarryTheFee) {
  auto trades = parse_trades(json::parse(R"([
    [402088407,"tBTCUSD",1574963975602,34938060782,-0.2,7500.5,"EXCHANGE LIMIT",7500.5,1,-3.0002,"USD",1574963975000],
    [402088408,"tBTCUSD",1574963975700,34938060782,-0.1,7500.5,"EXCHANGE LIMIT",7500.5,-1,-1.50010,"UST",null]])"));
  ASSERT_TRUE(trades) << trades.error().describe();
  ASSERT_EQ(trades->size(), 2u);
  const Trade& t = trades->front();
  EXPECT_EQ(t.id, "402088407");
  EXPECT_EQ(t.order_id, "34938060782");
  EXPECT_EQ(t.symbol, "tBTCUSD");
  EXPECT_EQ(t.side, Side::Sell);
  EXPECT_EQ(t.amount.to_string(), "0.2");
  EXPECT_EQ(t.price.to_string(), "7500.5");
  EXPECT_EQ(t.fee.to_string(), "3.0002");
  EXPECT_EQ(t.fee_asset, "USD");
  EXPECT_EQ(t.maker, true);
  EXPECT_EQ((*trades)[1].maker, false);
  EXPECT_EQ((*trades)[1].fee_asset, "USDT");  // the venue's UST
  EXPECT_FALSE(total_fee(*trades));           // two assets: no single total
  EXPECT_FALSE(parse_trades(json::parse(R"([[1,"tBTCUSD",1,2,0.1,7500,"EXCHANGE LIMIT",7500,1,null,"USD"]])")));
  EXPECT_FALSE(parse_trades(json::parse(R"({"a":1})")));
}

TEST(BitfinexParse, Permissions) {
  auto k = parse_permissions(json::parse(
      R"([["account",1,0],["history",1,0],["orders",1,1],["positions",1,0],["funding",1,0],["settings",1,0],["wallets",1,0],["withdraw",0,0],["ui_withdraw",0,0],["bfxpay",0,0]])"));
  ASSERT_TRUE(k);
  EXPECT_EQ(k->can_read, true);
  EXPECT_EQ(k->can_trade, true);
  EXPECT_EQ(k->can_withdraw, false);
  EXPECT_NE(std::find(k->venue_permissions.begin(), k->venue_permissions.end(), "orders:write"), k->venue_permissions.end());
  auto w = parse_permissions(json::parse(R"([["account",1,0],["orders",1,0],["wallets",1,0],["withdraw",1,1]])"));
  ASSERT_TRUE(w);
  EXPECT_EQ(w->can_trade, false);
  EXPECT_EQ(w->can_withdraw, true);
  auto silent = parse_permissions(json::parse(R"([["account",1,0]])"));
  ASSERT_TRUE(silent);
  EXPECT_FALSE(silent->can_withdraw);  // not listed: unknown, never assumed false
  EXPECT_EQ(silent->can_read, false);
}

// Found by the fuzzer (tests/fuzz/venue_bitfinex.cpp): a float beyond int64 where an integer belongs was
// cast to int64 (undefined); now such a row is malformed.
TEST(BitfinexParse, IntegersOutOfRangeAreMalformed) {
  auto k = parse_permissions(json::parse(R"([["account",1,0],["withdraw",0,6.3e85]])"));
  ASSERT_FALSE(k);
  EXPECT_EQ(k.error().kind, ErrorKind::BadResponse);
  auto candles = parse_candles(json::parse(R"([[1e300,"1","1","1","1","1"]])"));
  ASSERT_FALSE(candles);
  auto ok = parse_candles(json::parse(R"([[1.7e12,"1","2","3","0.5","10"]])"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->at(0).open_time_ms, 1'700'000'000'000);
}

// Found by the fuzzer (tests/fuzz/venue_bitfinex.cpp): AMOUNT (remaining) 0.1 of AMOUNT_ORIG 0 made an order
// with a negative filled quantity.
TEST(BitfinexParse, MoreRemainingThanTheAmountIsMalformed) {
  auto row = json::parse(kOrderRow);
  row[6] = 0.1;
  row[7] = 0.0;
  auto o = parse_order(row);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().kind, ErrorKind::BadResponse);
  row[6] = -0.002;
  row[7] = -0.001;  // a sell: signs agree, sizes do not
  EXPECT_FALSE(parse_order(row));
}

TEST(BitfinexSymbols, NamesAndCurrencies) {
  EXPECT_EQ(unified_currency("UST"), "USDT");
  EXPECT_EQ(unified_currency("UDC"), "USDC");
  EXPECT_EQ(unified_currency("BTC"), "BTC");
  auto p = split_pair("tBTCUST");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->base, "BTC");
  EXPECT_EQ(p->quote, "UST");
  EXPECT_TRUE(is_market_id("tAAVE:USD"));
  EXPECT_TRUE(is_market_id("tBTCF0:USTF0"));
  EXPECT_FALSE(is_market_id("BTCUSD"));
  EXPECT_FALSE(is_market_id("tBTC/USD"));
  EXPECT_FALSE(is_market_id("tbtcusd"));
  EXPECT_FALSE(is_market_id("tBTCUSD/../x"));
  EXPECT_TRUE(is_derivative("tBTCF0:USTF0"));
  EXPECT_FALSE(is_derivative("tBTCUSD"));
}

TEST(BitfinexDates, HttpDateAndDays) {
  EXPECT_EQ(parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT"), 1700000000000);
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777000);
  EXPECT_EQ(parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT"), 1709164800000);
  EXPECT_FALSE(parse_http_date("Fri, 30 Feb 2024 00:00:00 GMT"));
  EXPECT_FALSE(parse_http_date("2023-11-14T22:13:20Z"));
  EXPECT_FALSE(parse_http_date("Tue, 14 Nov 2023 22:13:20 UTC"));
  EXPECT_EQ(utc_date(1700000000000), "2023-11-14");
  EXPECT_EQ(utc_date(1709164800000 - 1), "2024-02-28");
  EXPECT_EQ(day_start_ms("2023-11-14"), 1699920000000);
  EXPECT_FALSE(day_start_ms("2023-13-01"));
}

TEST(BitfinexRequests, ClientOrderIdFormat) {
  auto c = parse_client_order_id("12345", 1700000000000);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->cid, 12345);
  EXPECT_EQ(c->date, "2023-11-14");
  c = parse_client_order_id("35184372088831@2023-11-13", 1700000000000);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->cid, 35184372088831);
  EXPECT_EQ(c->date, "2023-11-13");
  for (const char* bad : {"", "0", "-5", "35184372088832", "abc", "12a", "tb-123", "1e5", "12@2023-02-30", "99999999999999999999"}) {
    auto r = parse_client_order_id(bad, 1700000000000);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
    EXPECT_NE(r.error().message.find("client_order_id"), std::string::npos);
  }
}

}  // namespace
}  // namespace tb::venues::bitfinex
