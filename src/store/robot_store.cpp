#include "store/robot_store.hpp"

namespace tb::store {

std::string_view to_string(RobotStatus s) { return s == RobotStatus::Active ? "active" : "paused"; }

std::optional<RobotStatus> parse_robot_status(std::string_view text) {
  for (auto s : {RobotStatus::Active, RobotStatus::Paused})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

std::string_view to_string(SignalAction a) {
  switch (a) {
    case SignalAction::Long: return "long";
    case SignalAction::Short: return "short";
    case SignalAction::CloseLong: return "close_long";
    case SignalAction::CloseShort: return "close_short";
    case SignalAction::Close: return "close";
  }
  return "?";
}

std::optional<SignalAction> parse_signal_action(std::string_view text) {
  for (auto a : {SignalAction::Long, SignalAction::Short, SignalAction::CloseLong, SignalAction::CloseShort, SignalAction::Close})
    if (to_string(a) == text) return a;
  return std::nullopt;
}

std::string_view to_string(SignalOrder o) {
  switch (o) {
    case SignalOrder::Market: return "market";
    case SignalOrder::Stop: return "stop";
    case SignalOrder::Limit: return "limit";
  }
  return "?";
}

std::optional<SignalOrder> parse_signal_order(std::string_view text) {
  for (auto o : {SignalOrder::Market, SignalOrder::Stop, SignalOrder::Limit})
    if (to_string(o) == text) return o;
  return std::nullopt;
}

}  // namespace tb::store
