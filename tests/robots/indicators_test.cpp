// Indicators on values worked by hand; tests/robots/indicators.test.mjs checks them over a long walk
// against an independent implementation.
#include "robots/indicators.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "robots/candles_support.hpp"

namespace tb::robots {
namespace {

TEST(Indicators, SmaAndEma) {
  Sma sma(3);
  Smoothed ema = Smoothed::ema(3);
  EXPECT_FALSE(sma.update(1));
  EXPECT_FALSE(ema.update(1));
  EXPECT_FALSE(sma.update(2));
  EXPECT_FALSE(ema.update(2));
  EXPECT_DOUBLE_EQ(*sma.update(6), 3);
  EXPECT_DOUBLE_EQ(*ema.update(6), 3);  // seeded with the mean
  EXPECT_DOUBLE_EQ(*sma.update(10), 6);
  EXPECT_DOUBLE_EQ(*ema.update(10), 0.5 * 10 + 0.5 * 3);
}

TEST(Indicators, WilderAtrStartsWithTheFirstCandlesRange) {
  Atr atr(2);
  EXPECT_FALSE(atr.update({12, 10, 11}));          // TR 2
  EXPECT_DOUBLE_EQ(*atr.update({15, 11, 14}), 3);  // TR max(4, 4, 0) = 4 -> (2 + 4) / 2
  EXPECT_DOUBLE_EQ(*atr.update({14, 13, 13}), 2);  // TR max(1, 0, 1) = 1 -> (3 + 1) / 2
}

TEST(Indicators, AdxOfAStraightRiseIsAHundred) {
  Adx adx(3);
  std::optional<AdxValue> v;
  for (int i = 0; i < 6; ++i) {
    v = adx.update({10.0 + i + 1, 10.0 + i, 10.0 + i + 0.5});
    EXPECT_EQ(v.has_value(), i >= 5) << i;  // DI from candle 4, ADX from candle 2n = 6
  }
  EXPECT_DOUBLE_EQ(v->adx, 100);
  EXPECT_DOUBLE_EQ(v->minus_di, 0);
  EXPECT_DOUBLE_EQ(v->plus_di, 100 / 1.5);  // +DM 1 a candle over a true range of 1.5 (high - previous close)
}

TEST(Indicators, HighestAndLowestOfTheWindow) {
  Extreme hi(3, true), lo(3, false);
  std::vector<double> xs = {5, 7, 6, 4, 3, 8};
  std::vector<double> want_hi = {0, 0, 7, 7, 6, 8}, want_lo = {0, 0, 5, 4, 3, 3};
  for (size_t i = 0; i < xs.size(); ++i) {
    auto h = hi.update(xs[i]);
    auto l = lo.update(xs[i]);
    if (i < 2) {
      EXPECT_FALSE(h);
      continue;
    }
    EXPECT_EQ(*h, want_hi[i]);
    EXPECT_EQ(*l, want_lo[i]);
  }
}

TEST(Indicators, ParabolicSarRisesThenReverses) {
  ParabolicSar sar(0.02, 0.2);
  EXPECT_FALSE(sar.update({10, 9, 9.5}));  // SAR 9, EP 10
  auto v = sar.update({11, 10, 10.5});     // 9 + 0.02 (10 - 9) = 9.02, capped by the lows: 9; new high: EP 11, af 0.04
  EXPECT_DOUBLE_EQ(v->sar, 9);
  EXPECT_TRUE(v->rising);
  v = sar.update({12, 11, 11.5});  // 9 + 0.04 (11 - 9) = 9.08 < lows 9, 10 -> 9
  EXPECT_DOUBLE_EQ(v->sar, 9);
  v = sar.update({9.5, 8, 8.5});  // 9 + 0.06 (12 - 9) = 9.18, below the lows 11 and 10; low 8 crosses: SAR = EP 12
  EXPECT_FALSE(v->rising);
  EXPECT_DOUBLE_EQ(v->sar, 12);
}

TEST(Indicators, SuperTrendTurnsOnACloseBeyondItsBand) {
  SuperTrend st(2, 1);
  EXPECT_FALSE(st.update({11, 9, 10}));
  auto v = st.update({11, 9, 10});  // ATR 2, bands 10 -+ 2: starts up on 8
  EXPECT_TRUE(v->up);
  EXPECT_DOUBLE_EQ(v->line, 8);
  v = st.update({8, 6, 7});  // TR 4 -> ATR 3; lower band max(7 - 3, 8) = 8 (prev close 10 > 8); close 7 < 8: down
  EXPECT_FALSE(v->up);
  EXPECT_DOUBLE_EQ(v->line, 10);  // upper: prev close 10 < 12, min(7 + 3, 12)
}

// Saved halfway and restored into fresh objects, each indicator goes on exactly as the uninterrupted one.
TEST(Indicators, StateRestoresExactly) {
  auto candles = testing::walk(400, 11);
  Sma sma(20), sma2(20);
  Smoothed ema = Smoothed::ema(10), ema2 = Smoothed::ema(10);
  Adx adx(14), adx2(14);
  Extreme hi(20, true), hi2(20, true);
  ParabolicSar sar(0.02, 0.2), sar2(0.02, 0.2);
  SuperTrend st(10, 3), st2(10, 3);
  for (size_t i = 0; i < candles.size(); ++i) {
    Bar b = Bar::of(candles[i]);
    if (i == 200) {
      sma2.restore(nlohmann::json::parse(sma.state().dump()));
      ema2.restore(nlohmann::json::parse(ema.state().dump()));
      adx2.restore(nlohmann::json::parse(adx.state().dump()));
      hi2.restore(nlohmann::json::parse(hi.state().dump()));
      sar2.restore(nlohmann::json::parse(sar.state().dump()));
      st2.restore(nlohmann::json::parse(st.state().dump()));
    }
    auto a = sma.update(b.close);
    auto e = ema.update(b.close);
    auto x = adx.update(b);
    auto h = hi.update(b.high);
    auto s = sar.update(b);
    auto t = st.update(b);
    if (i < 200) continue;
    EXPECT_EQ(*a, *sma2.update(b.close));
    EXPECT_EQ(*e, *ema2.update(b.close));
    EXPECT_EQ(x->adx, adx2.update(b)->adx);
    EXPECT_EQ(*h, *hi2.update(b.high));
    EXPECT_EQ(s->sar, sar2.update(b)->sar);
    EXPECT_EQ(t->line, st2.update(b)->line);
  }
}

}  // namespace
}  // namespace tb::robots
