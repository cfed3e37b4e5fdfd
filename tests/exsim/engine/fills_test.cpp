// Fills on demand (Exchange::fill_part) and the fills an order keeps: each with its price, quantity and fee,
// the balances and positions moving as with any fill, the rest of the order resting.
#include <gtest/gtest.h>

#include "engine_test_util.hpp"

namespace tb::exsim {
namespace {

using namespace test_util;

class Fills : public ::testing::Test {
 protected:
  ManualClock clock;
  Exchange ex{clock, 1};
  std::string spot = make_key(ex, "kraken", {{"USD", D("10000")}});
  std::string perp = make_key(ex, "binance_futures", {{"USDT", D("10000")}});
};

TEST_F(Fills, PartOfASpotBuyFillsAtItsLimitAsAMaker) {
  auto o = placed(ex.place(spot, limit("XXBTZUSD", Side::Buy, "0.01", "59000.0"), false));
  EXPECT_EQ(ex.balances(spot)["USD"].reserved.to_plain_string(), "590.944");
  auto part = ex.fill_part("kraken", o.id, "", "", D("0.004"));
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(part->status, SimOrderStatus::Open);
  EXPECT_EQ(part->filled, D("0.004"));
  EXPECT_EQ(part->average_price, D("59000"));
  EXPECT_EQ(part->fee, D("0.3776"));  // 236 * 0.0016
  ASSERT_EQ(part->fills.size(), 1u);
  EXPECT_EQ(part->fills[0].qty, D("0.004"));
  EXPECT_TRUE(part->fills[0].maker);
  auto b = ex.balances(spot);
  EXPECT_EQ(b["USD"].total.to_plain_string(), "9763.6224");    // 10000 - 236 - 0.3776
  EXPECT_EQ(b["USD"].reserved.to_plain_string(), "354.5664");  // what the 0.006 left still needs
  EXPECT_EQ(b["BTC"].total, D("0.004"));
  EXPECT_EQ(ex.open_orders(spot).size(), 1u);

  // The market takes the rest: a second fill, the whole fee the sum of both.
  ASSERT_TRUE(ex.set_price("kraken", "XXBTZUSD", D("58900.0")).ok());
  auto done = ex.order(spot, o.id, "");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, SimOrderStatus::Filled);
  ASSERT_EQ(done->fills.size(), 2u);
  EXPECT_EQ(done->fills[1].qty, D("0.006"));
  EXPECT_GT(done->fills[1].id, done->fills[0].id);
  EXPECT_EQ(done->fee, D("0.944"));  // as one fill of 0.01 would have cost
  b = ex.balances(spot);
  EXPECT_EQ(b["USD"].total.to_plain_string(), "9409.056");
  EXPECT_TRUE(b["USD"].reserved.is_zero());
  EXPECT_EQ(b["BTC"].total, D("0.01"));
}

TEST_F(Fills, TheWholeRestFillsTheOrderAndAClientIdNamesIt) {
  OrderSpec spec = limit("BTCUSDT", Side::Sell, "0.1", "61000.00");
  spec.client_order_id = "robot-1";
  auto o = placed(ex.place(perp, spec, true));
  auto part = ex.fill_part("binance_futures", 0, "robot-1", "", D("0.1"));
  ASSERT_TRUE(part) << part.error().message;
  EXPECT_EQ(part->status, SimOrderStatus::Filled);
  EXPECT_EQ(part->fee, D("1.22"));  // 6100 * 0.0002
  auto pos = ex.positions(perp);
  ASSERT_EQ(pos.size(), 1u);
  EXPECT_EQ(pos[0].amount, D("-0.1"));
  EXPECT_EQ(pos[0].entry_price, D("61000"));
  auto b = ex.balances(perp);
  EXPECT_EQ(b["USDT"].reserved.to_plain_string(), "610");  // the position's margin, no order's any more
  EXPECT_EQ(b["USDT"].total.to_plain_string(), "9998.78");
  EXPECT_EQ(ex.order(perp, o.id, "")->fills.size(), 1u);
}

TEST_F(Fills, RefusalsNameTheField) {
  auto o = placed(ex.place(spot, limit("XXBTZUSD", Side::Buy, "0.01", "59000.0"), false));
  auto field_of = [](const Result<SimOrder>& r) { return r ? std::string() : r.error().message.substr(0, r.error().message.find(':')); };
  EXPECT_EQ(field_of(ex.fill_part("kraken", 42, "", "", D("0.001"))), "order_id");
  EXPECT_EQ(field_of(ex.fill_part("kraken", 0, "nope", "", D("0.001"))), "client_order_id");
  EXPECT_EQ(field_of(ex.fill_part("kraken", o.id, "", "", D("0"))), "amount");
  EXPECT_EQ(field_of(ex.fill_part("kraken", o.id, "", "", D("0.011"))), "amount");        // above the rest
  EXPECT_EQ(field_of(ex.fill_part("kraken", o.id, "", "", D("0.000000001"))), "amount");  // off the step
  auto market_order = placed(ex.place(spot, market("XXBTZUSD", Side::Buy, "0.001"), false));
  EXPECT_EQ(field_of(ex.fill_part("kraken", market_order.id, "", "", D("0.001"))), "order_id");  // filled already
  EXPECT_EQ(ex.order(spot, o.id, "")->filled, D("0"));                                           // nothing moved
}

TEST_F(Fills, AReduceOnlyPartNeedsThePositionItReduces) {
  placed(ex.place(perp, market("BTCUSDT", Side::Buy, "0.01"), false));
  OrderSpec close = limit("BTCUSDT", Side::Sell, "0.01", "61000.00");
  close.reduce_only = true;
  auto o = placed(ex.place(perp, close, true));
  placed(ex.place(perp, market("BTCUSDT", Side::Sell, "0.01"), false));  // closed by hand meanwhile
  auto part = ex.fill_part("binance_futures", o.id, "", "", D("0.005"));
  ASSERT_FALSE(part);
  EXPECT_EQ(part.error().kind, ErrorKind::Conflict);
}

TEST_F(Fills, FillsAndTradeIdsSurviveASaveAndLoad) {
  auto o = placed(ex.place(spot, limit("XXBTZUSD", Side::Buy, "0.01", "59000.0"), false));
  ASSERT_TRUE(ex.fill_part("kraken", o.id, "", "", D("0.004")));
  std::string path = ::testing::TempDir() + "fills_state.json";
  ASSERT_TRUE(ex.save(path).ok());
  Exchange loaded{clock, 1};
  ASSERT_TRUE(loaded.load(path).ok());
  auto back = loaded.order(spot, o.id, "");
  ASSERT_TRUE(back);
  ASSERT_EQ(back->fills.size(), 1u);
  EXPECT_EQ(back->fills[0].fee, D("0.3776"));
  EXPECT_EQ(loaded.balances(spot)["USD"].reserved.to_plain_string(), "354.5664");
  auto next = loaded.fill_part("kraken", o.id, "", "", D("0.006"));
  ASSERT_TRUE(next);
  EXPECT_GT(next->fills[1].id, next->fills[0].id);  // trade ids go on where they stopped
  EXPECT_EQ(next->status, SimOrderStatus::Filled);
}

}  // namespace
}  // namespace tb::exsim
