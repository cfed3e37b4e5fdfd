// The backtest's fill rules, each on candles made for it, with a strategy that says what it is told to.
#include "robots/backtest.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "robots/candles_support.hpp"
#include "robots/report.hpp"

namespace tb::robots {
namespace {

using testing::bar;
using testing::dec;

// Emits the signals scripted for each candle index; remembers the holdings it was told.
class Scripted final : public Strategy {
 public:
  explicit Scripted(std::map<size_t, std::vector<Signal>> script) : script_(std::move(script)) {}
  std::string_view id() const override { return "scripted"; }
  int warmup_bars() const override { return 0; }
  void step(const Candle&, const Holding& h, std::vector<Signal>& out) override {
    seen.push_back(h);
    auto it = script_.find(i_++);
    if (it != script_.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  }
  nlohmann::json state() const override { return i_; }
  void restore(const nlohmann::json& j) override { i_ = j.get<size_t>(); }
  std::vector<Holding> seen;

 private:
  std::map<size_t, std::vector<Signal>> script_;
  size_t i_ = 0;
};

// A futures-like market: step 0.001, minimum 0.001 and 100 notional; fee 0.0004; 1000 a trade.
BacktestSettings settings(bool shorts = true) {
  return {dec("1000"), dec("0.0004"), MarketRules{dec("0.001"), dec("0.001"), dec("100"), shorts}};
}

std::vector<Candle> five() {
  return {bar(0, "30000", "30100", "29900", "30050"), bar(60'000, "30050", "30300", "30000", "30200"),
          bar(120'000, "30200", "30250", "29800", "29900"), bar(180'000, "29900", "30000", "29500", "29600"),
          bar(240'000, "29600", "29700", "29400", "29650")};
}

TEST(Backtest, MarketFillsAtTheNextOpenWithFeesOnBothFills) {
  Scripted s({{0, {{Action::Long}}}, {2, {{Action::CloseLong}}}});
  auto r = run_backtest(s, five(), settings());
  ASSERT_EQ(r.trades.size(), 1u);
  const Trade& t = r.trades[0];
  EXPECT_EQ(t.side, TradeSide::Long);
  EXPECT_EQ(t.entry_time_ms, 60'000);
  EXPECT_EQ(t.entry_price, dec("30050"));
  EXPECT_EQ(t.amount, dec("0.033"));  // 1000 / 30050 = 0.03327... down to the step
  EXPECT_EQ(t.exit_time_ms, 180'000);
  EXPECT_EQ(t.exit_price, dec("29900"));
  EXPECT_EQ(t.fees, dec("0.0004") * dec("991.65") + dec("0.0004") * dec("986.7"));
  EXPECT_EQ(t.profit, (dec("29900") - dec("30050")) * dec("0.033") - t.fees);
  EXPECT_EQ(t.bars_held, 2);
  EXPECT_FALSE(r.open_position);
  EXPECT_EQ(s.seen[1].side, Exposure::Long);
  EXPECT_EQ(s.seen[1].bars_held, 0);
  EXPECT_EQ(s.seen[2].bars_held, 1);
  EXPECT_EQ(s.seen[3].side, Exposure::Flat);
}

TEST(Backtest, StopsFillAtTheWorseOfOpenAndStop) {
  // Buy stop 30100 on candle 1 (open 30050, high 30300): at 30100. Sell stop 30210 on candle 2 (open 30200,
  // below the stop already): at the open, 30200.
  Scripted s({{0, {{Action::Long, OrderKind::Stop, dec("30100")}}}, {1, {{Action::CloseLong, OrderKind::Stop, dec("30210")}}}});
  auto r = run_backtest(s, five(), settings());
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].entry_price, dec("30100"));
  EXPECT_EQ(r.trades[0].exit_price, dec("30200"));
  // A buy stop above the next candle's high never fills, and is gone after that candle.
  Scripted miss({{0, {{Action::Long, OrderKind::Stop, dec("30400")}}}});
  auto none = run_backtest(miss, five(), settings());
  EXPECT_TRUE(none.trades.empty());
  EXPECT_FALSE(none.open_position);
}

TEST(Backtest, SellStopsAndLimits) {
  // Short at a sell stop 29990 on candle 2: open 30200 >= stop, low 29800 reaches it: min(open, stop) = 29990.
  // Close with a buy limit 29700 on candle 3 (low 29500): min(open 29900, 29700) = 29700.
  Scripted s({{1, {{Action::Short, OrderKind::Stop, dec("29990")}}}, {2, {{Action::CloseShort, OrderKind::Limit, dec("29700")}}}});
  auto r = run_backtest(s, five(), settings());
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].side, TradeSide::Short);
  EXPECT_EQ(r.trades[0].entry_price, dec("29990"));
  EXPECT_EQ(r.trades[0].exit_price, dec("29700"));
  EXPECT_EQ(r.trades[0].profit, dec("290") * r.trades[0].amount - r.trades[0].fees);
  EXPECT_TRUE(r.trades[0].profit.is_positive());
}

TEST(Backtest, ShortsOnlyWhereTheMarketAllows) {
  Scripted s({{0, {{Action::Short}}}});
  auto r = run_backtest(s, five(), settings(false));
  EXPECT_TRUE(r.trades.empty());
  EXPECT_FALSE(r.open_position);
}

TEST(Backtest, BelowTheMarketMinimumIsSkippedAndCounted) {
  BacktestSettings small = settings();
  small.volume_quote = dec("50");  // 0.001 BTC is ~30 USDT, but the minimum notional is 100
  Scripted s({{0, {{Action::Long}}}, {2, {{Action::CloseLong}}}, {3, {{Action::Long}}}});
  auto r = run_backtest(s, five(), small);
  EXPECT_TRUE(r.trades.empty());
  EXPECT_EQ(r.skipped, 2);
  EXPECT_EQ(s.seen[2].side, Exposure::Flat);
}

TEST(Backtest, AnOpenPositionAtTheEndIsReportedAndLeftOutOfTheStatistics) {
  Scripted s({{0, {{Action::Long}}}, {1, {{Action::CloseLong}, {Action::Short}}}});
  auto r = run_backtest(s, five(), settings());
  ASSERT_EQ(r.trades.size(), 1u);
  ASSERT_TRUE(r.open_position);
  EXPECT_EQ(r.open_position->side, TradeSide::Short);
  EXPECT_EQ(r.open_position->entry_time_ms, 120'000);
  EXPECT_EQ(r.open_position->entry_price, dec("30200"));
  EXPECT_EQ(r.open_position->bars_held, 2);
  EXPECT_EQ(r.stats.all.trades, 1);
  EXPECT_EQ(r.stats.shorts.trades, 0);
}

TEST(Backtest, ReportsProgressAndFinishesAtTheTotal) {
  Scripted s({});
  std::vector<Candle> many(70'000, five()[0]);
  for (size_t i = 0; i < many.size(); ++i) many[i].open_time_ms = static_cast<int64_t>(i) * 60'000;
  std::vector<std::pair<size_t, size_t>> calls;
  auto r = run_backtest(s, many, settings(), [&](size_t done, size_t total) { calls.emplace_back(done, total); });
  EXPECT_EQ(r.candles, 70'000);
  ASSERT_EQ(calls.size(), 2u);  // every 65,536 candles, and at the end
  EXPECT_EQ(calls[0], (std::pair<size_t, size_t>{65'536, 70'000}));
  EXPECT_EQ(calls[1], (std::pair<size_t, size_t>{70'000, 70'000}));
}

TEST(Backtest, JsonHasTheIssuesShape) {
  Scripted s({{0, {{Action::Long}}}, {2, {{Action::CloseLong}}}, {3, {{Action::Long}}}});
  auto r = run_backtest(s, five(), settings());
  auto j = backtest_json(r, {"scripted", "v", "BTCUSDT", "1m"}, nlohmann::json{{"x", 1}}, 0, 240'000);
  for (const char* f : {"strategy", "params", "venue", "symbol", "timeframe", "candles", "stats", "trades", "open_position", "equity"})
    EXPECT_TRUE(j.contains(f)) << f;
  EXPECT_EQ(j["candles"], 5);
  EXPECT_EQ(j["trades"][0]["entry_time"], "1970-01-01T00:01:00Z");
  EXPECT_EQ(j["trades"][0]["entry_price"], "30050");
  EXPECT_EQ(j["trades"][0]["amount"], "0.033");
  EXPECT_TRUE(j["trades"][0]["profit"].is_string());
  EXPECT_EQ(j["open_position"]["side"], "long");
  EXPECT_EQ(j["equity"][0], nlohmann::json::array({"1970-01-01T00:00:00Z", "0"}));
  EXPECT_EQ(j["equity"][1][0], "1970-01-01T00:03:00Z");
  EXPECT_TRUE(j["stats"]["long"].contains("sharpe"));
}

}  // namespace
}  // namespace tb::robots
