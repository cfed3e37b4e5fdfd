#pragma once
// User robots, their positions and orders as the API shows them: decimals as strings, times in ISO UTC,
// and the statistics of real fills (closed positions: count, wins, win rate, net profit, fees).
#include <vector>

#include <nlohmann/json.hpp>

#include "store/store.hpp"

namespace tb::web {

nlohmann::json position_json(const store::RobotPosition& p);
nlohmann::json robot_order_json(const store::OrderRecord& o);
// The user robot with its open position (or null), the statistics of its closed positions and, on futures,
// the leverage in effect as read at its start (null on spot and before the first start).
nlohmann::json user_robot_json(const store::UserRobot& ur, const std::vector<store::RobotPosition>& positions);

}  // namespace tb::web
