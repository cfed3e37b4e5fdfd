// Kraken JSON -> core types, on the documented shapes (exchanges.md §3.7-§3.9), and the name mapping.
#include <gtest/gtest.h>

#include "venues/kraken/parse.hpp"
#include "venues/kraken/requests.hpp"
#include "venues/kraken/symbols.hpp"

namespace tb::venues::kraken {
namespace {

Decimal D(const char* s) { return *Decimal::parse(s); }

TEST(KrakenSymbols, AssetRenames) {
  EXPECT_EQ(unified_asset("XXBT"), "BTC");
  EXPECT_EQ(unified_asset("XBT"), "BTC");
  EXPECT_EQ(unified_asset("ZUSD"), "USD");
  EXPECT_EQ(unified_asset("ZEUR"), "EUR");
  EXPECT_EQ(unified_asset("XETH"), "ETH");
  EXPECT_EQ(unified_asset("XXRP"), "XRP");
  EXPECT_EQ(unified_asset("XXDG"), "DOGE");
  EXPECT_EQ(unified_asset("XDG"), "DOGE");
  EXPECT_EQ(unified_asset("USDT"), "USDT");
  EXPECT_EQ(unified_asset("SOL"), "SOL");
  EXPECT_EQ(unified_asset("ETH2.S"), "ETH2");
  EXPECT_EQ(unified_asset("XXBT.M"), "BTC");
  EXPECT_EQ(unified_asset("DOT.F"), "DOT");
}

TEST(KrakenSymbols, PairEntryWhicheverNameWasSent) {
  nlohmann::json result = {{"XXBTZUSD", {{"c", {"1", "2"}}}}, {"last", 5}};
  PairBook empty;
  std::string key;
  ASSERT_NE(pair_entry(result, "XXBTZUSD", empty, &key), nullptr);
  EXPECT_EQ(key, "XXBTZUSD");
  ASSERT_NE(pair_entry(result, "XBTUSD", empty, &key), nullptr);  // the only pair present
  EXPECT_EQ(key, "XXBTZUSD");
  nlohmann::json two = {{"XXBTZUSD", 1}, {"XETHZUSD", 2}};
  EXPECT_EQ(pair_entry(two, "XBTUSD", empty), nullptr);
  PairBook book;
  book.add("XXBTZUSD", "XBTUSD");
  ASSERT_NE(pair_entry(two, "XBTUSD", book, &key), nullptr);
  EXPECT_EQ(key, "XXBTZUSD");
  EXPECT_TRUE(book.same_pair("XBTUSD", "XXBTZUSD"));
  EXPECT_FALSE(book.same_pair("XBTUSD", "XETHZUSD"));
}

TEST(KrakenParse, MarketsWithRules) {
  auto pairs = nlohmann::json::parse(R"({
    "XXBTZUSD":{"altname":"XBTUSD","wsname":"XBT/USD","aclass_base":"currency","base":"XXBT","aclass_quote":"currency",
      "quote":"ZUSD","lot":"unit","cost_decimals":5,"pair_decimals":1,"lot_decimals":8,"lot_multiplier":1,
      "leverage_buy":[2,3,4,5],"leverage_sell":[2,3,4,5],"fees":[[0,0.26],[50000,0.24]],"fees_maker":[[0,0.16]],
      "fee_volume_currency":"ZUSD","margin_call":80,"margin_stop":40,"ordermin":"0.0001","costmin":"0.5",
      "tick_size":"0.1","status":"online","long_position_limit":250,"short_position_limit":200},
    "XDGUSD":{"altname":"XDGUSD","base":"XXDG","quote":"ZUSD","pair_decimals":7,"lot_decimals":8,
      "ordermin":"50","costmin":"0.5","tick_size":"0.0000001","status":"cancel_only"}})");
  auto assets = nlohmann::json::parse(R"({
    "XXBT":{"aclass":"currency","altname":"XBT","decimals":10,"display_decimals":5,"collateral_value":1,"status":"enabled"},
    "ZUSD":{"aclass":"currency","altname":"USD","decimals":4,"display_decimals":2,"status":"enabled"},
    "XXDG":{"aclass":"currency","altname":"XDG","decimals":8,"display_decimals":2,"status":"enabled"}})");
  auto m = parse_markets(pairs, parse_asset_codes(assets));
  ASSERT_TRUE(m) << m.error().describe();
  ASSERT_EQ(m->size(), 2u);
  const Market& btc = (*m)[0].id == "XXBTZUSD" ? (*m)[0] : (*m)[1];
  const Market& doge = (*m)[0].id == "XXBTZUSD" ? (*m)[1] : (*m)[0];
  EXPECT_EQ(btc.altname, "XBTUSD");
  EXPECT_EQ(btc.symbol, "BTC/USD");
  EXPECT_EQ(btc.base, "BTC");
  EXPECT_EQ(btc.quote, "USD");
  EXPECT_EQ(btc.kind, MarketKind::Spot);
  EXPECT_TRUE(btc.active);
  EXPECT_EQ(btc.tick_size.to_string(), "0.1");
  EXPECT_EQ(btc.step_size.to_string(), "0.00000001");
  EXPECT_EQ(btc.min_qty.to_string(), "0.0001");
  EXPECT_EQ(btc.min_notional.to_string(), "0.5");
  EXPECT_EQ(doge.symbol, "DOGE/USD");
  EXPECT_FALSE(doge.active);
  EXPECT_EQ(doge.tick_size.to_string(), "0.0000001");
}

TEST(KrakenParse, MarketWithoutLotDecimalsIsABadResponse) {
  auto r = parse_markets(nlohmann::json::parse(R"({"XXBTZUSD":{"base":"XXBT","quote":"ZUSD","tick_size":"0.1"}})"), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
  EXPECT_NE(r.error().message.find("lot_decimals"), std::string::npos);
}

// Found by the fuzzer: a costmin of -0.5 became a market whose minimum order value was negative.
TEST(KrakenParse, ANegativeMinimumOrZeroTickIsABadResponse) {
  for (const char* bad :
       {R"("ordermin":"-0.0001","costmin":"0.5","tick_size":"0.1")", R"("ordermin":"0.0001","costmin":"-0.5","tick_size":"0.1")",
        R"("ordermin":"0.0001","costmin":"0.5","tick_size":"0")", R"("ordermin":"0.0001","costmin":"0.5","tick_size":"-0.1")"}) {
    auto r = parse_markets(
        nlohmann::json::parse(std::string(R"({"XXBTZUSD":{"base":"XXBT","quote":"ZUSD","lot_decimals":8,)") + bad + "}}"), {});
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
  }
}

// Found by the fuzzer (tests/fuzz/venue_kraken.cpp): 1777777777700000000 s overflowed into milliseconds,
// in the server time, then in a candle's time; the key's validUntil had the same multiplication.
TEST(KrakenParse, SecondsOutOfRangeAreABadResponse) {
  auto rows = parse_candles(json::parse(R"([[1706634001706641200,"1","1","1","1","1","1",2]])"));
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().kind, ErrorKind::BadResponse);
  auto key = parse_key_info(json::parse(R"({"permissions":["query_funds"],"validUntil":"9223372036854776"})"));
  ASSERT_TRUE(key);
  EXPECT_FALSE(key->trading_expires_ms);

  auto t = parse_server_time(json::parse(R"({"unixtime":1700000000})"));
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, 1'700'000'000'000);
  for (const char* bad : {R"({"unixtime":1777777777700000000})", R"({"unixtime":18446744073709551615})", R"({"unixtime":-5})"}) {
    auto r = parse_server_time(json::parse(bad));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
  }
}

// Found by the fuzzer: a hold_trade of 5.5e34 against a balance with decimals threw std::overflow_error.
TEST(KrakenParse, AnImplausibleAmountNeverThrows) {
  auto p = parse_balances(json::parse(R"({"ZUSD":{"balance":"1000.0000","hold_trade":"55555555555555555555555001884268636"}})"));
  if (p) {
    EXPECT_EQ(p->balances.at(0).total.to_string(), "1000.0000");
  }
  auto o = parse_order("O1", json::parse(R"({"status":"open","opentm":1e15,"vol":"1","vol_exec":"0",
      "descr":{"pair":"XBTUSD","type":"buy","ordertype":"limit","price":"1"}})"));
  (void)o;  // read or refused, but no exception
}

TEST(KrakenParse, BalancesFromBalanceEx) {
  // Strings per the schema; the spec's example has numbers: both are read without double arithmetic.
  auto r = parse_balances(nlohmann::json::parse(R"({
    "ZUSD":{"balance":"171288.6158","hold_trade":"1000.0000"},
    "XXBT":{"balance":"1011.1908877900","hold_trade":"0.0000000000"},
    "USDT":{"balance":500000.0,"hold_trade":0.1},
    "XETH":{"balance":"10","hold_trade":"1"},
    "XETH.F":{"balance":"2.5","hold_trade":"0"}})"));
  ASSERT_TRUE(r) << r.error().describe();
  std::map<std::string, Balance> by;
  for (auto& b : r->balances) by[b.asset] = b;
  ASSERT_EQ(by.size(), 4u);
  EXPECT_EQ(by["USD"].total, D("171288.6158"));
  EXPECT_EQ(by["USD"].used, D("1000"));
  EXPECT_EQ(by["USD"].free, D("170288.6158"));
  EXPECT_EQ(by["BTC"].free.to_string(), "1011.1908877900");
  EXPECT_EQ(by["USDT"].free, D("499999.9"));
  EXPECT_EQ(by["ETH"].total, D("12.5"));
  EXPECT_EQ(by["ETH"].free, D("9"));  // the .F view cannot be traded
  EXPECT_TRUE(r->positions.empty());
}

TEST(KrakenParse, OrderObject) {
  auto o = parse_order("OQCLML-BW3P3-BUCMWZ", nlohmann::json::parse(R"({
    "refid":null,"userref":0,"cl_ord_id":"robot-7-42","status":"open","opentm":1688666559.8974,"starttm":0,"expiretm":0,
    "descr":{"pair":"XBTUSD","type":"buy","ordertype":"limit","price":"30010.0","price2":"0","leverage":"none",
             "order":"buy 1.25000000 XBTUSD @ limit 30010.0","close":""},
    "vol":"1.25000000","vol_exec":"0.37500000","cost":"11253.7","fee":"0.00000","price":"30010.0",
    "stopprice":"0.00000","limitprice":"0.00000","misc":"","oflags":"fciq,post","trades":["TCCCTY-WE2O6-P3NB37"]})"));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->id, "OQCLML-BW3P3-BUCMWZ");
  EXPECT_EQ(o->client_order_id, "robot-7-42");
  EXPECT_EQ(o->symbol, "XBTUSD");
  EXPECT_EQ(o->side, Side::Buy);
  EXPECT_EQ(o->type, OrderType::Limit);
  EXPECT_EQ(o->status, OrderStatus::PartiallyFilled);
  EXPECT_EQ(o->price->to_string(), "30010.0");
  EXPECT_EQ(o->amount.to_string(), "1.25000000");
  EXPECT_EQ(o->filled.to_string(), "0.37500000");
  EXPECT_EQ(o->average_price->to_string(), "30010.0");
  EXPECT_TRUE(o->post_only);
  EXPECT_EQ(o->created_ms, 1688666559897);
  EXPECT_EQ(o->venue_status, "open");
  ASSERT_TRUE(o->fee);
  EXPECT_EQ(o->fee->to_string(), "0.00000");
  EXPECT_EQ(o->fee_asset, "");  // the answer does not name it
}

// The order's `fee` is what Kraken charged for its fills; an answer without it leaves the fee unknown.
TEST(KrakenParse, OrderFee) {
  auto j = nlohmann::json::parse(R"({"status":"closed","opentm":1688666559.1,"closetm":1688666560.2,
    "descr":{"pair":"XBTUSD","type":"sell","ordertype":"market","price":"0","price2":"0"},
    "vol":"0.50000000","vol_exec":"0.50000000","cost":"15000.00000","fee":"39.00000","price":"30000.0","oflags":"fciq"})");
  auto o = parse_order("OFEE11-AAAAA-BBBBBB", j);
  ASSERT_TRUE(o) << o.error().describe();
  ASSERT_TRUE(o->fee);
  EXPECT_EQ(*o->fee, D("39"));
  j.erase("fee");
  auto without = parse_order("OFEE11-AAAAA-BBBBBB", j);
  ASSERT_TRUE(without);
  EXPECT_FALSE(without->fee);
}

TEST(KrakenParse, OrderStatuses) {
  auto make = [](const char* status, const char* reason) {
    nlohmann::json j = {{"status", status}, {"descr", {{"pair", "XBTUSD"}, {"type", "sell"}, {"ordertype", "market"}}},
                        {"vol", "1"},       {"vol_exec", "0"},
                        {"opentm", 1},      {"closetm", 2}};
    if (reason) j["reason"] = reason;
    return parse_order("O", j);
  };
  EXPECT_EQ(make("pending", nullptr)->status, OrderStatus::New);
  EXPECT_EQ(make("closed", nullptr)->status, OrderStatus::Filled);
  auto c = make("canceled", "Post only order");
  EXPECT_EQ(c->status, OrderStatus::Canceled);
  EXPECT_EQ(c->venue_status, "canceled: Post only order");
  EXPECT_EQ(c->updated_ms, 2000);
  EXPECT_EQ(make("expired", nullptr)->status, OrderStatus::Expired);
  EXPECT_EQ(make("open", nullptr)->type, OrderType::Market);
  EXPECT_FALSE(make("open", nullptr)->price);
}

// Found by the fuzzer in CI: "vol":"-.10" made an order of amount -0.1 with 0.1 filled.
TEST(KrakenParse, ANegativeVolumeIsAMalformedOrder) {
  auto order = [](const char* vol, const char* vol_exec) {
    return parse_order("O", {{"status", "closed"},
                             {"descr", {{"pair", "LTCUSDT"}, {"type", "buy"}, {"ordertype", "market"}}},
                             {"vol", vol},
                             {"vol_exec", vol_exec}});
  };
  ASSERT_TRUE(order("0.1", "0.1"));
  for (auto [vol, exec] : {std::pair{"-.10", "0.1"}, std::pair{"0.1", "-0.1"}}) {
    auto o = order(vol, exec);
    ASSERT_FALSE(o) << vol << " " << exec;
    EXPECT_EQ(o.error().kind, ErrorKind::BadResponse);
  }
}

TEST(KrakenParse, KeyInfo) {
  auto k = parse_key_info(nlohmann::json::parse(R"({
    "apiKeyName":"my-api-key","apiKey":"4/SDrDBcOOPnm3nPlNfEMMJDeRcIVqPz+QhRxIodyZbI9po/aVRiHsgX",
    "nonce":"1772627060997","nonceWindow":0,
    "permissions":["query-funds","withdraw-funds","query-open-trades","modify-trades"],
    "iban":"AA88 N84G WOAK NMOI","validUntil":"0","queryFrom":"0","queryTo":"0",
    "createdTime":"1772542900","modifiedTime":"1772543095","ipAllowlist":[],"lastUsed":"1772627061"})"));
  ASSERT_TRUE(k);
  EXPECT_EQ(k->can_read, true);
  EXPECT_EQ(k->can_trade, true);
  EXPECT_EQ(k->can_withdraw, true);
  EXPECT_EQ(k->ip_restricted, false);
  EXPECT_FALSE(k->trading_expires_ms);
  EXPECT_EQ(k->venue_permissions.size(), 4u);
  auto k2 = parse_key_info(nlohmann::json::parse(
      R"({"permissions":["query-funds","query-open-trades"],"ipAllowlist":["203.0.113.7"],"validUntil":"1800000000"})"));
  ASSERT_TRUE(k2);
  EXPECT_EQ(k2->can_trade, false);
  EXPECT_EQ(k2->can_withdraw, false);
  EXPECT_EQ(k2->ip_restricted, true);
  ASSERT_EQ(k2->ip_whitelist.size(), 1u);
  EXPECT_EQ(k2->ip_whitelist[0], "203.0.113.7");
  EXPECT_EQ(k2->trading_expires_ms, 1'800'000'000'000);
}

TEST(KrakenRequests, ClientOrderIdFormats) {
  EXPECT_TRUE(valid_client_order_id("6d1b345e-2821-40e2-ad83-4ecb18a06876"));
  EXPECT_TRUE(valid_client_order_id("6d1b345e282140e2ad834ecb18a06876"));
  EXPECT_TRUE(valid_client_order_id("robot-7-42"));
  EXPECT_TRUE(valid_client_order_id("abcdefghijklmnopqr"));    // 18
  EXPECT_FALSE(valid_client_order_id("abcdefghijklmnopqrs"));  // 19, not a UUID
  EXPECT_FALSE(valid_client_order_id("6d1b345e-2821-40e2-ad83-4ecb18a0687g"));
  EXPECT_FALSE(valid_client_order_id("has space"));
  EXPECT_FALSE(valid_client_order_id("caf\xc3\xa9"));
  EXPECT_FALSE(valid_client_order_id(""));
}

}  // namespace
}  // namespace tb::venues::kraken
