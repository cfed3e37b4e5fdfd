#pragma once
// The plain values of a futures venue's account settings (futures_settings.hpp): the position mode, the
// margin type, a symbol's leverage, and the `exchange` actions on them. Apart from the interface so the
// venues' parsers (and the fuzz targets built from them) need no coroutines.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/core.hpp"

namespace tb::venues {

enum class PositionMode { OneWay, Hedge };
enum class MarginType { Cross, Isolated };
std::string_view to_string(PositionMode);  // "one_way" | "hedge"
std::string_view to_string(MarginType);    // "cross" | "isolated"
std::optional<MarginType> parse_margin_type(std::string_view);

struct SymbolSettings {
  std::string symbol;  // venue id
  int leverage = 0;
  MarginType margin_type = MarginType::Cross;
  std::optional<Decimal> max_notional;  // the most the leverage allows, where the venue says
};
void to_json(nlohmann::json&, const SymbolSettings&);

// The `exchange` actions on these settings: position-mode, leverage, margin-type.
enum class SettingAction { PositionMode, Leverage, MarginType };
std::optional<SettingAction> parse_setting_action(std::string_view);
inline constexpr std::string_view kSettingActions = "position-mode leverage margin-type";

}  // namespace tb::venues
