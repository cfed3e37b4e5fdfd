// The fee of an order as tradebridge reads it from the simulated Bitfinex: order arrays carry none, so the
// connector reads the order's trades (auth/r/order/{SYMBOL}:{ID}/trades), one per fill, each with the
// engine's fee; a partial fill shows as PARTIALLY FILLED.
#include <gtest/gtest.h>

#include "exsim/bitfinex/sim_world.hpp"

namespace tb::exsim {
namespace {

using test::run;
using test_support::SimWorld;

Decimal dec(const char* s) { return *Decimal::parse(s); }

TEST(BitfinexSimFees, OrderTradesCarryTheEnginesFeeFillByFill) {
  SimWorld w;
  auto k = w.key(KeyPermissions{.read = true, .trade = true, .futures = false, .withdraw = false});
  auto s = SimWorld::signer(k);
  ASSERT_TRUE(w.exchange.set_price("bitfinex", "tBTCUSD", dec("30000")));
  OrderRequest r;
  r.symbol = "tBTCUSD";
  r.side = Side::Sell;
  r.type = OrderType::Limit;
  r.amount = dec("0.01");
  r.price = dec("31000");
  auto o = run(w.venue->create_order(s, r));
  ASSERT_TRUE(o) << o.error().describe();
  auto none = run(w.venue->order_trades(s, OrderRef{"tBTCUSD", o->id, ""}));
  ASSERT_TRUE(none) << none.error().describe();
  EXPECT_TRUE(none->empty());

  ASSERT_TRUE(w.exchange.fill_part("bitfinex", std::stoull(o->id), "", "", dec("0.004")));
  auto part = run(w.venue->fetch_order(s, OrderRef{"tBTCUSD", o->id, ""}));
  ASSERT_TRUE(part) << part.error().describe();
  EXPECT_EQ(part->status, OrderStatus::PartiallyFilled);
  EXPECT_EQ(part->filled, dec("0.004"));
  EXPECT_FALSE(part->fee);  // not in the order array

  ASSERT_TRUE(w.exchange.set_price("bitfinex", "tBTCUSD", dec("31500")));  // the rest fills as the price passes
  auto trades = run(w.venue->order_trades(s, OrderRef{"tBTCUSD", o->id, ""}));
  ASSERT_TRUE(trades) << trades.error().describe();
  ASSERT_EQ(trades->size(), 2u);
  EXPECT_EQ((*trades)[0].side, Side::Sell);
  EXPECT_EQ((*trades)[0].amount, dec("0.004"));
  EXPECT_EQ((*trades)[1].amount, dec("0.006"));
  EXPECT_EQ((*trades)[0].price, dec("31000"));
  EXPECT_EQ((*trades)[0].maker, true);
  auto total = total_fee(*trades);
  ASSERT_TRUE(total);
  EXPECT_EQ(total->asset, "USD");
  EXPECT_TRUE(total->amount.is_positive());
  EXPECT_EQ(total->amount, w.exchange.order(k.key, std::stoull(o->id), "")->fee);

  auto other_market = run(w.venue->order_trades(s, OrderRef{"tETHUSD", o->id, ""}));
  ASSERT_TRUE(other_market) << other_market.error().describe();
  EXPECT_TRUE(other_market->empty());  // the order is not on that market
}

}  // namespace
}  // namespace tb::exsim
