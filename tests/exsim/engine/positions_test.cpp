#include <gtest/gtest.h>

#include "engine_test_util.hpp"

namespace tb::exsim {
namespace {

using namespace test_util;

class Perpetual : public ::testing::Test {
 protected:
  ManualClock clock;
  Exchange ex{clock, 1};
  std::string key = make_key(ex, "binance_futures", {{"USDT", D("10000")}});

  std::optional<SimPosition> btc() {
    for (auto& p : ex.positions(key))
      if (p.symbol == "BTCUSDT") return p;
    return std::nullopt;
  }
  void price(const char* p) { ASSERT_TRUE(ex.set_price("binance_futures", "BTCUSDT", D(p)).ok()); }
};

TEST_F(Perpetual, OpenIncreaseReduceCloseWithPnl) {
  auto open = placed(ex.place(key, market("BTCUSDT", Side::Buy, "0.1"), false));
  EXPECT_EQ(open.fee, D("2.4"));  // 6000 * 0.0004
  auto b = ex.balances(key);
  EXPECT_EQ(b["USDT"].total.to_plain_string(), "9997.6");
  EXPECT_EQ(b["USDT"].reserved.to_plain_string(), "600");  // initial margin at 10x
  EXPECT_TRUE(b["BTC"].total.is_zero());                   // a perpetual holds no base
  ASSERT_TRUE(btc());
  EXPECT_EQ(btc()->amount, D("0.1"));
  EXPECT_EQ(btc()->entry_price, D("60000"));

  price("61000.00");
  placed(ex.place(key, market("BTCUSDT", Side::Buy, "0.1"), false));  // fee 2.44
  EXPECT_EQ(btc()->amount, D("0.2"));
  EXPECT_EQ(btc()->entry_price, D("60500"));
  EXPECT_EQ(btc()->unrealized_pnl, D("100"));
  b = ex.balances(key);
  EXPECT_EQ(b["USDT"].total.to_plain_string(), "9995.16");
  EXPECT_EQ(b["USDT"].reserved.to_plain_string(), "1210");

  price("62000.00");
  auto reduce = market("BTCUSDT", Side::Sell, "0.05");
  reduce.reduce_only = true;
  placed(ex.place(key, reduce, true));  // +75 PnL, fee 1.24
  EXPECT_EQ(btc()->amount, D("0.15"));
  EXPECT_EQ(btc()->entry_price, D("60500"));
  b = ex.balances(key);
  EXPECT_EQ(b["USDT"].total.to_plain_string(), "10068.92");
  EXPECT_EQ(b["USDT"].reserved.to_plain_string(), "907.5");

  price("59000.00");
  placed(ex.place(key, market("BTCUSDT", Side::Sell, "0.15"), true));  // -225 PnL, fee 3.54
  EXPECT_FALSE(btc());
  b = ex.balances(key);
  EXPECT_EQ(b["USDT"].total.to_plain_string(), "9840.38");
  EXPECT_TRUE(b["USDT"].reserved.is_zero());
}

TEST_F(Perpetual, ShortThenFlipLong) {
  placed(ex.place(key, market("BTCUSDT", Side::Sell, "0.1"), true));  // fee 2.4
  EXPECT_EQ(btc()->amount, D("-0.1"));
  price("59000.00");
  EXPECT_EQ(btc()->unrealized_pnl, D("100"));
  placed(ex.place(key, market("BTCUSDT", Side::Buy, "0.3"), true));  // closes 0.1 (+100), opens 0.2; fee 7.08
  EXPECT_EQ(btc()->amount, D("0.2"));
  EXPECT_EQ(btc()->entry_price, D("59000"));
  auto b = ex.balances(key);
  EXPECT_EQ(b["USDT"].total.to_plain_string(), "10090.52");  // 10000 - 2.4 + 100 - 7.08
  EXPECT_EQ(b["USDT"].reserved.to_plain_string(), "1180");
}

TEST_F(Perpetual, ReduceOnlyRefusedWithoutAPositionToReduce) {
  auto r = market("BTCUSDT", Side::Sell, "0.1");
  r.reduce_only = true;
  EXPECT_EQ(refusal(ex.place(key, r, true)), Refusal::ReduceOnlyRejected);
  placed(ex.place(key, market("BTCUSDT", Side::Buy, "0.1"), true));
  auto same_side = market("BTCUSDT", Side::Buy, "0.1");
  same_side.reduce_only = true;
  EXPECT_EQ(refusal(ex.place(key, same_side, true)), Refusal::ReduceOnlyRejected);
  auto too_big = market("BTCUSDT", Side::Sell, "0.2");
  too_big.reduce_only = true;
  EXPECT_EQ(refusal(ex.place(key, too_big, true)), Refusal::ReduceOnlyRejected);
  // Below min notional is fine for reduce-only (it closes, Binance exempts it).
  auto small = market("BTCUSDT", Side::Sell, "0.001");
  small.reduce_only = true;
  EXPECT_EQ(placed(ex.place(key, small, true)).status, SimOrderStatus::Filled);
}

TEST_F(Perpetual, RestingLimitReservesMarginAndFillsAsMaker) {
  auto o = placed(ex.place(key, limit("BTCUSDT", Side::Buy, "0.1", "59000.00"), true));
  EXPECT_EQ(o.status, SimOrderStatus::Open);
  EXPECT_EQ(ex.balances(key)["USDT"].reserved.to_plain_string(), "590");
  price("58999.90");
  auto f = ex.order(key, o.id, "");
  EXPECT_EQ(f->status, SimOrderStatus::Filled);
  EXPECT_EQ(f->fee, D("1.18"));  // 5900 * 0.0002
  auto b = ex.balances(key);
  EXPECT_EQ(b["USDT"].total.to_plain_string(), "9998.82");
  EXPECT_EQ(b["USDT"].reserved.to_plain_string(), "590");  // now the position's margin
  EXPECT_EQ(btc()->entry_price, D("59000"));
}

TEST_F(Perpetual, MarginLimitsTheSize) {
  // 10000 USDT at 10x carries 100000 notional, less the fee.
  EXPECT_EQ(refusal(ex.place(key, market("BTCUSDT", Side::Buy, "1.7"), true)), Refusal::InsufficientFunds);
  EXPECT_EQ(placed(ex.place(key, market("BTCUSDT", Side::Buy, "1.6"), true)).status, SimOrderStatus::Filled);
}

TEST_F(Perpetual, ClosingNeedsNoMarginEvenWithoutReduceOnly) {
  placed(ex.place(key, market("BTCUSDT", Side::Buy, "1.6"), true));  // margin 9600 of 9961.6
  auto b = ex.balances(key);
  EXPECT_EQ(b["USDT"].free().to_plain_string(), "361.6");
  // Selling the whole position closes it; selling more opens a short whose margin must fit.
  EXPECT_EQ(refusal(ex.place(key, market("BTCUSDT", Side::Sell, "2.3"), true)), Refusal::InsufficientFunds);
  EXPECT_EQ(placed(ex.place(key, market("BTCUSDT", Side::Sell, "1.6"), true)).status, SimOrderStatus::Filled);
  EXPECT_FALSE(btc());
  b = ex.balances(key);
  EXPECT_EQ(b["USDT"].total.to_plain_string(), "9923.2");  // two taker fees of 38.4
  EXPECT_TRUE(b["USDT"].reserved.is_zero());
}

// Hedge mode: the long and the short of a symbol are two positions; an order names the one it acts on.
TEST_F(Perpetual, HedgeModeKeepsTheLongAndTheShortApart) {
  ASSERT_TRUE(ex.set_hedge_mode(key, true).ok());
  auto hedged = [](OrderSpec s, PositionSide side, bool closes) {
    s.position_side = side;
    s.reduce_only = closes;
    return s;
  };
  placed(ex.place(key, hedged(market("BTCUSDT", Side::Buy, "0.1"), PositionSide::Long, false), false));
  placed(ex.place(key, hedged(market("BTCUSDT", Side::Sell, "0.05"), PositionSide::Short, false), false));
  auto ps = ex.positions(key);
  ASSERT_EQ(ps.size(), 2u);
  for (auto& p : ps) EXPECT_EQ(p.amount, p.side == PositionSide::Long ? D("0.1") : D("-0.05"));
  EXPECT_EQ(ex.balances(key)["USDT"].reserved.to_plain_string(), "900");  // (6000 + 3000) / 10: no netting

  price("61000.00");
  auto closed = placed(ex.place(key, hedged(market("BTCUSDT", Side::Sell, "0.1"), PositionSide::Long, true), false));
  EXPECT_EQ(closed.status, SimOrderStatus::Filled);
  ps = ex.positions(key);
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].side, PositionSide::Short);
  EXPECT_EQ(ps[0].amount, D("-0.05"));
  EXPECT_EQ(ps[0].entry_price, D("60000"));
  // Closing more than the side holds is refused, whatever the other side holds.
  EXPECT_EQ(refusal(ex.place(key, hedged(market("BTCUSDT", Side::Sell, "0.01"), PositionSide::Long, true), false)),
            Refusal::ReduceOnlyRejected);
  EXPECT_EQ(refusal(ex.place(key, hedged(market("BTCUSDT", Side::Buy, "0.06"), PositionSide::Short, true), false)),
            Refusal::ReduceOnlyRejected);
  std::string path = ::testing::TempDir() + "hedge_state.json";
  ASSERT_TRUE(ex.save(path).ok());
  Exchange loaded{clock, 1};
  ASSERT_TRUE(loaded.load(path).ok());
  auto back = loaded.positions(key);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].side, PositionSide::Short);  // the side survives a restart
  EXPECT_EQ(back[0].amount, D("-0.05"));
}

TEST_F(Perpetual, AbsurdPricesAreRefusedNotThrown) {
  EXPECT_EQ(refusal(ex.place(key, limit("BTCUSDT", Side::Sell, "1000", "99999999999999999999.9"), true)), Refusal::InvalidPrice);
}

}  // namespace
}  // namespace tb::exsim
