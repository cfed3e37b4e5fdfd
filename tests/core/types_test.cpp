#include "core/core.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tb {
namespace {

TEST(Types, EnumsRoundTrip) {
  EXPECT_EQ(parse_side("BUY"), Side::Buy);
  EXPECT_EQ(parse_side("sell"), Side::Sell);
  EXPECT_FALSE(parse_side("hold"));
  EXPECT_EQ(parse_order_type("Limit"), OrderType::Limit);
  for (auto tf : {Timeframe::M1, Timeframe::M5, Timeframe::M15, Timeframe::M30, Timeframe::H1, Timeframe::H4, Timeframe::D1, Timeframe::W1})
    EXPECT_EQ(parse_timeframe(to_string(tf)), tf);
  EXPECT_EQ(timeframe_ms(Timeframe::H4), 4 * 3600 * 1000);
  EXPECT_FALSE(parse_timeframe("7m"));
}

TEST(Types, OrderJsonKeepsDecimalsAsStrings) {
  Order o;
  o.id = "42";
  o.price = Decimal::parse("30000.10");
  o.amount = *Decimal::parse("0.010");
  nlohmann::json j = o;
  EXPECT_EQ(j["price"], "30000.10");
  EXPECT_EQ(j["amount"], "0.010");
  EXPECT_EQ(j["status"], "new");
  EXPECT_TRUE(j["average_price"].is_null());
}

TEST(Types, EveryOrderTypeRoundTripsAndOnlyConditionalOnesWaitForATrigger) {
  const OrderType all[] = {OrderType::Limit,
                           OrderType::Market,
                           OrderType::StopMarket,
                           OrderType::StopLimit,
                           OrderType::TakeProfitMarket,
                           OrderType::TakeProfitLimit,
                           OrderType::TrailingStop,
                           OrderType::TrailingStopLimit,
                           OrderType::Liquidation,
                           OrderType::Adl,
                           OrderType::Other};
  for (auto t : all) EXPECT_EQ(parse_order_type(to_string(t)), t) << to_string(t);
  EXPECT_EQ(to_string(OrderType::StopLimit), "stop_limit");
  EXPECT_FALSE(parse_order_type("stop-loss"));  // venue words are the venue's to read
  EXPECT_TRUE(is_conditional(OrderType::TakeProfitMarket));
  EXPECT_FALSE(is_conditional(OrderType::Limit));
  EXPECT_FALSE(is_conditional(OrderType::Liquidation));
  EXPECT_EQ(parse_position_side("LONG"), PositionSide::Long);
  EXPECT_FALSE(parse_position_side("up"));
}

TEST(Types, CancelingIsStillOpen) {
  EXPECT_EQ(to_string(OrderStatus::Canceling), "canceling");
  EXPECT_TRUE(is_open(OrderStatus::Canceling));  // a fill may still race the cancel
  EXPECT_FALSE(is_open(OrderStatus::Canceled));
}

TEST(Types, OrderJsonKeepsItsFieldsAndAddsTheTypeDetails) {
  Order o;
  o.type = OrderType::StopLimit;
  o.price = Decimal::parse("54");
  o.trigger_price = Decimal::parse("55");
  o.time_in_force = TimeInForce::Gtc;
  o.venue_type = "stop-loss-limit";
  nlohmann::json j = o;
  EXPECT_EQ(j["type"], "stop_limit");
  EXPECT_EQ(j["price"], "54");
  EXPECT_EQ(j["trigger_price"], "55");
  EXPECT_EQ(j["time_in_force"], "gtc");
  EXPECT_EQ(j["venue_type"], "stop-loss-limit");
  EXPECT_FALSE(j.contains("position_side"));  // only where the venue says
  Order plain;
  nlohmann::json p = plain;
  EXPECT_EQ(p["type"], "limit");
  EXPECT_TRUE(p["trigger_price"].is_null());
  EXPECT_TRUE(p["time_in_force"].is_null());
  for (const char* field : {"id", "client_order_id", "symbol", "side", "type", "status", "price", "amount", "filled", "average_price",
                            "post_only", "reduce_only", "created", "updated", "venue_status"})
    EXPECT_TRUE(p.contains(field)) << field;
  plain.position_side = PositionSide::Short;
  EXPECT_EQ(nlohmann::json(plain)["position_side"], "short");
}

TEST(Types, ErrorKeepsTheVenueCode) {
  Error e = Error::make(ErrorKind::RateLimited, "slow down");
  e.venue_code = "-1003";
  e.retry_after = std::chrono::milliseconds(2000);
  nlohmann::json j = e;
  EXPECT_EQ(j["kind"], "rate_limited");
  EXPECT_EQ(j["venue_code"], "-1003");
  EXPECT_EQ(j["retry_after_ms"], 2000);
  EXPECT_NE(e.describe().find("-1003"), std::string::npos);
}

TEST(Types, ErrorAboutAnInputKeepsItsFieldApart) {
  Error e = Error::invalid("name", "at most 64 characters");
  EXPECT_EQ(e.kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(e.field, "name");
  EXPECT_EQ(e.message, "name: at most 64 characters");
  Error taken = Error::about(ErrorKind::Conflict, "email", "already registered");
  EXPECT_EQ(taken.kind, ErrorKind::Conflict);
  EXPECT_EQ(taken.field, "email");
  EXPECT_EQ(taken.message, "email: already registered");
  // A message shaped like one names no field: fields are set, never read from words.
  EXPECT_EQ(Error::make(ErrorKind::InvalidArgument, "name: at most 64 characters").field, "");
}

TEST(Symbol, UnifiedNames) {
  EXPECT_EQ(unified_symbol("BTC", "USDT", "USDT"), "BTC/USDT:USDT");
  EXPECT_EQ(unified_symbol("BTC", "USD"), "BTC/USD");
  auto p = parse_unified_symbol("ETH/USDT:USDT");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->base, "ETH");
  EXPECT_EQ(p->settle, "USDT");
  EXPECT_FALSE(parse_unified_symbol("BTCUSDT"));
}

TEST(Clock, ManualClockMovesOnlyWhenTold) {
  ManualClock c(1000);
  EXPECT_EQ(c.now_ms(), 1000);
  c.advance_ms(5);
  EXPECT_EQ(c.now_ms(), 1005);
  EXPECT_EQ(c.now_us(), 1005000);
}

}  // namespace
}  // namespace tb
