#pragma once
// The robots running live inside `serve`: every `interval` the loop reads the catalogue (so what
// `tradebridge robots` changed is picked up), and for each active robot whose candle closed asks its
// venue for the closed candles since the last one it processed (public market data, no key), keeps them
// (store: candles per venue, market and timeframe) and advances the robot (runner.hpp: each candle's
// signals and state in one transaction). A robot warms up on the candles before it starts (when it was
// added, or the date it was given), then every candle from its start on gives its signals, in order.
#include <chrono>
#include <functional>
#include <ostream>
#include <string_view>

#include "core/clock.hpp"
#include "net/transport.hpp"
#include "robots/gaps.hpp"
#include "robots/runner.hpp"
#include "venues/venue.hpp"

namespace tb::robots {

struct LiveOptions {
  std::chrono::milliseconds interval{5'000};  // --robot-price-interval: how often closed candles are looked for
  int max_candles = 500;                      // per request to a venue
  int history_bars = 500;                     // a new robot's candles before it started: its warm-up and its statistics' backtest
  int gap_tries = 3;                          // passes that ask again for a missing candle before it is filled
};

// The closed candles of a market that open in [since_ms, until_ms) and close by `now_ms`, oldest first, page
// by page (at most `per_call` a request) from the venue's public market data.
net::Task<Result<std::vector<Candle>>> fetch_closed_candles(venues::Venue& venue, std::string symbol, Timeframe tf, int64_t since_ms,
                                                            int64_t until_ms, int64_t now_ms, int per_call);

// The venue a robot trades on, by id; null when the platform has none by that id.
using VenueLookup = std::function<venues::Venue*(std::string_view venue_id)>;

class LiveRobots {
 public:
  LiveRobots(store::Store& store, Runner& runner, VenueLookup venues, const Clock& clock, LiveOptions options, std::ostream& log)
      : store_(store), runner_(runner), venues_(std::move(venues)), clock_(clock), options_(options), log_(log) {}

  // One look at every active robot; returns the signals stored.
  net::Task<int64_t> run_once();
  // run_once every interval until stop(). Started again after a stop (a process that lost the candle loops'
  // lock and took it back), it first waits for the old loop to end.
  net::Task<void> run();
  void stop() { stopping_ = true; }

 private:
  using Tickers = std::map<std::string, Ticker, std::less<>>;  // one pass's tickers, by venue and market

  net::Task<Result<Advance>> advance(const store::Robot& robot);
  Result<std::vector<Candle>> without_holes(const store::Robot& robot, const std::vector<Candle>& fetched, std::optional<int64_t> last_ms);
  net::Task<Result<int64_t>> watch_alerts(const store::Robot& robot, Tickers& seen);

  store::Store& store_;
  Runner& runner_;
  VenueLookup venues_;
  const Clock& clock_;
  LiveOptions options_;
  std::ostream& log_;
  bool stopping_ = false;
  bool running_ = false;
  std::map<int64_t, GapWatch> gaps_;  // by robot
};

}  // namespace tb::robots
