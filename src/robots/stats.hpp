#pragma once
// Trade statistics, one implementation for robots, user robots and backtests (issue 12 part 4), over
// closed trades in the order they closed. Money is Decimal; ratios and percentages are doubles, and a
// ratio with nothing to divide by (no losses, no trades) is absent rather than infinite.
//
// The definitions:
// - net_profit: the sum of the trades' profits (after fees); net_profit_pct: that, in % of volume_quote,
//   the notional a trade is sized from.
// - wins: trades with profit > 0; losses: the others (trades - wins); win_rate: wins / trades, in %.
// - gross_profit: the sum of the wins' profits; gross_loss: the sum of the losses' profits (<= 0).
// - profit_factor: gross_profit / |gross_loss|; avg_win: gross_profit / wins; avg_loss: gross_loss / losses
//   (both to 10 decimals, half-even); payoff_ratio: avg_win / |avg_loss|.
// - Closed-trade equity starts at 0 and adds each profit at the trade's exit. max_drawdown: the largest fall
//   from a peak to a later point (>= 0), max_drawdown_date: the exit time of its lowest point,
//   max_drawdown_pct: it in % of volume_quote + that peak (the account a notional volume_quote grew to).
// - recovery_factor: net_profit_pct / max_drawdown_pct.
// - sharpe: mean / sample standard deviation of monthly returns, times sqrt(12); a month's return is the
//   profit of the trades that closed in it over volume_quote, for every calendar month (UTC) of the period,
//   months without trades included; absent with fewer than two months or no variation.
// - avg_bars_held: candles from entry to exit, averaged.
// - equity: (exit time, closed-trade equity) after each trade.
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/decimal.hpp"

namespace tb::robots {

enum class TradeSide { Long, Short };
std::string_view to_string(TradeSide side);  // "long", "short"

struct Trade {
  TradeSide side = TradeSide::Long;
  int64_t entry_time_ms = 0;  // open time of the candle the entry filled in
  Decimal entry_price;
  int64_t exit_time_ms = 0;
  Decimal exit_price;
  Decimal amount;  // base quantity
  Decimal fees;    // entry and exit, in quote
  Decimal profit;  // after fees, in quote
  int64_t bars_held = 0;
};

// What percentages and monthly returns are taken against.
struct StatsBasis {
  Decimal volume_quote;  // > 0
  int64_t from_ms = 0;   // the period (first and last candle), for the months of the Sharpe ratio
  int64_t to_ms = 0;
};

struct Stats {
  Decimal net_profit;
  double net_profit_pct = 0;
  int64_t trades = 0, wins = 0, losses = 0;
  std::optional<double> win_rate;
  Decimal gross_profit, gross_loss;
  std::optional<double> profit_factor;
  std::optional<Decimal> avg_win, avg_loss;
  std::optional<double> payoff_ratio;
  Decimal max_drawdown;
  double max_drawdown_pct = 0;
  std::optional<int64_t> max_drawdown_date;
  std::optional<double> recovery_factor;
  std::optional<double> sharpe;
  std::optional<double> avg_bars_held;
  std::vector<std::pair<int64_t, Decimal>> equity;
};

struct StatsSet {
  Stats all, longs, shorts;
};

// Over the trades of `side` only, or all of them.
Stats compute_stats(const std::vector<Trade>& trades, const StatsBasis& basis, std::optional<TradeSide> side = std::nullopt);
StatsSet compute_stats_set(const std::vector<Trade>& trades, const StatsBasis& basis);

// The fields in snake_case: decimals as strings, ratios as numbers, absent ones as null, the date in
// ISO-8601 UTC; the equity curve is left to the caller (the backtest prints it once, at the top level).
nlohmann::json stats_json(const Stats& s);

}  // namespace tb::robots
