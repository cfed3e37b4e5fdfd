// A stop and a stop-limit order end to end on each venue's simulator, read by tradebridge's own connector:
// it rests untriggered with its trigger and limit as the venue shows them, then, once the price reaches the
// trigger, fills as its type says (issue 16 part 5).
#include <gtest/gtest.h>

#include "accounts/sim_world.hpp"
#include "accounts/test_order.hpp"
#include "orders/orders.hpp"

namespace tb::orders {
namespace {

using accounts::test::SimWorld;

Decimal D(const char* s) { return *Decimal::parse(s); }

class ConditionalOnSim : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto markets = tb::test::run(w.venue->markets());
    ASSERT_TRUE(markets) << markets.error().describe();
    const Market* m = accounts::pick_test_market(*markets);
    ASSERT_NE(m, nullptr);
    market = *m;
    ASSERT_TRUE(w.exchange.set_price(GetParam(), market.id, D("60000")).ok());
  }

  // A buy above the market: a stop, released when the price rises to `trigger`.
  void place(OrderType type, const char* trigger, const char* limit = nullptr) {
    exsim::OrderSpec spec;
    spec.symbol = market.id;
    spec.side = Side::Buy;
    spec.type = type;
    spec.trigger_price = D(trigger);
    if (limit) spec.price = D(limit);
    spec.amount = accounts::test_order_amount(market, D(trigger));
    auto placed = w.exchange.place(k.key, spec, false);
    ASSERT_EQ(placed.index(), 0u) << std::get<1>(placed).detail;
  }

  Order the_open_order() {
    auto open = tb::test::run(w.venue->open_orders(signer, market.id));
    if (!open || open->size() != 1) throw std::runtime_error("expected one open order");
    return open->front();
  }

  Order read(const std::string& id) {
    auto o = tb::test::run(w.venue->fetch_order(signer, OrderRef{market.id, id, ""}));
    if (!o) throw std::runtime_error(o.error().describe());
    return *o;
  }

  SimWorld w{GetParam()};
  exsim::ApiKey k = w.key(SimWorld::trading());
  crypto::LocalSigner signer = accounts::test::signer_for(k);
  Market market;
};

TEST_P(ConditionalOnSim, AStopRestsUntilItsTriggerThenFillsAsAMarketOrder) {
  place(OrderType::StopMarket, "66000");
  Order o = the_open_order();
  EXPECT_EQ(o.type, OrderType::StopMarket) << o.venue_type;
  EXPECT_EQ(o.trigger_price, D("66000"));
  EXPECT_EQ(o.price, std::nullopt);
  EXPECT_EQ(o.status, OrderStatus::New);
  ASSERT_TRUE(w.exchange.set_price(GetParam(), market.id, D("63000")).ok());
  EXPECT_EQ(read(o.id).status, OrderStatus::New);  // not reached yet
  ASSERT_TRUE(w.exchange.set_price(GetParam(), market.id, D("67000")).ok());
  Order filled = read(o.id);
  EXPECT_EQ(filled.status, OrderStatus::Filled);
  EXPECT_EQ(filled.type, OrderType::StopMarket);
  EXPECT_EQ(filled.average_price, D("66000"));
}

TEST_P(ConditionalOnSim, AStopLimitShowsTriggerAndLimitApartAndRestsAtItsLimitOnceTriggered) {
  place(OrderType::StopLimit, "66000", "65000");
  Order o = the_open_order();
  EXPECT_EQ(o.type, OrderType::StopLimit) << o.venue_type;
  EXPECT_EQ(o.trigger_price, D("66000"));
  EXPECT_EQ(o.price, D("65000"));
  ASSERT_TRUE(w.exchange.set_price(GetParam(), market.id, D("66500")).ok());  // triggered; 65000 not reached
  EXPECT_EQ(read(o.id).status, OrderStatus::New);
  ASSERT_TRUE(w.exchange.set_price(GetParam(), market.id, D("64900")).ok());
  Order filled = read(o.id);
  EXPECT_EQ(filled.status, OrderStatus::Filled);
  EXPECT_EQ(filled.average_price, D("65000"));
}

INSTANTIATE_TEST_SUITE_P(EveryVenue, ConditionalOnSim, ::testing::Values("binance_futures", "kraken", "bitfinex"));

}  // namespace
}  // namespace tb::orders
