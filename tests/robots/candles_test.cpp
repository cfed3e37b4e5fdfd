#include "robots/candles.hpp"

#include <gtest/gtest.h>

#include "robots/candles_support.hpp"
#include "robots/time_text.hpp"

namespace tb::robots {
namespace {

using testing::dec;

std::string error_of(std::string_view csv) {
  auto r = parse_candles_csv(csv);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "" : r.error().message;
}

TEST(Candles, ParsesTheSimulatorsFormatWithOrWithoutAHeader) {
  auto r = parse_candles_csv("open_time_ms,open,high,low,close,volume\n60000,10,12,9,11,5\r\n\n120000,11,11.5,10.5,11.25,0\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[1].open_time_ms, 120000);
  EXPECT_EQ((*r)[1].close, dec("11.25"));
  auto bare = parse_candles_csv("60000,10,12,9,11,5");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->front().high, dec("12"));
}

TEST(Candles, ErrorsNameTheLine) {
  EXPECT_EQ(error_of(""), "candles: no candles in the file");
  EXPECT_EQ(error_of("time,open\n"), "candles: no candles in the file");
  EXPECT_EQ(error_of("60000,10,12,9,11\n"), "candles: line 1: want 6 fields (open_time_ms,open,high,low,close,volume), got 5");
  EXPECT_EQ(error_of("60000,10,12,9,11,5\n120000,10,x,9,11,5\n"), "candles: line 2: high 'x' is not a decimal");
  EXPECT_EQ(error_of("60000,10,12,9,11,5\n\n60000,10,12,9,11,5\n"), "candles: line 3: duplicate open_time_ms 60000");
  EXPECT_EQ(error_of("120000,10,12,9,11,5\n60000,10,12,9,11,5\n"), "candles: line 2: open_time_ms is before the line above (unsorted)");
  EXPECT_EQ(error_of("60000,10,10.5,9,11,5\n"), "candles: line 1: high is below open or close");
  EXPECT_EQ(error_of("60000,10,12,10.5,11,5\n"), "candles: line 1: low is above open or close");
  EXPECT_EQ(error_of("60000,10,12,9,11,-5\n"), "candles: line 1: volume is negative");
  EXPECT_EQ(error_of("60000,10,1e20,9,11,5\n"), "candles: line 1: high is too large (10^15 or more)");
  EXPECT_EQ(error_of("6.5,10,12,9,11,5\n"), "candles: line 1: open_time_ms '6.5' is not a time in milliseconds");
  EXPECT_EQ(parse_candles_csv("").error().field, "candles");
}

TEST(Candles, ReadsEveryDecimalFormAsDecimalParseDoes) {
  auto r = parse_candles_csv("60000,+10,1.2e1,9.000,10.,0.000000000000000001\n120000,10.5,.5e2,0010,10,1234567890123\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Candle& a = (*r)[0];
  EXPECT_EQ(a.open.to_string(), Decimal::parse("+10")->to_string());
  EXPECT_EQ(a.high, dec("12"));
  EXPECT_EQ(a.low.to_string(), "9.000");  // the scale kept
  EXPECT_EQ(a.close, dec("10"));
  EXPECT_EQ(a.volume.to_string(), "0.000000000000000001");  // 19 digits: through Decimal::parse
  EXPECT_EQ((*r)[1].high, dec("50"));
  EXPECT_EQ((*r)[1].low.to_string(), "10");
  EXPECT_EQ(error_of("60000,1..2,2,1,1,1\n"), "candles: line 1: open '1..2' is not a decimal");
  EXPECT_EQ(error_of("60000,.,2,1,1,1\n"), "candles: line 1: open '.' is not a decimal");
}

TEST(Candles, WritesWhatItReads) {
  auto candles = testing::walk(50, 3);
  auto back = parse_candles_csv(write_candles_csv(candles));
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), candles.size());
  for (size_t i = 0; i < candles.size(); ++i) {
    EXPECT_EQ((*back)[i].open_time_ms, candles[i].open_time_ms);
    EXPECT_EQ((*back)[i].low, candles[i].low);
    EXPECT_EQ((*back)[i].close, candles[i].close);
  }
}

TEST(Candles, RobotTimeframes) {
  EXPECT_EQ(*parse_robot_timeframe("4h"), Timeframe::H4);
  EXPECT_EQ(robot_timeframes().size(), 7u);
  auto bad = parse_robot_timeframe("1w");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "timeframe");
  EXPECT_EQ(bad.error().message, "timeframe: '1w' is not one of 1m 5m 15m 30m 1h 4h 1d");
}

TEST(Candles, BuildsALargerTimeframeFromASmallerOne) {
  // 1m candles from 00:03 to 00:11: buckets 00:00 (3 of 5 present), 00:05 (full) and 00:10 (2).
  std::vector<Candle> m1;
  for (int i = 3; i <= 11; ++i) {
    std::string p = std::to_string(100 + i);
    m1.push_back(testing::bar(i * 60'000, p, std::to_string(110 + i), std::to_string(90 + i), p));
  }
  auto m5 = build_timeframe(m1, 60'000, Timeframe::M5);
  ASSERT_TRUE(m5.ok());
  ASSERT_EQ(m5->size(), 3u);
  EXPECT_EQ((*m5)[0].open_time_ms, 0);
  EXPECT_EQ((*m5)[0].open, dec("103"));
  EXPECT_EQ((*m5)[0].close, dec("104"));
  EXPECT_EQ((*m5)[1].open_time_ms, 300'000);
  EXPECT_EQ((*m5)[1].open, dec("105"));
  EXPECT_EQ((*m5)[1].high, dec("119"));
  EXPECT_EQ((*m5)[1].low, dec("95"));
  EXPECT_EQ((*m5)[1].close, dec("109"));
  EXPECT_EQ((*m5)[1].volume, dec("5"));
  EXPECT_EQ((*m5)[2].close, dec("111"));
  EXPECT_FALSE(build_timeframe(m1, 7 * 60'000, Timeframe::H1).ok());
}

TEST(Candles, ForATimeframeKeepsBuildsOrRefuses) {
  auto m1 = testing::walk(180, 9);
  auto same = candles_for_timeframe(m1, Timeframe::M1);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->size(), 180u);
  auto h1 = candles_for_timeframe(m1, Timeframe::H1);
  ASSERT_TRUE(h1.ok());
  EXPECT_EQ(h1->size(), 3u);
  auto coarse = candles_for_timeframe(*h1, Timeframe::M5);
  ASSERT_FALSE(coarse.ok());
  EXPECT_EQ(coarse.error().message, "candles: the candles are 60 min apart, coarser than --timeframe 5m");
}

TEST(TimeText, IsoUtcBothWays) {
  EXPECT_EQ(iso_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(iso_utc(1'709'294'400'250), "2024-03-01T12:00:00.250Z");
  EXPECT_EQ(*parse_utc("2024-03-01", "from"), 1'709'251'200'000);
  EXPECT_EQ(*parse_utc("2024-03-01T12:00", "from"), 1'709'294'400'000);
  EXPECT_EQ(*parse_utc("2024-03-01T12:00:30Z", "from"), 1'709'294'430'000);
  auto bad = parse_utc("2024-02-30", "to");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "to");
  EXPECT_FALSE(parse_utc("yesterday", "to").ok());
  EXPECT_EQ(month_index(*parse_utc("2024-03-31T23:59:59", "x")) - month_index(*parse_utc("2023-12-01", "x")), 3);
}

}  // namespace
}  // namespace tb::robots
