// The statistics of a trade list worked by hand (the numbers in the comments).
#include "robots/stats.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "robots/candles_support.hpp"
#include "robots/time_text.hpp"

namespace tb::robots {
namespace {

using testing::dec;

int64_t at(const char* when) { return *parse_utc(when, "t"); }

Trade trade(TradeSide side, const char* exit, const char* profit, int64_t bars) {
  Trade t;
  t.side = side;
  t.entry_time_ms = at(exit) - 3'600'000;
  t.exit_time_ms = at(exit);
  t.profit = dec(profit);
  t.bars_held = bars;
  return t;
}

// Volume 1000; Jan: +50 (long), -20 (short); Feb: -40 (long); Mar: +30 (long), +10 (short).
std::vector<Trade> hand_worked() {
  return {trade(TradeSide::Long, "2024-01-10", "50", 5), trade(TradeSide::Short, "2024-01-20", "-20", 3),
          trade(TradeSide::Long, "2024-02-05", "-40", 2), trade(TradeSide::Long, "2024-03-01", "30", 10),
          trade(TradeSide::Short, "2024-03-15", "10", 4)};
}

StatsBasis basis() { return {dec("1000"), at("2024-01-01"), at("2024-03-31T23:00")}; }

TEST(Stats, AllTrades) {
  Stats s = compute_stats(hand_worked(), basis());
  EXPECT_EQ(s.net_profit, dec("30"));
  EXPECT_DOUBLE_EQ(s.net_profit_pct, 3);
  EXPECT_EQ(s.trades, 5);
  EXPECT_EQ(s.wins, 3);
  EXPECT_EQ(s.losses, 2);
  EXPECT_DOUBLE_EQ(*s.win_rate, 60);
  EXPECT_EQ(s.gross_profit, dec("90"));
  EXPECT_EQ(s.gross_loss, dec("-60"));
  EXPECT_DOUBLE_EQ(*s.profit_factor, 1.5);
  EXPECT_EQ(*s.avg_win, dec("30"));
  EXPECT_EQ(*s.avg_loss, dec("-30"));
  EXPECT_DOUBLE_EQ(*s.payoff_ratio, 1);
  // Equity 50, 30, -10, 20, 30: the fall from 50 to -10 on Feb 5, 60 of an account grown to 1050.
  EXPECT_EQ(s.max_drawdown, dec("60"));
  EXPECT_EQ(*s.max_drawdown_date, at("2024-02-05"));
  EXPECT_DOUBLE_EQ(s.max_drawdown_pct, 60.0 / 1050 * 100);
  EXPECT_DOUBLE_EQ(*s.recovery_factor, 3 / (60.0 / 1050 * 100));
  // Monthly returns 0.03, -0.04, 0.04: mean 0.01, sample variance 0.0038 / 2.
  EXPECT_NEAR(*s.sharpe, 0.01 / std::sqrt(0.0019) * std::sqrt(12.0), 1e-12);
  EXPECT_DOUBLE_EQ(*s.avg_bars_held, 4.8);
  ASSERT_EQ(s.equity.size(), 5u);
  EXPECT_EQ(s.equity[2], (std::pair<int64_t, Decimal>{at("2024-02-05"), dec("-10")}));
}

TEST(Stats, LongAndShortApart) {
  StatsSet set = compute_stats_set(hand_worked(), basis());
  const Stats& l = set.longs;
  EXPECT_EQ(l.net_profit, dec("40"));
  EXPECT_EQ(l.trades, 3);
  EXPECT_NEAR(*l.win_rate, 200.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(*l.profit_factor, 2);
  EXPECT_EQ(*l.avg_win, dec("40"));
  EXPECT_EQ(l.max_drawdown, dec("40"));  // 50 -> 10
  EXPECT_DOUBLE_EQ(l.max_drawdown_pct, 40.0 / 1050 * 100);
  EXPECT_NEAR(*l.avg_bars_held, 17.0 / 3, 1e-12);
  const Stats& s = set.shorts;
  EXPECT_EQ(s.net_profit, dec("-10"));
  EXPECT_DOUBLE_EQ(s.net_profit_pct, -1);
  EXPECT_DOUBLE_EQ(*s.payoff_ratio, 0.5);  // 10 / 20
  EXPECT_EQ(s.max_drawdown, dec("20"));    // from the start at 0 down to -20
  EXPECT_DOUBLE_EQ(s.max_drawdown_pct, 2);
  EXPECT_DOUBLE_EQ(*s.recovery_factor, -0.5);
}

TEST(Stats, NothingToDivideByIsAbsent) {
  Stats none = compute_stats({}, basis());
  EXPECT_EQ(none.trades, 0);
  EXPECT_FALSE(none.win_rate);
  EXPECT_FALSE(none.profit_factor);
  EXPECT_FALSE(none.recovery_factor);
  EXPECT_FALSE(none.sharpe);  // no variation over three empty months
  Stats wins = compute_stats({trade(TradeSide::Long, "2024-01-10", "5", 1)}, {dec("100"), at("2024-01-01"), at("2024-01-31")});
  EXPECT_FALSE(wins.profit_factor);
  EXPECT_FALSE(wins.payoff_ratio);
  EXPECT_FALSE(wins.sharpe);  // one month
  auto j = stats_json(wins);
  EXPECT_TRUE(j["profit_factor"].is_null());
  EXPECT_EQ(j["net_profit"], "5");
  EXPECT_EQ(j["max_drawdown"], "0");
  EXPECT_EQ(j["win_rate"], 100.0);
}

TEST(Stats, JsonNamesTheIssuesFields) {
  auto j = stats_json(compute_stats(hand_worked(), basis()));
  for (const char* f :
       {"net_profit", "trades", "wins", "losses", "win_rate", "gross_profit", "gross_loss", "profit_factor", "payoff_ratio", "max_drawdown",
        "max_drawdown_pct", "recovery_factor", "sharpe", "net_profit_pct", "avg_win", "avg_loss", "max_drawdown_date", "avg_bars_held"})
    EXPECT_TRUE(j.contains(f)) << f;
  EXPECT_EQ(j["gross_loss"], "-60");
  EXPECT_EQ(j["max_drawdown_date"], "2024-02-05T00:00:00Z");
}

}  // namespace
}  // namespace tb::robots
