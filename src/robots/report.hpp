#pragma once
// A backtest as the CLI prints it (and the API will serve it): JSON in issue 12's shape, or text (a summary
// table, then the trade list).
#include <iosfwd>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "robots/backtest.hpp"

namespace tb::robots {

// What was run, as given.
struct BacktestLabels {
  std::string strategy;
  std::string venue;
  std::string symbol;
  std::string timeframe;
};

// {"strategy","params","venue","symbol","timeframe","candles","from","to","skipped","warmup_bars",
//  "stats":{"all","long","short"},"trades":[{"side","entry_time","entry_price","exit_time","exit_price",
//  "amount","fees","profit","bars_held"}],"open_position","equity":[[time,equity],...]}: decimals as strings,
// times ISO-8601 UTC; the equity curve starts at 0 on the first candle.
nlohmann::json backtest_json(const BacktestResult& r, const BacktestLabels& labels, const nlohmann::json& params, int64_t first_ms,
                             int64_t last_ms);

void print_backtest_text(std::ostream& out, const BacktestResult& r, const BacktestLabels& labels, const nlohmann::json& params,
                         int64_t first_ms, int64_t last_ms);

}  // namespace tb::robots
