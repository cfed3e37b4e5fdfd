#pragma once
// The strategies robots can run, each with its schema: the list `GET /api/v1/strategies` and the CLI show,
// and the one place that makes a strategy from an id and parameters, checked.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/error.hpp"
#include "robots/params.hpp"
#include "robots/strategy.hpp"

namespace tb::robots {

struct StrategyInfo {
  std::string id;
  std::string description;
  std::vector<ParamSpec> schema;
  bool long_only = false;  // never opens a short, whatever the market allows
  // Rules across parameters (ma_cross: slow > fast); nullptr when there are none.
  Status (*check)(const Params& params) = nullptr;
  std::unique_ptr<Strategy> (*make)(const Params& params, const MarketTraits& market) = nullptr;
};

// ma_cross, breakout, parabolic, supertrend, trend_hold.
const std::vector<StrategyInfo>& strategies();
const StrategyInfo* find_strategy(std::string_view id);

struct MadeStrategy {
  std::unique_ptr<Strategy> strategy;
  Params params;  // every parameter, defaults filled in
};

// An unknown id is an InvalidArgument naming `strategy`; bad parameters name `params.<name>`.
Result<MadeStrategy> make_strategy(std::string_view id, std::string_view params_json, const MarketTraits& market);

// [{"id","description","long_only","params":[schema]}], for the API and `--help`.
nlohmann::json strategies_json();
std::string strategy_ids();  // "ma_cross, breakout, ..."

}  // namespace tb::robots
