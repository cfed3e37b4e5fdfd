#include "store/user_robot_store.hpp"

namespace tb::store {

std::string_view to_string(UserRobotStatus s) {
  switch (s) {
    case UserRobotStatus::Starting: return "starting";
    case UserRobotStatus::Started: return "started";
    case UserRobotStatus::Paused: return "paused";
    case UserRobotStatus::Stopping: return "stopping";
    case UserRobotStatus::Stopped: return "stopped";
  }
  return "?";
}

std::optional<UserRobotStatus> parse_user_robot_status(std::string_view text) {
  for (auto s :
       {UserRobotStatus::Starting, UserRobotStatus::Started, UserRobotStatus::Paused, UserRobotStatus::Stopping, UserRobotStatus::Stopped})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

std::string_view to_string(VolumeType t) {
  switch (t) {
    case VolumeType::AssetFixed: return "asset_fixed";
    case VolumeType::QuoteFixed: return "quote_fixed";
    case VolumeType::BalancePercent: return "balance_percent";
  }
  return "?";
}

std::optional<VolumeType> parse_volume_type(std::string_view text) {
  for (auto t : {VolumeType::AssetFixed, VolumeType::QuoteFixed, VolumeType::BalancePercent})
    if (to_string(t) == text) return t;
  return std::nullopt;
}

}  // namespace tb::store
