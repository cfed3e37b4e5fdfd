#include <gtest/gtest.h>

#include "engine_test_util.hpp"

namespace tb::exsim {
namespace {

using namespace test_util;

constexpr int64_t kMin = 60'000;

void expect_well_formed(const std::vector<SimCandle>& cs, int64_t tf) {
  for (size_t i = 0; i < cs.size(); ++i) {
    const auto& c = cs[i];
    EXPECT_GE(c.high, c.open);
    EXPECT_GE(c.high, c.close);
    EXPECT_LE(c.low, c.open);
    EXPECT_LE(c.low, c.close);
    EXPECT_TRUE(c.low.is_positive());
    EXPECT_FALSE(c.volume.is_negative());
    EXPECT_EQ(c.open_time_ms % tf, 0);
    if (i > 0) {
      EXPECT_EQ(c.open_time_ms, cs[i - 1].open_time_ms + tf) << "contiguous";
    }
  }
}

TEST(EnginePrices, CandlesWellFormedContiguousAndEndNow) {
  ManualClock clock;
  Exchange ex(clock, 3);
  for (const char* venue : {"binance_futures", "kraken", "bitfinex"}) {
    for (const auto& m : ex.markets(venue)) {
      auto cs = ex.candles(venue, m.id, kMin, std::nullopt, 300);
      ASSERT_EQ(cs.size(), 300u) << m.id;
      expect_well_formed(cs, kMin);
      EXPECT_EQ(cs.back().open_time_ms, clock.now_ms() / kMin * kMin);
      EXPECT_EQ(cs.back().close, ex.price(venue, m.id));
      for (size_t i = 1; i < cs.size(); ++i) EXPECT_EQ(cs[i].open, cs[i - 1].close);  // a walk, minute to minute
      for (const auto& c : cs) {
        if (m.tick.is_positive()) {
          EXPECT_TRUE(c.close.is_multiple_of(m.tick)) << m.id << " " << c.close.to_string();
          EXPECT_TRUE(c.high.is_multiple_of(m.tick));
        }
        EXPECT_TRUE(c.volume.is_multiple_of(m.step));
      }
    }
  }
  auto hours = ex.candles("kraken", "XXBTZUSD", 60 * kMin, std::nullopt, 500);
  EXPECT_EQ(hours.size(), 500u);  // a month of history is there
  expect_well_formed(hours, 60 * kMin);
  auto weeks = ex.candles("kraken", "XXBTZUSD", 7 * 24 * 60 * kMin, std::nullopt, 10);
  ASSERT_FALSE(weeks.empty());
  // Weeks open on Monday: 1970-01-05 was one.
  EXPECT_EQ((weeks[0].open_time_ms - 4 * 24 * 60 * kMin) % (7 * 24 * 60 * kMin), 0);
}

TEST(EnginePrices, DeterministicForASeedAndClock) {
  ManualClock c1, c2;
  Exchange a(c1, 42), b(c2, 42), other(c1, 43);
  c1.advance_ms(90 * kMin);
  c2.advance_ms(90 * kMin);
  auto ca = a.candles("bitfinex", "tBTCUSD", 5 * kMin, std::nullopt, 100);
  auto cb = b.candles("bitfinex", "tBTCUSD", 5 * kMin, std::nullopt, 100);
  auto co = other.candles("bitfinex", "tBTCUSD", 5 * kMin, std::nullopt, 100);
  ASSERT_EQ(ca.size(), cb.size());
  bool differs = false;
  for (size_t i = 0; i < ca.size(); ++i) {
    EXPECT_EQ(ca[i].open_time_ms, cb[i].open_time_ms);
    EXPECT_EQ(ca[i].open, cb[i].open);
    EXPECT_EQ(ca[i].high, cb[i].high);
    EXPECT_EQ(ca[i].low, cb[i].low);
    EXPECT_EQ(ca[i].close, cb[i].close);
    EXPECT_EQ(ca[i].volume, cb[i].volume);
    differs |= ca[i].close != co[i].close;
  }
  EXPECT_TRUE(differs);
  EXPECT_EQ(a.price("bitfinex", "tBTCUSD"), b.price("bitfinex", "tBTCUSD"));
}

TEST(EnginePrices, OneStepPerMinuteAndAggregatesAgree) {
  ManualClock clock(1'700'000'000'000 / kMin * kMin);
  Exchange ex(clock, 5);
  Decimal p0 = ex.price("binance_futures", "ETHUSDT");
  clock.advance_ms(59'999);
  EXPECT_EQ(ex.price("binance_futures", "ETHUSDT"), p0);  // same minute, same price
  clock.advance_ms(60 * kMin);
  auto minutes = ex.candles("binance_futures", "ETHUSDT", kMin, std::nullopt, 120);
  auto hours = ex.candles("binance_futures", "ETHUSDT", 60 * kMin, std::nullopt, 2);
  ASSERT_EQ(hours.size(), 2u);
  // The last full hour, rebuilt from its minutes.
  const SimCandle& h = hours[0];
  Decimal hi = Decimal(), lo = Decimal::from_int(1'000'000), vol;
  Decimal open, close;
  int n = 0;
  for (const auto& m : minutes) {
    if (m.open_time_ms < h.open_time_ms || m.open_time_ms >= h.open_time_ms + 60 * kMin) continue;
    if (n++ == 0) open = m.open;
    close = m.close;
    hi = std::max(hi, m.high);
    lo = std::min(lo, m.low);
    vol += m.volume;
  }
  EXPECT_EQ(n, 60);
  EXPECT_EQ(h.open, open);
  EXPECT_EQ(h.close, close);
  EXPECT_EQ(h.high, hi);
  EXPECT_EQ(h.low, lo);
  EXPECT_EQ(h.volume, vol);
}

TEST(EnginePrices, SinceGivesTheFirstOpenAtOrAfterIt) {
  ManualClock clock;
  Exchange ex(clock, 1);
  int64_t since = clock.now_ms() - 3 * 60 * kMin + 1;
  auto cs = ex.candles("kraken", "XETHZUSD", 15 * kMin, since, 5);
  ASSERT_EQ(cs.size(), 5u);
  EXPECT_GE(cs[0].open_time_ms, since);
  EXPECT_LT(cs[0].open_time_ms - since, 15 * kMin);
  auto till_now = ex.candles("kraken", "XETHZUSD", 15 * kMin, since, 1000);
  EXPECT_EQ(till_now.back().open_time_ms, clock.now_ms() / (15 * kMin) * (15 * kMin));
  EXPECT_TRUE(ex.candles("kraken", "NOPE", kMin, std::nullopt, 5).empty());
}

TEST(EnginePrices, SetPriceSteersAndTheWalkGoesOnFromThere) {
  ManualClock clock;
  Exchange ex(clock, 1);
  ASSERT_TRUE(ex.set_price("kraken", "XXBTZUSD", D("70000.0")).ok());
  EXPECT_EQ(ex.price("kraken", "XXBTZUSD"), D("70000"));
  EXPECT_GE(ex.candles("kraken", "XXBTZUSD", kMin, std::nullopt, 1)[0].high, D("70000"));
  clock.advance_ms(kMin);
  Decimal next = ex.price("kraken", "XXBTZUSD");
  EXPECT_GT(next, D("65000"));
  EXPECT_LT(next, D("75000"));
  EXPECT_EQ(ex.candles("kraken", "XXBTZUSD", kMin, std::nullopt, 1)[0].open, D("70000"));
  EXPECT_FALSE(ex.set_price("kraken", "XXBTZUSD", D("70000.05")).ok());  // off the tick
  EXPECT_FALSE(ex.set_price("kraken", "XXBTZUSD", D("-1")).ok());
  EXPECT_FALSE(ex.set_price("kraken", "NOPE", D("1")).ok());
}

TEST(EnginePrices, RestingOrdersFillAsTimeMovesThePrice) {
  ManualClock clock;
  Exchange ex(clock, 9);
  auto key = make_key(ex, "bitfinex", {{"USD", D("100000")}});
  // Orders a little off the price on both sides; a day of walk crosses at least one of them.
  auto buy = placed(ex.place(key, limit("tBTCUSD", Side::Buy, "0.01", "59400"), false));
  ex.set_balance(key, "BTC", D("1"));
  auto sell = placed(ex.place(key, limit("tBTCUSD", Side::Sell, "0.01", "60600"), false));
  clock.advance_ms(24 * 60 * kMin);
  auto b = ex.order(key, buy.id, "");
  auto s = ex.order(key, sell.id, "");
  EXPECT_TRUE(b->status == SimOrderStatus::Filled || s->status == SimOrderStatus::Filled);
  auto day = ex.candles("bitfinex", "tBTCUSD", kMin, std::nullopt, 24 * 60);
  Decimal lo = day[0].low, hi = day[0].high;
  for (auto& c : day) lo = std::min(lo, c.low), hi = std::max(hi, c.high);
  EXPECT_EQ(b->status == SimOrderStatus::Filled, lo <= D("59400"));
  EXPECT_EQ(s->status == SimOrderStatus::Filled, hi >= D("60600"));
}

TEST(EnginePrices, LongRunsAndLongPausesKeepTheSeriesWhole) {
  ManualClock clock;
  Exchange ex(clock, 4);
  constexpr int64_t kDay = 24 * 60 * kMin;
  for (int d = 0; d < 32; ++d) {  // a day at a time: the walk runs every minute, old history is dropped
    clock.advance_ms(kDay);
    EXPECT_TRUE(ex.price("binance_futures", "XRPUSDT").is_positive());
  }
  auto days = ex.candles("binance_futures", "XRPUSDT", kDay, std::nullopt, 60);
  EXPECT_GE(days.size(), 29u);
  EXPECT_LE(days.size(), 32u);
  expect_well_formed(days, kDay);
  clock.advance_ms(40 * kDay);  // a long pause, as after a restore: the series goes on without a gap
  auto after = ex.candles("binance_futures", "XRPUSDT", 60 * kMin, std::nullopt, 200);
  EXPECT_EQ(after.size(), 200u);
  expect_well_formed(after, 60 * kMin);
  EXPECT_EQ(after.back().open_time_ms, clock.now_ms() / (60 * kMin) * (60 * kMin));
}

TEST(EnginePrices, CsvReplay) {
  ManualClock clock;
  Exchange ex(clock, 1);
  std::string csv =
      "open_time_ms,open,high,low,close,volume\n"
      "1700000000000,100.00,101.00,99.00,100.50,10\n"
      "1700000060000,100.50,102.00,100.00,101.50,12\n"
      "1700000120000,101.50,101.50,98.00,98.50,30\n";
  ASSERT_TRUE(ex.load_candles_csv("kraken", "SOLUSD", csv).ok());
  EXPECT_EQ(ex.price("kraken", "SOLUSD"), D("100.5"));
  clock.advance_ms(kMin);
  EXPECT_EQ(ex.price("kraken", "SOLUSD"), D("101.5"));
  clock.advance_ms(kMin);
  EXPECT_EQ(ex.price("kraken", "SOLUSD"), D("98.5"));
  auto cs = ex.candles("kraken", "SOLUSD", kMin, std::nullopt, 3);
  EXPECT_EQ(cs[0].high, D("101"));
  EXPECT_EQ(cs[1].volume, D("12"));
  EXPECT_EQ(cs[2].low, D("98"));
  clock.advance_ms(kMin);  // then the walk goes on from the last close
  EXPECT_EQ(ex.candles("kraken", "SOLUSD", kMin, std::nullopt, 1)[0].open, D("98.5"));

  EXPECT_FALSE(ex.load_candles_csv("kraken", "SOLUSD", "1,2,1,3,2,1\n").ok());  // high below low
  EXPECT_FALSE(ex.load_candles_csv("kraken", "SOLUSD", "1,2,3\n").ok());
  EXPECT_FALSE(ex.load_candles_csv("kraken", "SOLUSD", "").ok());
  EXPECT_FALSE(ex.load_candles_csv("kraken", "NOPE", csv).ok());
}

}  // namespace
}  // namespace tb::exsim
