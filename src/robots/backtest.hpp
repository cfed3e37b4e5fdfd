#pragma once
// Backtests (issue 12 part 5): the live strategy code over a candle series, with these fills:
// - a signal made on candle i's close is good for candle i+1 only;
// - market: at candle i+1's open; buy stop: when its high reaches the stop, at max(open, stop); sell stop:
//   when its low reaches it, at min(open, stop); buy limit: when its low reaches the limit, at
//   min(open, limit); sell limit: when its high reaches it, at max(open, limit);
// - signals fill in the order the strategy gave them; an open needs a flat position (a short also a market
//   that allows shorts), a close needs that position, else the signal does nothing;
// - amount = volume_quote / entry price, rounded down to the market's step; below the market's minimum
//   amount or notional the trade is skipped (counted in `skipped`) and the robot stays flat;
// - fee = fee_rate x notional on each fill; profit = the price difference x amount - both fees;
// - a position still open after the last candle is `open_position`, outside the statistics.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/decimal.hpp"
#include "core/types.hpp"
#include "robots/stats.hpp"
#include "robots/strategy.hpp"

namespace tb::robots {

struct MarketRules {
  Decimal step;          // amount increment (zero: 8 decimals)
  Decimal min_qty;       // least amount
  Decimal min_notional;  // least amount x price
  bool shorts = false;   // short positions allowed (perpetual futures)
};

struct BacktestSettings {
  Decimal volume_quote;  // notional of each entry, in quote (> 0)
  Decimal fee_rate;      // fraction of the notional, per fill
  MarketRules market;
};

struct OpenPosition {
  TradeSide side = TradeSide::Long;
  int64_t entry_time_ms = 0;
  Decimal entry_price;
  Decimal amount;
  Decimal fees;  // the entry's
  int64_t bars_held = 0;
};

struct BacktestResult {
  std::vector<Trade> trades;
  std::optional<OpenPosition> open_position;
  int64_t skipped = 0;  // entries below the market's minimum
  int64_t candles = 0;
  int64_t warmup_bars = 0;  // the strategy's: fewer candles than this cannot give a signal
  StatsSet stats;           // over `trades`
};

// Called now and then with candles done and the total (the CLI's progress bar).
using Progress = std::function<void(size_t done, size_t total)>;

// `strategy` fresh (or restored); candles sorted, as parse_candles_csv gives them.
BacktestResult run_backtest(Strategy& strategy, const std::vector<Candle>& candles, const BacktestSettings& settings,
                            const Progress& progress = {});

}  // namespace tb::robots
