// User robots as their user manages them: each change checked, then written in one store call.
#include "trading/user_robots.hpp"

#include "trading/volume.hpp"

namespace tb::trading {

using store::UserRobotStatus;

namespace {

Error not_yours(const char* what, int64_t id) {
  return Error::about(ErrorKind::NotFound, what, std::string("no ") + what + " " + std::to_string(id));
}

}  // namespace

bool running(UserRobotStatus s) {
  return s == UserRobotStatus::Starting || s == UserRobotStatus::Started || s == UserRobotStatus::Stopping;
}

Result<store::UserRobot> UserRobotService::owned(int64_t user_id, int64_t id) {
  auto ur = store_.find_user_robot(id);
  if (!ur) return ur.error();
  if (!*ur || (*ur)->user_id != user_id) return not_yours("user_robot", id);
  return **ur;
}

Result<store::UserRobot> UserRobotService::save(store::UserRobot ur) {
  if (auto st = store_.update_user_robot(ur); !st) return st.error();
  auto back = store_.find_user_robot(ur.id);
  if (!back || !*back) return Error::make(ErrorKind::Internal, "store: the user robot could not be read back");
  if (on_change) on_change(**back);
  return **back;
}

Result<store::Robot> UserRobotService::followable(int64_t user_id, int64_t robot_id) {
  auto r = store_.find_robot(robot_id);
  if (!r) return r.error();
  if (!*r || ((*r)->kind == "signal" && (*r)->owner_id && (*r)->owner_id != user_id)) return not_yours("robot_id", robot_id);
  return **r;
}

Result<store::UserRobot> UserRobotService::create(int64_t user_id, const NewUserRobot& in) {
  if (auto st = check_volume(in.volume_type, in.volume); !st) return st.error();
  auto robot = followable(user_id, in.robot_id);
  if (!robot) return robot.error();
  auto account = store_.find_account(in.account_id);
  if (!account) return account.error();
  if (!*account || (*account)->user_id != user_id) return not_yours("account_id", in.account_id);
  if ((*account)->venue != robot->venue)
    return Error::invalid("account_id", "the account is on " + (*account)->venue + ", the robot trades on " + robot->venue);
  store::UserRobot ur;
  ur.user_id = user_id;
  ur.robot_id = in.robot_id;
  ur.account_id = in.account_id;
  ur.volume_type = in.volume_type;
  ur.volume = in.volume;
  ur.status = UserRobotStatus::Stopped;
  auto made = store_.create_user_robot(ur);
  if (!made && made.error().field == "robot_id")
    return Error::about(ErrorKind::Conflict, "robot_id", "this account follows this robot already");
  if (made && on_change) on_change(*made);
  return made;
}

Result<std::vector<store::UserRobot>> UserRobotService::list(int64_t user_id) { return store_.list_user_robots(user_id); }

Result<store::UserRobot> UserRobotService::get(int64_t user_id, int64_t id) { return owned(user_id, id); }

Result<store::UserRobot> UserRobotService::change_volume(int64_t user_id, int64_t id, store::VolumeType type, const Decimal& volume) {
  if (auto st = check_volume(type, volume); !st) return st.error();
  auto ur = owned(user_id, id);
  if (!ur) return ur;
  ur->volume_type = type;
  ur->volume = volume;
  return save(*ur);
}

Result<store::Account> UserRobotService::enabled_account(const store::UserRobot& ur) {
  auto account = store_.find_account(ur.account_id);
  if (!account || !*account) return Error::make(ErrorKind::Internal, "store: the account could not be read");
  if ((*account)->status != store::AccountStatus::Enabled)
    return Error::about(ErrorKind::Conflict, "account_id",
                        "account \"" + (*account)->name + "\" is " + std::string(to_string((*account)->status)) +
                            ": only an enabled account trades (test its keys first)");
  return **account;
}

Result<store::UserRobot> UserRobotService::start(int64_t user_id, int64_t id) {
  auto ur = owned(user_id, id);
  if (!ur) return ur;
  if (running(ur->status)) return *ur;
  if (auto account = enabled_account(*ur); !account) return account.error();
  // It follows from now on: signals before the start are not traded.
  auto last = store_.last_signal_seq(ur->robot_id);
  if (!last) return last.error();
  ur->handled_seq = *last;
  ur->status = UserRobotStatus::Starting;
  ur->message.clear();
  return save(*ur);
}

Result<store::UserRobot> UserRobotService::stop(int64_t user_id, int64_t id, std::string_view position) {
  if (position != "close" && position != "keep") return Error::invalid("position", "\"close\" or \"keep\"");
  auto ur = owned(user_id, id);
  if (!ur) return ur;
  if (ur->status == UserRobotStatus::Stopped) return *ur;
  ur->status = UserRobotStatus::Stopping;
  ur->stop_mode = std::string(position);
  return save(*ur);
}

Result<store::UserRobot> UserRobotService::resume(int64_t user_id, int64_t id) {
  auto ur = owned(user_id, id);
  if (!ur) return ur;
  if (ur->status != UserRobotStatus::Paused) return Error::about(ErrorKind::Conflict, "status", "only a paused user robot resumes");
  return start(user_id, id);
}

Status UserRobotService::remove(int64_t user_id, int64_t id) {
  auto ur = owned(user_id, id);
  if (!ur) return ur.error();
  if (ur->status != UserRobotStatus::Stopped) return Error::about(ErrorKind::Conflict, "status", "stop it first");
  auto open = store_.open_position(id);
  if (!open) return open.error();
  if (*open) return Error::about(ErrorKind::Conflict, "position", "it holds a position: stop it with position \"close\" or \"keep\"");
  return store_.delete_user_robot(id);
}

Result<std::vector<store::RobotPosition>> UserRobotService::positions(int64_t user_id, int64_t id, int64_t limit) {
  if (auto ur = owned(user_id, id); !ur) return ur.error();
  return store_.positions(id, limit);
}

Result<std::vector<store::OrderRecord>> UserRobotService::orders(int64_t user_id, int64_t id, int64_t limit) {
  if (auto ur = owned(user_id, id); !ur) return ur.error();
  return store_.robot_orders(id, limit);
}

int UserRobotService::running_on(int64_t account_id) {
  auto all = store_.user_robots_of_account(account_id);
  if (!all) return 1;  // unknown: as if one ran, so keys are not replaced under a robot
  int n = 0;
  for (const auto& ur : *all) n += running(ur.status) ? 1 : 0;
  return n;
}

std::vector<store::UserRobot> UserRobotService::account_invalid(int64_t account_id, const std::string& reason) {
  std::vector<store::UserRobot> paused;
  auto all = store_.user_robots_of_account(account_id);
  if (!all) return paused;
  for (auto ur : *all) {
    if (!running(ur.status)) continue;
    ur.status = UserRobotStatus::Paused;
    ur.message = "the account's keys stopped working: " + reason;
    if (auto saved = save(ur); saved) paused.push_back(*saved);
  }
  return paused;
}

}  // namespace tb::trading
