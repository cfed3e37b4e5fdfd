// Each strategy on hand-made candles with known signals; each one's state saved and restored mid-run
// continues exactly as the uninterrupted run.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "robots/backtest.hpp"
#include "robots/candles_support.hpp"
#include "robots/registry.hpp"

namespace tb::robots {
namespace {

using testing::bar;
using Signals = std::map<size_t, std::vector<std::string>>;  // candle index -> actions

std::unique_ptr<Strategy> make(const std::string& id, const std::string& params, bool shorts) {
  auto made = make_strategy(id, params, MarketTraits{shorts, *Decimal::parse("0.1")});
  EXPECT_TRUE(made.ok()) << made.error().message;
  return std::move(made->strategy);
}

// Feeds candles, filling every signal at the next candle (as a market order would), and keeps what each
// candle asked for. A strategy can be swapped mid-run (the restore test).
class Driver {
 public:
  std::vector<Signal> step(Strategy& s, const Candle& c, size_t i) {
    for (const auto& sig : pending_) {
      if (sig.action == Action::Long || sig.action == Action::Short) {
        if (holding_.side == Exposure::Flat)
          holding_ = {sig.action == Action::Long ? Exposure::Long : Exposure::Short, c.open, 0}, entry_ = i;
      } else {
        holding_ = {};
      }
    }
    if (holding_.side != Exposure::Flat) holding_.bars_held = static_cast<int64_t>(i - entry_);
    pending_.clear();
    s.step(c, holding_, pending_);
    return pending_;
  }

  Signals run(Strategy& s, const std::vector<Candle>& candles) {
    Signals out;
    for (size_t i = 0; i < candles.size(); ++i)
      for (const auto& sig : step(s, candles[i], i)) out[i].push_back(std::string(to_string(sig.action)));
    return out;
  }

 private:
  Holding holding_;
  size_t entry_ = 0;
  std::vector<Signal> pending_;
};

Signals run(const std::string& id, const std::string& params, bool shorts, const std::vector<Candle>& candles) {
  auto s = make(id, params, shorts);
  return Driver().run(*s, candles);
}

TEST(Strategies, MaCrossCrossesExactlyAsTheIssueSays) {
  auto candles = testing::line({"10", "10", "10", "9", "8", "9", "11", "12", "11", "9", "8"});
  // SMA2 > SMA3 from candle 6, below from 3 and 9; candle 2 (both equal) counts as "not below".
  EXPECT_EQ(run("ma_cross", R"({"fast":2,"slow":3})", true, candles),
            (Signals{{3, {"short"}}, {6, {"close_short", "long"}}, {9, {"close_long", "short"}}}));
  EXPECT_EQ(run("ma_cross", R"({"fast":2,"slow":3})", false, candles), (Signals{{6, {"long"}}, {9, {"close_long"}}}));
}

TEST(Strategies, MaCrossNeedsBothAveragesOnTheCandleBefore) {
  // The first candle with SMA3 has fast > slow, but nothing to cross from: no signal.
  auto candles = testing::line({"10", "11", "12", "13"});
  EXPECT_EQ(run("ma_cross", R"({"fast":1,"slow":3})", true, candles), Signals{});
}

TEST(Strategies, ParabolicReversesWithTheSar) {
  std::vector<Candle> c = {bar(0, "9.5", "10", "9", "9.5"), bar(60'000, "10.5", "11", "10", "10.5"),
                           bar(120'000, "11.5", "12", "11", "11.5"), bar(180'000, "8.5", "9.5", "8", "8.5"),
                           bar(240'000, "12.5", "13", "12", "12.5")};
  EXPECT_EQ(run("parabolic", "{}", true, c), (Signals{{3, {"short"}}, {4, {"close_short", "long"}}}));
  EXPECT_EQ(run("parabolic", "{}", false, c), (Signals{{4, {"long"}}}));
}

TEST(Strategies, SupertrendFollowsTheTurns) {
  std::vector<Candle> c = {bar(0, "10", "11", "9", "10"), bar(60'000, "10", "11", "9", "10"), bar(120'000, "7", "8", "6", "7"),
                           bar(180'000, "14.5", "15", "12", "14.5")};
  EXPECT_EQ(run("supertrend", R"({"period":2,"multiplier":1})", true, c), (Signals{{2, {"short"}}, {3, {"close_short", "long"}}}));
  EXPECT_EQ(run("supertrend", R"({"period":2,"multiplier":1})", false, c), (Signals{{3, {"long"}}}));
}

TEST(Strategies, TrendHoldSitsOutTheMinimumHoldingTimeAndNeverShorts) {
  auto candles = testing::line({"10", "10", "10", "12", "12", "8", "8", "8", "8"});
  // Long on 3 (filled on 4); EMA2 < EMA3 from 5, but the exit waits for 3 candles held: candle 7.
  EXPECT_EQ(run("trend_hold", R"({"fast":2,"slow":3,"min_hold":3})", true, candles), (Signals{{3, {"long"}}, {7, {"close_long"}}}));
  EXPECT_EQ(run("trend_hold", R"({"fast":2,"slow":3,"min_hold":0})", true, candles), (Signals{{3, {"long"}}, {5, {"close_long"}}}));
}

TEST(Strategies, BreakoutEntersOnTheChannelStopAndTrailsOut) {
  std::vector<Candle> c;
  for (int i = 0; i < 4; ++i) c.push_back(bar(i * 60'000, "10", "11", "9", "10"));
  c.push_back(bar(240'000, "10", "12", "10", "11.5"));      // the buy stop at 11 fills at 11
  c.push_back(bar(300'000, "11.5", "13", "11", "12.5"));    // trail 9.5 -> 10.5
  c.push_back(bar(360'000, "12.5", "12.5", "10", "10.2"));  // the trailing stop at 10.5 fills
  auto s = make("breakout", R"({"channel":3,"adx_period":2,"adx_min":0,"atr_period":2,"trail_atr":1})", false);
  BacktestSettings settings{Decimal::from_int(100), Decimal(), MarketRules{*Decimal::parse("0.01"), Decimal(), Decimal(), false}};
  auto r = run_backtest(*s, c, settings);
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].entry_time_ms, 240'000);
  EXPECT_EQ(r.trades[0].entry_price, *Decimal::parse("11"));
  EXPECT_EQ(r.trades[0].exit_time_ms, 360'000);
  EXPECT_EQ(r.trades[0].exit_price, *Decimal::parse("10.5"));
  EXPECT_EQ(r.trades[0].amount, *Decimal::parse("9.09"));
}

TEST(Strategies, BreakoutPlacesBothStopsWhereShortsAreAllowed) {
  std::vector<Candle> c;
  for (int i = 0; i < 4; ++i) c.push_back(bar(i * 60'000, "10", "11", "9", "10"));
  auto s = make("breakout", R"({"channel":3,"adx_period":2,"adx_min":0,"atr_period":2})", true);
  Driver d;
  std::vector<Signal> last;
  for (size_t i = 0; i < c.size(); ++i) last = d.step(*s, c[i], i);
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[0], (Signal{Action::Long, OrderKind::Stop, *Decimal::parse("11")}));
  EXPECT_EQ(last[1], (Signal{Action::Short, OrderKind::Stop, *Decimal::parse("9")}));
}

// Run N candles, save, restore into a fresh instance, continue: the same signals as the uninterrupted run.
TEST(Strategies, EveryStrategyResumesExactlyFromItsSavedState) {
  auto candles = testing::walk(3000, 5);
  for (const auto& info : strategies()) {
    for (bool shorts : {false, true}) {
      auto whole = make(info.id, "{}", shorts);
      Signals want = Driver().run(*whole, candles);
      EXPECT_GT(want.size(), 4u) << info.id << ": the walk should give it something to do";
      auto first = make(info.id, "{}", shorts);
      Driver d;
      Signals got;
      std::unique_ptr<Strategy> current = std::move(first);
      for (size_t i = 0; i < candles.size(); ++i) {
        if (i == 1500) {
          std::string saved = save_state(*current);
          current = make(info.id, "{}", shorts);
          ASSERT_TRUE(restore_state(*current, saved).ok()) << info.id;
        }
        for (const auto& sig : d.step(*current, candles[i], i)) got[i].push_back(std::string(to_string(sig.action)));
      }
      EXPECT_EQ(got, want) << info.id << (shorts ? " with shorts" : "");
    }
  }
}

Error refusal(const std::string& id, const std::string& params) {
  auto made = make_strategy(id, params, MarketTraits{});
  EXPECT_FALSE(made.ok()) << id << " " << params;
  return made.ok() ? Error{} : made.error();
}

TEST(Strategies, ParametersAreCheckedNamingTheField) {
  EXPECT_EQ(refusal("nope", "{}").field, "strategy");
  EXPECT_EQ(refusal("ma_cross", R"({"fast":0})").message, "params.fast: must be between 1 and 1000, got 0");
  EXPECT_EQ(refusal("ma_cross", R"({"fast":"3"})").message, "params.fast: must be an integer");
  EXPECT_EQ(refusal("ma_cross", R"({"fast":3.5})").field, "params.fast");
  EXPECT_EQ(refusal("ma_cross", R"({"fast":30,"slow":30})").message, "params.slow: must be greater than fast");
  EXPECT_EQ(refusal("ma_cross", R"({"fasts":3})").message, "params.fasts: is no parameter of this strategy");
  EXPECT_EQ(refusal("breakout", R"({"adx_min":true})").message, "params.adx_min: must be a number");
  EXPECT_EQ(refusal("parabolic", R"({"step":0.3,"max":0.2})").field, "params.max");
  EXPECT_EQ(refusal("supertrend", "[]").field, "params");
  auto made = make_strategy("ma_cross", R"({"fast":3.0})", MarketTraits{});
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(made->params.integer("fast"), 3);
  EXPECT_EQ(made->params.integer("slow"), 30);  // the default
  EXPECT_EQ(made->strategy->warmup_bars(), 31);
  ASSERT_EQ(made->strategy->schema().size(), 2u);
  EXPECT_EQ(made->strategy->schema()[1].name, "slow");
}

TEST(Strategies, TheRegistryListsFiveWithTheirSchemas) {
  auto j = strategies_json();
  ASSERT_EQ(j.size(), 5u);
  EXPECT_EQ(j[0]["id"], "ma_cross");
  EXPECT_EQ(j[0]["params"][0], (nlohmann::json{{"name", "fast"},
                                               {"type", "integer"},
                                               {"min", 1},
                                               {"max", 1000},
                                               {"default", 10},
                                               {"description", "candles in the fast simple moving average"}}));
  EXPECT_EQ(j[4]["id"], "trend_hold");
  EXPECT_EQ(j[4]["long_only"], true);
}

TEST(Strategies, ABadStateIsRefusedNamingIt) {
  auto s = make("ma_cross", "{}", false);
  auto r = restore_state(*s, "{\"count\": 3}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "state");
  EXPECT_FALSE(restore_state(*s, "not json").ok());
  EXPECT_FALSE(restore_state(*s, R"({"count":5,"closes":["1"],"prev_cmp":null})").ok());
  // A breakout saved with a longer channel does not fit one with a shorter channel.
  auto wide = make("breakout", R"({"channel":30})", false);
  for (const auto& c : testing::walk(40, 1)) {
    std::vector<Signal> out;
    wide->step(c, Holding{}, out);
  }
  auto narrow = make("breakout", R"({"channel":10})", false);
  EXPECT_EQ(restore_state(*narrow, save_state(*wide)).error().field, "state");
}

}  // namespace
}  // namespace tb::robots
