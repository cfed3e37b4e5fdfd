// The open orders of an account as users read them: ours when the ledger has them (by our client id or the
// venue's id), a user robot's named; each type in words with its trigger and limit apart (issue 16).
#include <gtest/gtest.h>

#include "accounts/open_orders.hpp"

namespace tb::accounts {
namespace {

Decimal D(const char* s) { return *Decimal::parse(s); }

Order order(std::string id, std::string cid, OrderType type) {
  Order o;
  o.id = std::move(id);
  o.client_order_id = std::move(cid);
  o.type = type;
  return o;
}

TEST(OpenOrders, OursAreTheLedgersByClientIdOrVenueIdAndARobotsIsNamed) {
  store::OrderRecord robot;
  robot.client_order_id = "tb-r-4";
  robot.user_robot_id = 9;
  store::OrderRecord test_order;
  test_order.client_order_id = "x-other";
  test_order.venue_order_id = "77";
  const auto marked = mark_ours({order("1", "tb-r-4", OrderType::Limit), order("77", "", OrderType::Limit),
                                 order("2", "sim_1", OrderType::StopLimit), order("3", "", OrderType::Limit)},
                                {robot, test_order});
  ASSERT_EQ(marked.size(), 4u);
  EXPECT_TRUE(marked[0].ours);
  EXPECT_EQ(marked[0].user_robot_id, 9);
  EXPECT_TRUE(marked[1].ours);  // by the venue's id: a venue that does not echo our client id
  EXPECT_EQ(marked[1].user_robot_id, std::nullopt);
  EXPECT_FALSE(marked[2].ours);
  EXPECT_FALSE(marked[3].ours);  // an empty client id matches nothing
  EXPECT_EQ(marked[2].order.id, "2");
}

TEST(OpenOrders, EachTypeInWordsWithItsTriggerAndLimitApart) {
  Order stop = order("1", "", OrderType::StopLimit);
  stop.trigger_price = D("55.0");
  stop.price = D("54");
  EXPECT_EQ(order_terms(stop), "Stop limit · trigger 55 · limit 54");
  Order tp = order("2", "", OrderType::TakeProfitMarket);
  tp.trigger_price = D("70000");
  EXPECT_EQ(order_terms(tp), "Take profit market · trigger 70000");
  Order limit = order("3", "", OrderType::Limit);
  limit.price = D("60000.50");
  EXPECT_EQ(order_terms(limit), "Limit · limit 60000.5");
  EXPECT_EQ(order_terms(order("4", "", OrderType::Market)), "Market");
  Order odd = order("5", "", OrderType::Other);
  odd.venue_type = "settle-position";
  EXPECT_EQ(order_terms(odd), "Other (settle-position)");
  EXPECT_EQ(order_type_words(order("6", "", OrderType::Other)), "Other");
  EXPECT_EQ(order_type_words(order("7", "", OrderType::TrailingStop)), "Trailing stop");
  EXPECT_EQ(order_type_words(order("8", "", OrderType::Liquidation)), "Liquidation");
}

}  // namespace
}  // namespace tb::accounts
