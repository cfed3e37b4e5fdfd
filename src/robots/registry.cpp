#include "robots/registry.hpp"

#include <nlohmann/json.hpp>

#include "robots/strategies/strategies.hpp"

namespace tb::robots {

const std::vector<StrategyInfo>& strategies() {
  static const std::vector<StrategyInfo> kAll = {ma_cross_info(), breakout_info(), parabolic_info(), supertrend_info(), trend_hold_info()};
  return kAll;
}

const StrategyInfo* find_strategy(std::string_view id) {
  for (const auto& s : strategies())
    if (s.id == id) return &s;
  return nullptr;
}

const std::vector<ParamSpec>& Strategy::schema() const {
  static const std::vector<ParamSpec> kNone;
  const StrategyInfo* info = find_strategy(id());
  return info ? info->schema : kNone;
}

Result<MadeStrategy> make_strategy(std::string_view id, std::string_view params_json, const MarketTraits& market) {
  const StrategyInfo* info = find_strategy(id);
  if (!info) return Error::invalid("strategy", "unknown strategy '" + std::string(id) + "'; there are " + strategy_ids());
  auto params = parse_params(info->schema, params_json);
  if (!params) return params.error();
  if (info->check) {
    auto checked = info->check(*params);
    if (!checked) return checked.error();
  }
  return MadeStrategy{info->make(*params, market), std::move(*params)};
}

nlohmann::json strategies_json() {
  auto out = nlohmann::json::array();
  for (const auto& s : strategies())
    out.push_back({{"id", s.id}, {"description", s.description}, {"long_only", s.long_only}, {"params", schema_json(s.schema)}});
  return out;
}

std::string strategy_ids() {
  std::string out;
  for (const auto& s : strategies()) out += (out.empty() ? "" : ", ") + s.id;
  return out;
}

}  // namespace tb::robots
