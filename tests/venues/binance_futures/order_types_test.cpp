// Every USD-M order type read as Binance documents it (exchanges.md §2.9), orders the venue placed itself
// (liquidation, ADL), and the cancel answer (issue 16 parts 1-3).
#include <gtest/gtest.h>

#include "venues/binance_futures/parse.hpp"
#include "venues/binance_futures/requests.hpp"

namespace tb::venues::binance_futures {
namespace {

std::optional<Decimal> D(const char* s) { return s ? Decimal::parse(s) : std::nullopt; }

nlohmann::json order(const char* type, const char* price, const char* stop, const char* cid = "tb-1") {
  return {{"orderId", 22542179},    {"symbol", "BTCUSDT"},    {"status", "NEW"},
          {"clientOrderId", cid},   {"price", price},         {"avgPrice", "0.00000"},
          {"origQty", "0.010"},     {"executedQty", "0"},     {"cumQuote", "0"},
          {"timeInForce", "GTC"},   {"type", type},           {"origType", type},
          {"reduceOnly", false},    {"closePosition", false}, {"side", "SELL"},
          {"positionSide", "BOTH"}, {"stopPrice", stop},      {"workingType", "MARK_PRICE"},
          {"priceProtect", false},  {"time", 1566818724700},  {"updateTime", 1566818724722}};
}

struct Row {
  const char* venue_type;
  OrderType type;
  const char* limit;
  const char* trigger;
};

TEST(BinanceFuturesOrderTypes, EveryTypeWithItsPrices) {
  const Row rows[] = {
      {"LIMIT", OrderType::Limit, "30000", nullptr},
      {"MARKET", OrderType::Market, nullptr, nullptr},
      {"STOP", OrderType::StopLimit, "30000", "29900"},  // USD-M's STOP is a stop-limit order
      {"STOP_MARKET", OrderType::StopMarket, nullptr, "29900"},
      {"TAKE_PROFIT", OrderType::TakeProfitLimit, "30000", "29900"},
      {"TAKE_PROFIT_MARKET", OrderType::TakeProfitMarket, nullptr, "29900"},
      {"TRAILING_STOP_MARKET", OrderType::TrailingStop, nullptr, "29900"},
      {"LIQUIDATION", OrderType::Liquidation, "30000", nullptr},
      {"LIMIT_MAKER", OrderType::Other, "30000", nullptr},  // not a USD-M type: never read as a limit order
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.venue_type);
    bool has_limit = r.limit != nullptr;
    auto o = parse_order(order(r.venue_type, has_limit ? "30000" : "0", r.trigger ? "29900" : "0"));
    ASSERT_TRUE(o) << o.error().describe();
    EXPECT_EQ(o->type, r.type) << to_string(o->type);
    EXPECT_EQ(o->venue_type, r.venue_type);
    EXPECT_EQ(o->price, D(r.limit));
    EXPECT_EQ(o->trigger_price, D(r.trigger));
    EXPECT_EQ(o->position_side, PositionSide::Both);
  }
}

TEST(BinanceFuturesOrderTypes, ATriggeredStopKeepsItsOriginalType) {
  auto j = order("STOP_MARKET", "0", "29900");
  j["type"] = "MARKET";  // what the venue shows once the stop fired
  auto o = parse_order(j);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->type, OrderType::StopMarket);
  EXPECT_EQ(o->venue_type, "STOP_MARKET");
}

TEST(BinanceFuturesOrderTypes, ATrailingStopWithoutStopPriceTriggersFromItsActivationPrice) {
  auto j = order("TRAILING_STOP_MARKET", "0", "0");
  j["activatePrice"] = "31000";
  j["priceRate"] = "0.3";
  auto o = parse_order(j);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->trigger_price, D("31000"));
}

TEST(BinanceFuturesOrderTypes, LiquidationAndAdlOrdersAreToldByTheirClientIds) {
  auto liq = parse_order(order("LIMIT", "30000", "0", "autoclose-1596107620040000020"));
  ASSERT_TRUE(liq);
  EXPECT_EQ(liq->type, OrderType::Liquidation);
  EXPECT_EQ(liq->venue_type, "LIMIT");
  EXPECT_EQ(liq->price, D("30000"));
  auto adl = parse_order(order("LIMIT", "30000", "0", "adl_autoclose"));
  ASSERT_TRUE(adl);
  EXPECT_EQ(adl->type, OrderType::Adl);
}

TEST(BinanceFuturesOrderTypes, TimeInForcePostOnlyReduceOnlyAndPositionSide) {
  const std::pair<const char*, std::optional<TimeInForce>> tifs[] = {{"GTC", TimeInForce::Gtc}, {"IOC", TimeInForce::Ioc},
                                                                     {"FOK", TimeInForce::Fok}, {"GTD", TimeInForce::Gtd},
                                                                     {"GTX", TimeInForce::Gtc}, {"XYZ", std::nullopt}};
  for (auto& [text, tif] : tifs) {
    auto j = order("LIMIT", "30000", "0");
    j["timeInForce"] = text;
    auto o = parse_order(j);
    ASSERT_TRUE(o);
    EXPECT_EQ(o->time_in_force, tif) << text;
    EXPECT_EQ(o->post_only, std::string(text) == "GTX") << text;
  }
  auto j = order("STOP_MARKET", "0", "29900");
  j["closePosition"] = true;  // closes the whole position: reduce-only in effect
  j["positionSide"] = "SHORT";
  auto o = parse_order(j);
  ASSERT_TRUE(o);
  EXPECT_TRUE(o->reduce_only);
  EXPECT_EQ(o->position_side, PositionSide::Short);
}

TEST(BinanceFuturesOrderTypes, NumbersAsStringsAndStringsAsNumbers) {
  auto j = order("LIMIT", "30000", "0");
  j["orderId"] = "22542179";
  j["time"] = "1566818724700";
  j["updateTime"] = "1566818724722";
  j["reduceOnly"] = "true";
  auto o = parse_order(j);
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->id, "22542179");
  EXPECT_EQ(o->created_ms, 1566818724700);
  EXPECT_EQ(o->updated_ms, 1566818724722);
  EXPECT_TRUE(o->reduce_only);
  auto rows = parse_candles(nlohmann::json::parse(R"([["1712738460000","1","2","0.5","1.5","3"]])"));
  ASSERT_TRUE(rows) << rows.error().describe();
  EXPECT_EQ(rows->at(0).open_time_ms, 1712738460000);
}

TEST(BinanceFuturesCancel, TheAnswerIsTheOrderCanceled) {
  // DELETE /fapi/v1/order answers the order object with status CANCELED: done, not pending.
  auto j = order("LIMIT", "30000", "0");
  j["status"] = "CANCELED";
  auto o = parse_order(j);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->status, OrderStatus::Canceled);
  EXPECT_FALSE(is_open(o->status));
}

std::string param(const Call& c, const std::string& name) {
  for (auto& [k, v] : c.params)
    if (k == name) return v;
  return "(none)";
}

TEST(BinanceFuturesHedgeMode, OrdersNameThePositionAndSendNoReduceOnly) {
  OrderRequest r;
  r.symbol = "BTCUSDT";
  r.side = Side::Sell;
  r.type = OrderType::Market;
  r.amount = *Decimal::parse("0.010");
  r.reduce_only = true;
  EXPECT_EQ(hedge_side(r), PositionSide::Long);  // a reduce-only sell closes the long
  auto one_way = order_call(r, "tb-1");
  ASSERT_TRUE(one_way);
  EXPECT_EQ(param(*one_way, "positionSide"), "(none)");
  EXPECT_EQ(param(*one_way, "reduceOnly"), "true");
  r.position_side = hedge_side(r);
  auto hedge = order_call(r, "tb-1");
  ASSERT_TRUE(hedge);
  EXPECT_EQ(param(*hedge, "positionSide"), "LONG");
  EXPECT_EQ(param(*hedge, "reduceOnly"), "(none)");  // the venue refuses it in hedge mode
  r.reduce_only = false;
  EXPECT_EQ(hedge_side(r), PositionSide::Short);  // a plain sell opens a short
  r.side = Side::Buy;
  EXPECT_EQ(hedge_side(r), PositionSide::Long);
  r.reduce_only = true;
  EXPECT_EQ(hedge_side(r), PositionSide::Short);
}

TEST(BinanceFuturesSettings, ModeLeverageAndMarginTypeAsTheVenueSendsThem) {
  EXPECT_EQ(parse_position_mode(nlohmann::json{{"dualSidePosition", true}}).value(), PositionMode::Hedge);
  EXPECT_EQ(parse_position_mode(nlohmann::json{{"dualSidePosition", false}}).value(), PositionMode::OneWay);
  EXPECT_FALSE(parse_position_mode(nlohmann::json::object()));
  auto rows = nlohmann::json::parse(R"([
    {"symbol":"ETHUSDT","leverage":"5","marginType":"cross","maxNotionalValue":"1000000","positionSide":"BOTH"},
    {"symbol":"BTCUSDT","leverage":"20","marginType":"isolated","maxNotionalValue":"25000000","positionSide":"LONG"},
    {"symbol":"BTCUSDT","leverage":"20","marginType":"isolated","maxNotionalValue":"25000000","positionSide":"SHORT"}])");
  auto s = parse_symbol_settings(rows, "BTCUSDT");
  ASSERT_TRUE(s) << s.error().describe();
  EXPECT_EQ(s->leverage, 20);
  EXPECT_EQ(s->margin_type, MarginType::Isolated);
  EXPECT_EQ(s->max_notional, D("25000000"));
  EXPECT_FALSE(parse_symbol_settings(rows, "SOLUSDT"));
  EXPECT_FALSE(leverage_call("BTCUSDT", 126));
  EXPECT_EQ(param(*margin_type_call("BTCUSDT", MarginType::Cross), "marginType"), "CROSSED");
}

}  // namespace
}  // namespace tb::venues::binance_futures
