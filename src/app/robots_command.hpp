#pragma once
// `tradebridge robots ...`: the operator's catalogue of robots, on the data directory (a running server
// reads the same database, so it picks the changes up).
//   add     --strategy S [--params JSON] --venue V --symbol S --timeframe T [--name N] [--since DATE]
//   list    every robot, one line each (--json: an array)
//   show    ROBOT (id or name): the robot with its parameters
//   signals ROBOT: its signals, in order
//   pause | resume | remove   ROBOT
#include <iosfwd>
#include <string>
#include <vector>

#include "robots/catalogue.hpp"

namespace tb::app {

struct RobotsOptions {
  std::string action;  // add | list | show | signals | pause | resume | remove
  std::string robot;   // id or name, for show/pause/resume/remove
  robots::RobotSpec spec;
  std::string since;  // add: when its signals start (UTC date), in the past to catch up; empty: now
  std::string data_dir = "./var";
  std::string database;  // --database; empty: the data directory's SQLite file
  bool json = false;
};

// The markets robots may run on: the built-in simulator's markets of each venue.
std::vector<robots::KnownMarket> known_markets();

// Exit 0 on success, 2 for the operator's mistake (the error names the field), 1 when the database fails.
int run_robots(const RobotsOptions& options, std::ostream& out, std::ostream& err);

}  // namespace tb::app
