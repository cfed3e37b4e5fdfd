#include "venues/futures_types.hpp"

#include <nlohmann/json.hpp>

namespace tb::venues {

std::string_view to_string(PositionMode m) { return m == PositionMode::Hedge ? "hedge" : "one_way"; }
std::string_view to_string(MarginType t) { return t == MarginType::Isolated ? "isolated" : "cross"; }

std::optional<MarginType> parse_margin_type(std::string_view s) {
  if (s == "cross") return MarginType::Cross;
  if (s == "isolated") return MarginType::Isolated;
  return std::nullopt;
}

std::optional<SettingAction> parse_setting_action(std::string_view s) {
  if (s == "position-mode") return SettingAction::PositionMode;
  if (s == "leverage") return SettingAction::Leverage;
  if (s == "margin-type") return SettingAction::MarginType;
  return std::nullopt;
}

void to_json(nlohmann::json& j, const SymbolSettings& s) {
  j = {{"symbol", s.symbol},
       {"leverage", s.leverage},
       {"margin_type", to_string(s.margin_type)},
       {"max_notional", s.max_notional ? nlohmann::json(s.max_notional->to_string()) : nlohmann::json(nullptr)}};
}

}  // namespace tb::venues
