// A live robot steps only through candles without a hole: it stops before one, the passes count how long
// it stays, and only a hole still there after `tries` passes, with candles after it and closed before it
// was first seen, is filled flat at the close before it with volume 0.
#include <gtest/gtest.h>

#include "robots/candles_support.hpp"
#include "robots/gaps.hpp"

namespace tb::robots {
namespace {

constexpr int64_t kMin = 60'000;

std::vector<Candle> without(std::vector<Candle> v, std::vector<size_t> drop) {
  std::vector<Candle> out;
  for (size_t i = 0; i < v.size(); ++i)
    if (std::find(drop.begin(), drop.end(), i) == drop.end()) out.push_back(v[i]);
  return out;
}

TEST(Gaps, ARobotStopsBeforeAHoleUntilTheVenueFillsIt) {
  const auto all = testing::walk(20, 3);
  const auto answer = without(all, {8});
  const int64_t now = all.back().open_time_ms + 5 * kMin;
  GapWatch watch;
  for (int pass = 1; pass <= 2; ++pass) {
    Steppable s = steppable(answer, all[3].open_time_ms, &all[2], kMin, now + pass, 3, watch);
    ASSERT_EQ(s.candles.size(), 5u) << pass;  // 3..7
    EXPECT_EQ(s.candles.back().open_time_ms, all[7].open_time_ms);
    EXPECT_TRUE(s.filled.empty());
    EXPECT_EQ(watch.gap_ms, all[8].open_time_ms);
    EXPECT_EQ(watch.passes, pass);
    EXPECT_EQ(watch.first_seen_ms, now + 1);
  }
  // The venue has it now: everything, and the watch is over.
  Steppable s = steppable(all, all[3].open_time_ms, &all[2], kMin, now + 3, 3, watch);
  EXPECT_EQ(s.candles.size(), 17u);
  EXPECT_TRUE(s.filled.empty());
  EXPECT_EQ(watch.gap_ms, -1);
}

TEST(Gaps, AHoleTheVenueKeepsIsFilledFlatAtThePreviousCloseAfterTheTries) {
  const auto all = testing::walk(20, 4);
  const auto answer = without(all, {3, 8, 9});  // the first one the robot needs, and two more
  const int64_t now = all.back().open_time_ms + 5 * kMin;
  GapWatch watch;
  for (int pass = 1; pass <= 2; ++pass) EXPECT_TRUE(steppable(answer, all[3].open_time_ms, &all[2], kMin, now, 3, watch).candles.empty());
  Steppable s = steppable(answer, all[3].open_time_ms, &all[2], kMin, now, 3, watch);
  ASSERT_EQ(s.candles.size(), 17u);
  ASSERT_EQ(s.filled.size(), 3u);
  const Candle& first = s.filled[0];
  EXPECT_EQ(first.open_time_ms, all[3].open_time_ms);
  EXPECT_EQ(first.open, all[2].close);
  EXPECT_EQ(first.high, all[2].close);
  EXPECT_EQ(first.low, all[2].close);
  EXPECT_EQ(first.close, all[2].close);
  EXPECT_TRUE(first.volume.is_zero());
  EXPECT_EQ(s.filled[1].open_time_ms, all[8].open_time_ms);
  EXPECT_EQ(s.filled[1].close, all[7].close);
  EXPECT_EQ(s.filled[2].close, all[7].close);  // a run of missing candles repeats the same close
  for (size_t i = 0; i < s.candles.size(); ++i) EXPECT_EQ(s.candles[i].open_time_ms, all[3 + i].open_time_ms) << i;
}

TEST(Gaps, AHoleThatClosedAfterTheFirstWasSeenWaitsForItsOwnTries) {
  const auto all = testing::walk(20, 5);
  const auto answer = without(all, {5, 12});
  GapWatch watch;
  const int64_t seen = all[10].open_time_ms;  // 5 had closed then, 12 had not
  for (int pass = 1; pass <= 3; ++pass) steppable(answer, all[0].open_time_ms, nullptr, kMin, seen, 3, watch);
  Steppable s = steppable(answer, all[0].open_time_ms, nullptr, kMin, seen, 3, watch);
  EXPECT_EQ(s.filled.size(), 1u);
  EXPECT_EQ(s.candles.back().open_time_ms, all[11].open_time_ms);
  EXPECT_EQ(watch.gap_ms, all[5].open_time_ms);  // the next pass meets 12 as its first hole
  steppable(answer, all[12].open_time_ms, &all[11], kMin, all.back().open_time_ms, 3, watch);
  EXPECT_EQ(watch.gap_ms, all[12].open_time_ms);
  EXPECT_EQ(watch.passes, 1);
}

TEST(Gaps, NoCandleAfterTheLastIsNoHole) {
  const auto all = testing::walk(10, 6);
  GapWatch watch;
  Steppable s = steppable(all, all[0].open_time_ms, nullptr, kMin, 0, 1, watch);
  EXPECT_EQ(s.candles.size(), 10u);
  s = steppable({}, all.back().open_time_ms + kMin, &all.back(), kMin, 0, 1, watch);
  EXPECT_TRUE(s.candles.empty());
  EXPECT_EQ(watch.gap_ms, -1);
}

}  // namespace
}  // namespace tb::robots
