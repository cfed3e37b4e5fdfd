#pragma once
// `tradebridge candles ...`: the candles robots read, kept in the data directory per venue, market and
// timeframe (the simulator's --candles CSV: open_time_ms,open,high,low,close,volume).
//   fetch   --venue V --symbol S --timeframe T [--from --to]  from the venue's public market data (default:
//           the last 500 closed candles); --base-url points the venue elsewhere (the simulator)
//   import  --venue V --symbol S --timeframe T --file F       a CSV file, checked whole before anything is kept
//   export  --venue V --symbol S --timeframe T [--from --to] [--file F]  (default: standard output)
#include <iosfwd>
#include <optional>
#include <string>

namespace tb::app {

struct CandlesOptions {
  std::string action;  // fetch | import | export
  std::string venue;
  std::string symbol;
  std::string timeframe;
  std::string from, to;  // UTC dates, as the backtest takes them; empty: unbounded (fetch: the last 500)
  std::string file;
  std::string data_dir = "./var";
  std::string database;  // --database; empty: the data directory's SQLite file
  std::optional<std::string> base_url;
};

// Exit 0 on success, 2 for the caller's mistake (the error names the field or the file's line), 1 when the
// venue or the database fails.
int run_candles(const CandlesOptions& options, std::ostream& out, std::ostream& err);

}  // namespace tb::app
