#include "robots/backtest.hpp"

#include "robots/robot_run.hpp"

namespace tb::robots {
namespace {

constexpr size_t kProgressEvery = 1 << 16;

}  // namespace

BacktestResult run_backtest(Strategy& strategy, const std::vector<Candle>& candles, const BacktestSettings& settings,
                            const Progress& progress) {
  RobotRun run(strategy, settings);
  for (size_t i = 0; i < candles.size(); ++i) {
    run.step(candles[i]);
    if (progress && (i + 1) % kProgressEvery == 0) progress(i + 1, candles.size());
  }
  if (progress) progress(candles.size(), candles.size());
  BacktestResult r;
  r.candles = static_cast<int64_t>(candles.size());
  r.warmup_bars = strategy.warmup_bars();
  r.skipped = run.skipped();
  r.open_position = run.open_position();
  r.trades = std::move(run.trades());
  StatsBasis basis{settings.volume_quote, candles.empty() ? 0 : candles.front().open_time_ms,
                   candles.empty() ? 0 : candles.back().open_time_ms};
  r.stats = compute_stats_set(r.trades, basis);
  return r;
}

}  // namespace tb::robots
