#pragma once
// The robots' catalogue as the operator manages it (`tradebridge robots add|list|show|pause|resume|remove`,
// on the data directory; the server reads the same table, so it picks changes up) and as a new database
// gets it: each strategy on the BTC and ETH markets of each venue, 1h and 4h, seeded once.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "robots/backtest.hpp"
#include "store/store.hpp"

namespace tb::robots {

// A market robots may run on, as the platform knows it (the built-in simulator's markets of each venue),
// with what a robot's virtual trades are sized and charged by.
struct KnownMarket {
  std::string venue;    // venue id
  std::string symbol;   // the venue's market id
  std::string base;     // "BTC"
  bool shorts = false;  // short positions allowed (perpetual futures)
  MarketRules rules;    // amount step and minimums; rules.shorts as above
  Decimal taker_fee;    // fraction of the notional
};

// The market of a robot; null when the platform does not know it.
const KnownMarket* find_market(const std::vector<KnownMarket>& markets, std::string_view venue, std::string_view symbol);

struct RobotSpec {
  std::string name;  // empty: "<strategy> <symbol> <timeframe> <venue>"
  std::string strategy;
  std::string params_json;  // empty: the defaults
  std::string venue;
  std::string symbol;
  std::string timeframe;             // "1h"
  std::optional<int64_t> starts_ms;  // its signals start with the candle opening then (in the past: caught up); default: now
};

// Checks the spec and adds the robot, its parameters stored in full (defaults filled in). An unknown
// strategy, venue, market or timeframe, or a bad parameter, is an InvalidArgument naming the field
// (`strategy`, `venue`, `symbol`, `timeframe`, `params.<name>`); a taken name names `name`. Nothing is
// written then.
Result<store::Robot> add_robot(store::RobotStore& store, const RobotSpec& spec, const std::vector<KnownMarket>& markets);

// A robot by its id ("12") or its name; NotFound naming `robot` otherwise.
Result<store::Robot> find_robot(store::RobotStore& store, std::string_view id_or_name);

// Seeds the catalogue the first time a database asks (store::RobotStore::claim_catalogue_seed); returns the
// robots added (0 every later time).
Result<size_t> seed_catalogue(store::Store& store, const std::vector<KnownMarket>& markets);

}  // namespace tb::robots
