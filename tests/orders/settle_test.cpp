// Settling an order in doubt against the real exchange simulator (in-process) on every venue: only the
// venue's answers settle it; a failed call never does.
#include <gtest/gtest.h>

#include "accounts/key_input.hpp"
#include "accounts/sim_world.hpp"
#include "accounts/test_order.hpp"
#include "orders/orders.hpp"

namespace tb::orders {
namespace {

using accounts::test::SimWorld;

std::string order_endpoint(const std::string& venue) {
  if (venue == "kraken") return "AddOrder";
  if (venue == "bitfinex") return "auth/w/order/submit";
  return "order";
}
std::string query_endpoint(const std::string& venue) {
  if (venue == "kraken") return "OpenOrders";
  if (venue == "bitfinex") return "auth/r/orders";
  return "order";
}

class SettleOnSim : public ::testing::TestWithParam<std::string> {
 protected:
  // The key test's own order: a limit buy far under the market, with a client order id of ours.
  OrderRequest request() {
    auto markets = tb::test::run(w.venue->markets());
    const Market* m = accounts::pick_test_market(*markets);
    if (!m) throw std::runtime_error("no BTC market");
    auto t = tb::test::run(w.venue->ticker(m->id));
    auto cid = accounts::make_client_order_id(GetParam(), static_cast<uint64_t>(++n_ + w.harness.clock.now_ms()));
    return *accounts::plan_test_order(*m, t->last, cid);
  }

  store::OrderRecord record_of(const OrderRequest& r) {
    store::OrderRecord o;
    o.id = 1;
    o.venue = GetParam();
    o.symbol = r.symbol;
    o.client_order_id = r.client_order_id;
    o.state = "unknown";
    o.created_ms = w.harness.clock.now_ms();
    return o;
  }
  store::OrderRecord settle_now(store::OrderRecord o, SettlePolicy p = {}) {
    return tb::test::run(settle(*w.venue, signer, w.harness.sleeper, w.harness.clock, std::move(o), p));
  }

  int64_t n_ = 0;
  SimWorld w{GetParam()};
  exsim::ApiKey k = w.key(SimWorld::trading());
  crypto::LocalSigner signer = accounts::test::signer_for(k);
};

TEST_P(SettleOnSim, AnOrderWhoseAnswerWasLostIsFoundByClientIdAndCancelled) {
  OrderRequest r = request();
  w.exchange.add_fault({GetParam(), order_endpoint(GetParam()), "bad_json", 1});
  auto created = tb::test::run(w.venue->create_order(signer, r));
  ASSERT_FALSE(created);
  EXPECT_TRUE(created.error().outcome_unknown) << created.error().describe();
  ASSERT_EQ(w.exchange.open_orders(k.key).size(), 1u);  // the venue holds it

  store::OrderRecord o = settle_now(record_of(r));
  EXPECT_EQ(o.state, "cancelled") << o.note;
  EXPECT_TRUE(o.settled_ms);
  EXPECT_FALSE(o.venue_order_id.empty());
  EXPECT_TRUE(w.exchange.open_orders(k.key).empty());
  EXPECT_EQ(w.exchange.orders(k.key).size(), 1u);  // asked about, never sent again
}

TEST_P(SettleOnSim, AFailedQuerySettlesNothing) {
  OrderRequest r = request();
  ASSERT_TRUE(tb::test::run(w.venue->create_order(signer, r)));
  w.exchange.add_fault({GetParam(), query_endpoint(GetParam()), "http_500", 100});
  w.exchange.add_fault({GetParam(), "*", "maintenance", 100});
  store::OrderRecord o = settle_now(record_of(r));
  EXPECT_EQ(o.state, "unknown");
  EXPECT_FALSE(o.settled_ms);
  EXPECT_EQ(o.absent_answers, 0);
  EXPECT_NE(o.note.find("no answer"), std::string::npos) << o.note;
  w.exchange.clear_faults();
  o = settle_now(o);
  EXPECT_EQ(o.state, "cancelled") << o.note;
  EXPECT_TRUE(w.exchange.open_orders(k.key).empty());
}

TEST_P(SettleOnSim, AnOrderTheVenueNeverGotIsAbsentOnlyAfterRepeatedAnswersAndTime) {
  OrderRequest r = request();  // never sent
  SettlePolicy p;
  p.absent_answers = 2;
  p.absent_after = std::chrono::seconds(60);
  store::OrderRecord o = settle_now(record_of(r), p);
  EXPECT_EQ(o.absent_answers, 1);
  EXPECT_FALSE(o.settled_ms);
  o = settle_now(o, p);  // twice, but too soon: an order in transit may still land
  EXPECT_EQ(o.absent_answers, 2);
  EXPECT_FALSE(o.settled_ms);
  w.harness.clock.advance_ms(60'000);
  o = settle_now(o, p);
  EXPECT_EQ(o.state, "absent");
  EXPECT_TRUE(o.settled_ms);
}

TEST_P(SettleOnSim, AnOrderThatLandsLateIsStillFoundAndCancelled) {
  OrderRequest r = request();
  store::OrderRecord o = settle_now(record_of(r));
  EXPECT_EQ(o.absent_answers, 1);
  ASSERT_TRUE(tb::test::run(w.venue->create_order(signer, r)));  // the create arrives after all
  o = settle_now(o);
  EXPECT_EQ(o.state, "cancelled") << o.note;
  EXPECT_EQ(o.absent_answers, 0);
  EXPECT_TRUE(w.exchange.open_orders(k.key).empty());
}

TEST_P(SettleOnSim, WithoutCancelAnOpenOrderStaysOpenAndUnsettled) {
  OrderRequest r = request();
  ASSERT_TRUE(tb::test::run(w.venue->create_order(signer, r)));
  SettlePolicy p;
  p.cancel_open = false;  // a robot's order: found open, it is the robot's to manage
  store::OrderRecord o = settle_now(record_of(r), p);
  EXPECT_EQ(o.state, "open");
  EXPECT_FALSE(o.settled_ms);
  EXPECT_EQ(w.exchange.open_orders(k.key).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Venues, SettleOnSim, ::testing::Values("binance_futures", "kraken", "bitfinex"),
                         [](const auto& info) { return info.param; });

TEST(OrderState, TextRoundTripsAndFinalStatesAreSettled) {
  for (auto s : {OrderState::Intent, OrderState::Unknown, OrderState::Open, OrderState::Cancelled, OrderState::Filled, OrderState::Closed,
                 OrderState::Rejected, OrderState::Absent})
    EXPECT_EQ(parse_order_state(to_string(s)), s);
  EXPECT_FALSE(parse_order_state("gone"));
  EXPECT_FALSE(is_settled(OrderState::Intent));
  EXPECT_FALSE(is_settled(OrderState::Unknown));
  EXPECT_FALSE(is_settled(OrderState::Open));
  EXPECT_TRUE(is_settled(OrderState::Absent));
  Order o;
  o.status = OrderStatus::Canceled;
  EXPECT_EQ(state_of(o), OrderState::Cancelled);
  o.filled = *Decimal::parse("0.1");
  EXPECT_EQ(state_of(o), OrderState::Closed);  // partly filled, then cancelled
  o.status = OrderStatus::PartiallyFilled;
  EXPECT_EQ(state_of(o), OrderState::Open);
}

}  // namespace
}  // namespace tb::orders
