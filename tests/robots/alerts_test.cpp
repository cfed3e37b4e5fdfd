// A stop or limit alert that a ticker crosses while its candle is open is triggered once and then fills on
// that candle's close whatever its range says; the alerts the ticker did not trigger fill by the candle's
// high and low as in the backtest, and only those count as emitted by the close. Triggers survive a saved
// state.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "robots/candles_support.hpp"
#include "robots/robot_run.hpp"

namespace tb::robots {
namespace {

using testing::bar;
using testing::dec;

// Gives the signals scripted for each candle (by its index), nothing else.
class Scripted final : public Strategy {
 public:
  explicit Scripted(std::map<int64_t, std::vector<Signal>> script) : script_(std::move(script)) {}
  std::string_view id() const override { return "scripted"; }
  int warmup_bars() const override { return 0; }
  void step(const Candle&, const Holding&, std::vector<Signal>& out) override {
    if (auto it = script_.find(index_++); it != script_.end()) out = it->second;
  }
  nlohmann::json state() const override { return {{"index", index_}}; }
  void restore(const nlohmann::json& j) override { index_ = j.at("index").get<int64_t>(); }

 private:
  std::map<int64_t, std::vector<Signal>> script_;
  int64_t index_ = 0;
};

const Signal kLongStop{Action::Long, OrderKind::Stop, dec("105")};
const Signal kShortStop{Action::Short, OrderKind::Stop, dec("95")};

BacktestSettings settings() {
  BacktestSettings s;
  s.volume_quote = dec("1000");
  s.fee_rate = dec("0");
  s.market = MarketRules{dec("0.001"), dec("0.001"), dec("5"), true};
  return s;
}

struct Fixture {
  Scripted strategy{{{0, {kLongStop, kShortStop}}}};
  BacktestSettings s = settings();
  RobotRun run{strategy, s};
};

TEST(Alerts, ATickerCrossingAStopTriggersItOnceAndItFillsAtTheCloseThoughTheRangeMissedIt) {
  Fixture f;
  f.run.step(bar(0, "100", "101", "99", "100"));
  EXPECT_TRUE(f.run.has_untriggered_alerts());
  EXPECT_TRUE(f.run.trigger(dec("104.99")).empty());  // between the stops: nothing
  EXPECT_EQ(f.run.trigger(dec("105")), std::vector<Signal>{kLongStop});
  EXPECT_TRUE(f.run.trigger(dec("106")).empty());  // once
  // Long now (as far as the ticker knows): the short stop can no longer open, whatever the price.
  EXPECT_TRUE(f.run.trigger(dec("90")).empty());
  EXPECT_FALSE(f.run.has_untriggered_alerts());  // nothing left for a ticker to watch
  // The candle's range (the venue's candle disagrees with its ticker) reaches neither stop.
  f.run.step(bar(60'000, "100", "104", "99", "103"));
  EXPECT_TRUE(f.run.alerts_filled().empty());  // emitted by the ticker, not again by the close
  ASSERT_TRUE(f.run.open_position().has_value());
  EXPECT_EQ(f.run.open_position()->side, TradeSide::Long);
  EXPECT_EQ(f.run.open_position()->entry_price, dec("105"));
}

TEST(Alerts, WithoutATickerTheCandlesRangeFillsAndEmitsTheAlertsAsTheBacktestDoes) {
  Fixture f;
  f.run.step(bar(0, "100", "101", "99", "100"));
  // Both stops inside the range: the first given fills (the backtest's order), the other finds a position.
  f.run.step(bar(60'000, "100", "110", "90", "100"));
  EXPECT_EQ(f.run.alerts_filled(), std::vector<Signal>{kLongStop});
  ASSERT_TRUE(f.run.open_position().has_value());
  EXPECT_EQ(f.run.open_position()->side, TradeSide::Long);
}

TEST(Alerts, WhatTheTickerTriggeredFillsBeforeAnAlertTheRangeAlsoCrossed) {
  Fixture f;
  f.run.step(bar(0, "100", "101", "99", "100"));
  EXPECT_EQ(f.run.trigger(dec("94")), std::vector<Signal>{kShortStop});  // the price went down first
  f.run.step(bar(60'000, "100", "110", "90", "100"));
  EXPECT_TRUE(f.run.alerts_filled().empty());  // the long stop met a short position
  ASSERT_TRUE(f.run.open_position().has_value());
  EXPECT_EQ(f.run.open_position()->side, TradeSide::Short);
  EXPECT_EQ(f.run.open_position()->entry_price, dec("95"));  // min(open, stop)
}

TEST(Alerts, ATriggerIsPartOfTheSavedStateAndAnOldStateWithoutTriggersIsTaken) {
  Fixture f;
  f.run.step(bar(0, "100", "101", "99", "100"));
  ASSERT_EQ(f.run.trigger(dec("105")).size(), 1u);
  nlohmann::json saved = f.run.state();
  Fixture g;
  ASSERT_TRUE(g.run.restore(saved).ok());
  EXPECT_TRUE(g.run.trigger(dec("106")).empty());  // triggered before the restart: not again
  g.run.step(bar(60'000, "100", "106", "99", "103"));
  EXPECT_TRUE(g.run.alerts_filled().empty());
  EXPECT_EQ(g.run.open_position()->side, TradeSide::Long);

  saved.erase("triggered");  // as saved before the ticker was watched
  Fixture h;
  ASSERT_TRUE(h.run.restore(saved).ok());
  EXPECT_EQ(h.run.trigger(dec("105")).size(), 1u);
  saved["triggered"] = {5};  // no such alert
  EXPECT_EQ(h.run.restore(saved).error().field, "state");
}

}  // namespace
}  // namespace tb::robots
