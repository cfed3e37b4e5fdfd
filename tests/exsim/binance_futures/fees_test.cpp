// The fee of an order as tradebridge reads it from the simulated venue: order answers carry none, so the
// connector reads the order's fills (userTrades by orderId), and their commissions sum to the engine's fee,
// partial fills included.
#include <gtest/gtest.h>

#include "sim_fixture.hpp"

namespace tb::exsim::bf_test {
namespace {

Decimal D(const char* s) { return *Decimal::parse(s); }

TEST(BinanceSimFees, AFilledOrdersFillsCarryTheEnginesFee) {
  Sim s;
  auto bf = s.connector();
  auto k = s.trading_key();
  auto signer = signer_for(k);
  ASSERT_TRUE(s.exchange.set_price("binance_futures", "BTCUSDT", D("60000")).ok());
  OrderRequest r;
  r.symbol = "BTCUSDT";
  r.type = OrderType::Market;
  r.amount = D("0.010");
  auto first = test::run(bf->create_order(signer, r));
  ASSERT_TRUE(first) << first.error().describe();
  auto second = test::run(bf->create_order(signer, r));  // another order's fills stay out of the first's
  ASSERT_TRUE(second);
  auto trades = test::run(bf->order_trades(signer, OrderRef{"BTCUSDT", first->id, ""}));
  ASSERT_TRUE(trades) << trades.error().describe();
  ASSERT_EQ(trades->size(), 1u);
  EXPECT_EQ((*trades)[0].order_id, first->id);
  EXPECT_EQ((*trades)[0].maker, false);
  auto total = total_fee(*trades);
  ASSERT_TRUE(total);
  EXPECT_EQ(total->asset, "USDT");
  EXPECT_EQ(total->amount, D("0.24"));  // 600 * 0.0004 taker
  EXPECT_EQ(total->amount, s.exchange.order(k.key, std::stoull(first->id), "")->fee);
  auto by_client_id = test::run(bf->order_trades(signer, OrderRef{"BTCUSDT", "", first->client_order_id}));
  ASSERT_FALSE(by_client_id);  // the venue lists fills by its own order id only
  EXPECT_EQ(by_client_id.error().kind, ErrorKind::InvalidArgument);
}

TEST(BinanceSimFees, PartialFillsAreReadAsTheyHappen) {
  Sim s;
  auto bf = s.connector();
  auto k = s.trading_key();
  auto signer = signer_for(k);
  ASSERT_TRUE(s.exchange.set_price("binance_futures", "BTCUSDT", D("60000")).ok());
  auto placed = test::run(bf->create_order(signer, limit_buy("59000.00", "0.010")));
  ASSERT_TRUE(placed) << placed.error().describe();
  const uint64_t id = std::stoull(placed->id);
  ASSERT_TRUE(s.exchange.fill_part("binance_futures", id, "", "", D("0.004")));
  auto part = test::run(bf->fetch_order(signer, OrderRef{"BTCUSDT", placed->id, ""}));
  ASSERT_TRUE(part) << part.error().describe();
  EXPECT_EQ(part->status, OrderStatus::PartiallyFilled);
  EXPECT_EQ(part->filled, D("0.004"));
  EXPECT_EQ(*part->average_price, D("59000"));
  ASSERT_TRUE(s.exchange.fill_part("binance_futures", id, "", "", D("0.006")));
  auto trades = test::run(bf->order_trades(signer, OrderRef{"BTCUSDT", placed->id, ""}));
  ASSERT_TRUE(trades) << trades.error().describe();
  ASSERT_EQ(trades->size(), 2u);
  EXPECT_EQ((*trades)[0].amount, D("0.004"));
  EXPECT_EQ((*trades)[1].amount, D("0.006"));
  EXPECT_EQ((*trades)[0].maker, true);
  EXPECT_EQ(total_fee(*trades)->amount, D("0.118"));  // 590 * 0.0002 maker, over both fills
  auto done = test::run(bf->fetch_order(signer, OrderRef{"BTCUSDT", placed->id, ""}));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, OrderStatus::Filled);
}

}  // namespace
}  // namespace tb::exsim::bf_test
