// A robot's run saved after any candle and restored into a fresh strategy continues exactly as the
// uninterrupted run: the same signals on every later candle, the same trades, the same open position. What
// the live runner relies on to resume after a restart, and the backtest relies on to be the live code.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "robots/candles_support.hpp"
#include "robots/registry.hpp"
#include "robots/robot_run.hpp"

namespace tb::robots {
namespace {

using testing::dec;

BacktestSettings settings() {
  BacktestSettings s;
  s.volume_quote = dec("1000");
  s.fee_rate = dec("0.001");
  s.market = MarketRules{dec("0.001"), dec("0.001"), dec("5"), true};
  return s;
}

TEST(RobotRun, EveryStrategyResumesExactlyFromItsStateAfterAnyCandle) {
  const auto candles = testing::walk(1500, 7);
  const BacktestSettings s = settings();
  for (const auto& info : strategies()) {
    auto whole = make_strategy(info.id, "", MarketTraits{true, dec("0.01")});
    ASSERT_TRUE(whole.ok()) << info.id;
    RobotRun uninterrupted(*whole->strategy, s);
    std::vector<std::vector<Signal>> signals;
    for (const auto& c : candles) signals.push_back(uninterrupted.step(c));
    const BacktestResult reference = run_backtest(*make_strategy(info.id, "", MarketTraits{true, dec("0.01")})->strategy, candles, s);
    ASSERT_EQ(uninterrupted.trades().size(), reference.trades.size()) << info.id;  // the backtest is this run
    EXPECT_GE(uninterrupted.trades().size(), 2u) << info.id;                       // the walk gives each strategy something to resume

    for (size_t cut : {size_t{1}, size_t{200}, size_t{777}, candles.size() - 1}) {
      auto first = make_strategy(info.id, "", MarketTraits{true, dec("0.01")});
      RobotRun before(*first->strategy, s);
      for (size_t i = 0; i < cut; ++i) before.step(candles[i]);
      const std::string saved = before.state().dump();  // as the store keeps it
      auto second = make_strategy(info.id, "", MarketTraits{true, dec("0.01")});
      RobotRun after(*second->strategy, s);
      ASSERT_TRUE(after.restore(nlohmann::json::parse(saved)).ok()) << info.id << " at " << cut;
      EXPECT_EQ(after.pending(), signals[cut - 1]) << info.id << " at " << cut;
      for (size_t i = cut; i < candles.size(); ++i) ASSERT_EQ(after.step(candles[i]), signals[i]) << info.id << " candle " << i;
      std::vector<Trade> trades = before.trades();
      trades.insert(trades.end(), after.trades().begin(), after.trades().end());
      ASSERT_EQ(trades.size(), uninterrupted.trades().size()) << info.id << " at " << cut;
      for (size_t t = 0; t < trades.size(); ++t) {
        EXPECT_EQ(trades[t].entry_time_ms, uninterrupted.trades()[t].entry_time_ms);
        EXPECT_EQ(trades[t].exit_price, uninterrupted.trades()[t].exit_price);
        EXPECT_EQ(trades[t].profit, uninterrupted.trades()[t].profit);
        EXPECT_EQ(trades[t].bars_held, uninterrupted.trades()[t].bars_held);
      }
      EXPECT_EQ(after.open_position().has_value(), uninterrupted.open_position().has_value());
      EXPECT_EQ(after.candles(), uninterrupted.candles());
    }
  }
}

TEST(RobotRun, AStateThatDoesNotFitIsRefusedNamingStateAndChangesNothing) {
  auto made = make_strategy("ma_cross", "", MarketTraits{false, dec("0.01")});
  const BacktestSettings s = settings();
  RobotRun run(*made->strategy, s);
  for (const auto& c : testing::walk(100, 3)) run.step(c);
  const std::string before = run.state().dump();
  for (
      const char* bad :
      {R"({})", R"({"candles":1,"skipped":0,"position":null,"pending":[{"action":"up","order":"market","price":"1"}],"strategy":{}})",
       R"({"candles":1,"skipped":0,"position":{"side":"long","entry_time":0,"entry_price":"x","amount":"1","fees":"0","entry_index":0},"pending":[],"strategy":{}})"}) {
    auto st = run.restore(nlohmann::json::parse(bad));
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().field, "state");
    EXPECT_EQ(run.state().dump(), before) << bad;
  }
}

}  // namespace
}  // namespace tb::robots
