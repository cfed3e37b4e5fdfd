#pragma once
// `tradebridge backtest`: a strategy of the robots over candles from a file (the simulator's --candles CSV)
// or the simulator's seeded walk, with the market's rules and fees from the simulator's description of the
// venue; prints a summary table and the trades, or with --json issue 12's document.
#include <cstdint>
#include <iosfwd>
#include <string>

namespace tb::app {

struct BacktestOptions {
  std::string strategy;
  std::string params;  // a JSON object; empty: the defaults
  std::string venue;
  std::string symbol;     // the venue's market id (BTCUSDT) or the unified symbol (BTC/USDT)
  std::string timeframe;  // 1m 5m 15m 30m 1h 4h 1d
  std::string candles;    // CSV file; empty: the simulator's walk over --from..--to
  std::string from, to;   // dates (UTC); with --candles they pick a part of the file
  std::string fee_rate;   // empty: the market's taker fee
  std::string volume_quote = "1000";
  uint64_t seed = 1;        // the simulator's walk
  std::string candles_out;  // write the candles the backtest ran on (CSV), for other tools
  bool json = false;
  bool progress = false;  // a progress bar on stderr (main turns it on for a terminal)
};

// 0 done; 2 bad input (the error, as {"error":{kind,message,field}}, on err, naming the field or line).
int run_backtest(const BacktestOptions& options, std::ostream& out, std::ostream& err);

// After the flags in --help: the strategies with their parameters, the venues with their markets.
std::string backtest_help();

}  // namespace tb::app
