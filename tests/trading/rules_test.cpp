// The desk's pure rules: a volume into an amount on the market's step and minimum, a signal into legs, and
// fills into a position with its profit net of fees.
#include <gtest/gtest.h>

#include "trading/plan.hpp"
#include "trading/position.hpp"
#include "trading/volume.hpp"

namespace tb::trading {
namespace {

using store::SignalAction;
using store::VolumeType;

Decimal dec(const char* s) { return *Decimal::parse(s); }

Market btc() {
  Market m;
  m.id = "BTCUSDT";
  m.base = "BTC";
  m.quote = "USDT";
  m.step_size = dec("0.001");
  m.min_qty = dec("0.001");
  m.min_notional = dec("5");
  return m;
}

TEST(Volume, EachTypeRoundsDownToTheStep) {
  EXPECT_EQ(*entry_amount(VolumeType::AssetFixed, dec("0.0129"), btc(), dec("50000"), {}), dec("0.012"));
  EXPECT_EQ(*entry_amount(VolumeType::QuoteFixed, dec("149.99"), btc(), dec("50000"), {}), dec("0.002"));
  EXPECT_EQ(*entry_amount(VolumeType::BalancePercent, dec("25"), btc(), dec("50000"), dec("1000")), dec("0.005"));
}

TEST(Volume, BelowTheMinimumTheErrorNamesIt) {
  auto r = entry_amount(VolumeType::QuoteFixed, dec("4"), btc(), dec("50000"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "volume");
  EXPECT_NE(r.error().message.find("below the market minimum 0.001 BTC (50 USDT at 50000)"), std::string::npos) << r.error().message;
  Market cheap = btc();
  cheap.min_notional = dec("100");
  EXPECT_EQ(minimum_of(cheap, dec("50000")), "0.002 BTC (100 USDT at 50000)");
}

TEST(Volume, BadVolumesAreRefused) {
  EXPECT_FALSE(check_volume(VolumeType::AssetFixed, dec("0")).ok());
  EXPECT_FALSE(check_volume(VolumeType::QuoteFixed, dec("-1")).ok());
  EXPECT_FALSE(check_volume(VolumeType::BalancePercent, dec("100.5")).ok());
  EXPECT_FALSE(check_volume(VolumeType::BalancePercent, dec("0.5")).ok());
  EXPECT_TRUE(check_volume(VolumeType::BalancePercent, dec("100")).ok());
}

TEST(Plan, SignalsIntoLegs) {
  const Holding longs{true, dec("0.002")}, shorts{false, dec("0.003")};
  EXPECT_EQ(plan_signal(SignalAction::Long, std::nullopt, true, true).size(), 1u);
  EXPECT_TRUE(plan_signal(SignalAction::Long, longs, true, true).empty());
  auto reverse = plan_signal(SignalAction::Long, shorts, true, true);
  ASSERT_EQ(reverse.size(), 2u);
  EXPECT_EQ(reverse[0].kind, Leg::Exit);
  EXPECT_EQ(reverse[0].side, Side::Buy);
  EXPECT_EQ(reverse[0].amount, dec("0.003"));
  EXPECT_TRUE(reverse[0].reduce_only);
  EXPECT_EQ(reverse[1].kind, Leg::Entry);
  EXPECT_TRUE(plan_signal(SignalAction::Short, std::nullopt, false, false).empty());  // no short on spot
  auto spot_exit = plan_signal(SignalAction::Short, longs, false, false);
  ASSERT_EQ(spot_exit.size(), 1u);
  EXPECT_FALSE(spot_exit[0].reduce_only);
  EXPECT_TRUE(plan_signal(SignalAction::CloseShort, longs, true, true).empty());
  EXPECT_EQ(plan_signal(SignalAction::Close, shorts, true, true).size(), 1u);
}

TEST(Position, FillsAverageAndTheLastExitClosesWithProfitNetOfFees) {
  auto p = apply_fill(std::nullopt, 7, {Leg::Entry, Side::Buy, dec("0.001"), dec("50000"), dec("0.02"), 1});
  p = apply_fill(p, 7, {Leg::Entry, Side::Buy, dec("0.001"), dec("51000"), dec("0.0204"), 2});
  ASSERT_TRUE(p);
  EXPECT_EQ(p->entry_price, dec("50500"));
  EXPECT_EQ(holding_of(p)->amount, dec("0.002"));
  p = apply_fill(p, 7, {Leg::Exit, Side::Sell, dec("0.0015"), dec("52000"), dec("0.0312"), 3});
  EXPECT_FALSE(p->closed_ms);
  EXPECT_EQ(holding_of(p)->amount, dec("0.0005"));
  p = apply_fill(p, 7, {Leg::Exit, Side::Sell, dec("0.0005"), dec("52000"), dec("0.0104"), 4});
  EXPECT_EQ(p->closed_ms, 4);
  EXPECT_EQ(p->profit, dec("2.918"));  // 0.002 * 1500 - 0.082
  EXPECT_FALSE(holding_of(p));
  EXPECT_FALSE(apply_fill(std::nullopt, 7, {Leg::Exit, Side::Sell, dec("1"), dec("1"), dec("0"), 5}));
}

}  // namespace
}  // namespace tb::trading
