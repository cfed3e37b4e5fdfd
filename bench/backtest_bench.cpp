// The backtest's speed (issue 12: a year of 1m candles through ma_cross in under 1 s). Reads a candle CSV
// (make one with `tradebridge backtest ... --from 2023-01-01 --to 2024-01-01 --candles-out FILE`), then times,
// each `reps` times: parsing the CSV, and ma_cross run over the parsed candles by the backtester with
// statistics, as the command runs it. Prints one JSON line with the medians in ms.
// Usage: backtest_bench FILE [reps=5] [fast=10] [slow=30]
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "robots/backtest.hpp"
#include "robots/candles.hpp"
#include "robots/registry.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  return xs[xs.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: backtest_bench FILE [reps=5] [fast=10] [slow=30]\n";
    return 2;
  }
  int reps = argc > 2 ? std::atoi(argv[2]) : 5;
  std::string params = nlohmann::json{{"fast", argc > 3 ? std::atoi(argv[3]) : 10}, {"slow", argc > 4 ? std::atoi(argv[4]) : 30}}.dump();
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  std::string csv = text.str();

  std::vector<double> parse_ms, run_ms;
  tb::robots::BacktestResult last;
  size_t candles = 0;
  for (int i = 0; i < reps; ++i) {
    auto t0 = Clock::now();
    auto parsed = tb::robots::parse_candles_csv(csv);
    parse_ms.push_back(ms_since(t0));
    if (!parsed) {
      std::cerr << parsed.error().message << "\n";
      return 2;
    }
    candles = parsed->size();
    // Binance USD-M BTCUSDT's rules in the simulator: step 0.001, minimum 0.001 and 100 notional, taker 0.04%.
    tb::robots::MarketTraits traits{true, *tb::Decimal::parse("0.1")};
    auto made = tb::robots::make_strategy("ma_cross", params, traits);
    tb::robots::BacktestSettings settings{tb::Decimal::from_int(1000),
                                          *tb::Decimal::parse("0.0004"),
                                          {*tb::Decimal::parse("0.001"), *tb::Decimal::parse("0.001"), tb::Decimal::from_int(100), true}};
    auto t1 = Clock::now();
    last = tb::robots::run_backtest(*made->strategy, *parsed, settings);
    run_ms.push_back(ms_since(t1));
  }
  std::cout << nlohmann::json{{"candles", candles},
                              {"params", nlohmann::json::parse(params)},
                              {"reps", reps},
                              {"parse_csv_ms", median(parse_ms)},
                              {"backtest_ms", median(run_ms)},
                              {"trades", last.trades.size()},
                              {"net_profit", last.stats.all.net_profit.to_plain_string()}}
                   .dump()
            << "\n";
  return 0;
}
