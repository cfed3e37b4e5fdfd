// Every Bitfinex order type, exchange and margin, read as the documentation says (exchanges.md §4.8),
// and the cancel answer (issue 16 parts 1-3).
#include <gtest/gtest.h>

#include "venues/bitfinex/parse.hpp"

namespace tb::venues::bitfinex {
namespace {

std::optional<Decimal> D(const char* s) { return s ? Decimal::parse(s) : std::nullopt; }

// A 32-field order array with the given type, PRICE [16] and PRICE_AUX_LIMIT [19].
nlohmann::json order(const std::string& type, double price, double aux, const char* status = "ACTIVE") {
  auto j =
      nlohmann::json::parse(R"([1234,null,12345,"tBTCUSD",1700000000000,1700000000001,-0.5,-0.5,"",null,null,null,0,"",null,null,0,0,0,0,)"
                            R"(null,null,null,0,0,null,null,null,"API>BFX",null,null,{}])");
  j[8] = type;
  j[13] = status;
  j[16] = price;
  j[19] = aux;
  return j;
}

struct Row {
  const char* type;
  OrderType want;
  const char* limit;
  const char* trigger;
  std::optional<TimeInForce> tif;
};

TEST(BitfinexOrderTypes, EveryTypeExchangeAndMarginWithItsPrices) {
  const Row rows[] = {
      {"LIMIT", OrderType::Limit, "30000", nullptr, std::nullopt},
      {"MARKET", OrderType::Market, nullptr, nullptr, std::nullopt},
      {"STOP", OrderType::StopMarket, nullptr, "30000", std::nullopt},
      {"STOP LIMIT", OrderType::StopLimit, "29000", "30000", std::nullopt},  // PRICE the trigger, PRICE_AUX_LIMIT the limit
      {"TRAILING STOP", OrderType::TrailingStop, nullptr, "30000", std::nullopt},
      {"FOK", OrderType::Limit, "30000", nullptr, TimeInForce::Fok},
      {"IOC", OrderType::Limit, "30000", nullptr, TimeInForce::Ioc},
      {"SOMETHING NEW", OrderType::Other, nullptr, nullptr, std::nullopt},  // never guessed as another type
  };
  for (const auto& r : rows) {
    for (std::string prefix : {"", "EXCHANGE "}) {
      std::string name = prefix + r.type;
      SCOPED_TRACE(name);
      auto o = parse_order(order(name, 30000, 29000));
      ASSERT_TRUE(o) << o.error().describe();
      EXPECT_EQ(o->type, r.want) << to_string(o->type);
      EXPECT_EQ(o->venue_type, name);
      EXPECT_EQ(o->price, D(r.limit));
      EXPECT_EQ(o->trigger_price, D(r.trigger));
      EXPECT_EQ(o->time_in_force, r.tif);
    }
  }
}

TEST(BitfinexOrderTypes, AnAutomaticCancelTimeIsGoodTillDate) {
  auto j = order("EXCHANGE LIMIT", 30000, 0);
  j[10] = 1700003600000;  // MTS_TIF
  auto o = parse_order(j);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->time_in_force, TimeInForce::Gtd);
}

TEST(BitfinexOrderTypes, IdsAndFlagsAsNumbersOrNumericStrings) {
  auto j = order("EXCHANGE LIMIT", 30000, 0);
  j[0] = "1234";
  j[2] = "12345";
  j[4] = "1700000000000";
  j[12] = "5120";  // post-only 4096 + reduce-only 1024
  auto o = parse_order(j);
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->id, "1234");
  EXPECT_EQ(o->client_order_id, "12345");
  EXPECT_EQ(o->created_ms, 1700000000000);
  EXPECT_TRUE(o->post_only);
  EXPECT_TRUE(o->reduce_only);
}

nlohmann::json cancel_answer(const nlohmann::json& row) {
  return nlohmann::json::array({1706700316188, "oc-req", nullptr, nullptr, row, nullptr, "SUCCESS",
                                "Submitted for cancellation; waiting for confirmation (ID: 1234)."});
}

TEST(BitfinexCancel, SubmittedForCancellationIsCancelingUntilARead) {
  auto o = parse_cancel_notification(cancel_answer(order("EXCHANGE LIMIT", 30000, 0)));
  ASSERT_TRUE(o) << o.error().describe();
  EXPECT_EQ(o->status, OrderStatus::Canceling);
  EXPECT_TRUE(is_open(o->status));  // a fill may still race the cancel
  EXPECT_EQ(o->venue_status, "ACTIVE");
  auto partial = parse_cancel_notification(cancel_answer(order("EXCHANGE LIMIT", 30000, 0, "PARTIALLY FILLED @ 30000(-0.1)")));
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->status, OrderStatus::Canceling);
  // An echo that is already finished keeps what it says: a filled order is never called canceling.
  auto filled = parse_cancel_notification(cancel_answer(order("EXCHANGE LIMIT", 30000, 0, "EXECUTED @ 30000(-0.5)")));
  ASSERT_TRUE(filled);
  EXPECT_EQ(filled->status, OrderStatus::Filled);
  auto refused = parse_cancel_notification(nlohmann::json::array(
      {1706700316188, "oc-req", nullptr, nullptr, order("EXCHANGE LIMIT", 30000, 0), nullptr, "ERROR", "Order not found."}));
  ASSERT_FALSE(refused);
}

}  // namespace
}  // namespace tb::venues::bitfinex
