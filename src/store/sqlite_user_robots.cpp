// SqliteStore: user robots, their positions, the robots' orders and signal robots' signal ids.
#include "store/sqlite_rows.hpp"
#include "store/sqlite_store.hpp"

namespace tb::store {

using namespace sqlite_rows;

namespace {

constexpr const char* kUserRobotCols =
    "id, user_id, robot_id, account_id, volume_type, volume, status, message, handled_seq, stop_mode, created_at, updated_at, "
    "leverage";
Result<UserRobot> read_user_robot(const Stmt& s) {
  UserRobot r;
  r.id = s.int_at(0);
  r.user_id = s.int_at(1);
  r.robot_id = s.int_at(2);
  r.account_id = s.int_at(3);
  auto type = parse_volume_type(s.text_at(4));
  auto volume = decimal_column(s, 5, "user_robots.volume");
  auto status = parse_user_robot_status(s.text_at(6));
  if (!type || !status) return Error::make(ErrorKind::Internal, "store: user_robots.volume_type or status is unknown");
  if (!volume) return volume.error();
  r.volume_type = *type;
  r.volume = *volume;
  r.status = *status;
  r.message = s.text_at(7);
  r.handled_seq = s.int_at(8);
  r.stop_mode = s.text_at(9);
  r.created_ms = s.int_at(10);
  r.updated_ms = s.int_at(11);
  if (auto lev = s.opt_int_at(12)) r.leverage = static_cast<int>(*lev);
  return r;
}

std::string user_robots_where(const char* where) {
  return std::string("SELECT ") + kUserRobotCols + " FROM user_robots WHERE " + where + " ORDER BY id";
}

}  // namespace

Result<UserRobot> SqliteStore::create_user_robot(const UserRobot& robot) {
  Lock lock(mu_);
  UserRobot r = robot;
  r.created_ms = r.updated_ms = clock_.now_ms();
  auto s = db_->prepare(
      "INSERT INTO user_robots (user_id, robot_id, account_id, volume_type, volume, status, message, handled_seq, stop_mode, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(r.user_id, r.robot_id, r.account_id, to_string(r.volume_type), r.volume.to_string(), to_string(r.status),
                            r.message, r.handled_seq, r.stop_mode, r.created_ms, r.updated_ms)
                    .run();
      !st) {
    if (st.error().kind == ErrorKind::InvalidArgument && st.error().field == "account_id")  // UNIQUE (robot_id, account_id)
      return Error::invalid("robot_id", "this account follows robot " + std::to_string(r.robot_id) + " already");
    return st.error();
  }
  r.id = db_->last_insert_rowid();
  return r;
}

Result<std::optional<UserRobot>> SqliteStore::find_user_robot(int64_t id) {
  Lock lock(mu_);
  return select_one<UserRobot>(*db_, std::string("SELECT ") + kUserRobotCols + " FROM user_robots WHERE id = ?", read_user_robot, id);
}

Result<std::vector<UserRobot>> SqliteStore::list_user_robots(int64_t user_id) {
  Lock lock(mu_);
  return select_all<UserRobot>(*db_, user_robots_where("user_id = ?"), read_user_robot, user_id);
}

Result<std::vector<UserRobot>> SqliteStore::user_robots_of_robot(int64_t robot_id) {
  Lock lock(mu_);
  return select_all<UserRobot>(*db_, user_robots_where("robot_id = ?"), read_user_robot, robot_id);
}

Result<std::vector<UserRobot>> SqliteStore::user_robots_of_account(int64_t account_id) {
  Lock lock(mu_);
  return select_all<UserRobot>(*db_, user_robots_where("account_id = ?"), read_user_robot, account_id);
}

Result<std::vector<UserRobot>> SqliteStore::active_user_robots() {
  Lock lock(mu_);
  return select_all<UserRobot>(*db_, user_robots_where("status IN ('starting', 'started', 'stopping')"), read_user_robot);
}

// Each robot's last signal is read once, not once a user robot (SQLite runs a correlated subquery for every
// row): a pass over 10,000 user robots that finds nothing new costs 39 % fewer instructions, one that
// follows them all 1.5 k fewer a user robot (docs/BENCHMARKS.md, fifteenth round).
Result<std::vector<UserRobot>> SqliteStore::user_robots_to_follow() {
  Lock lock(mu_);
  return select_all<UserRobot>(
      *db_,
      "WITH last AS MATERIALIZED (SELECT r.id AS robot_id, coalesce((SELECT max(s.seq) FROM robot_signals s "
      "WHERE s.robot_id = r.id), 0) AS seq FROM robots r) SELECT " +
          cols(kUserRobotCols, "u.") +
          " FROM user_robots u JOIN last l ON l.robot_id = u.robot_id "
          "WHERE u.status IN ('starting', 'stopping') OR (u.status = 'started' AND u.handled_seq < l.seq) ORDER BY u.id",
      read_user_robot);
}

Status SqliteStore::update_user_robot(const UserRobot& r) {
  Lock lock(mu_);
  auto s = db_->prepare(
      "UPDATE user_robots SET volume_type = ?, volume = ?, status = ?, message = ?, handled_seq = ?, stop_mode = ?, updated_at = ? "
      "WHERE id = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(to_string(r.volume_type), r.volume.to_string(), to_string(r.status), r.message, r.handled_seq, r.stop_mode,
                            clock_.now_ms(), r.id)
                    .run();
      !st)
    return st;
  if (db_->changes() == 0) return not_found("user robot", r.id);
  return ok_status();
}

Status SqliteStore::set_handled_seq(int64_t id, int64_t handled_seq, const std::string& message) {
  Lock lock(mu_);
  auto s = db_->prepare("UPDATE user_robots SET handled_seq = ?, message = ?, updated_at = ? WHERE id = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(handled_seq, message, clock_.now_ms(), id).run(); !st) return st;
  if (db_->changes() == 0) return not_found("user robot", id);
  return ok_status();
}

Result<std::optional<UserRobot>> SqliteStore::mark_started(int64_t id) {
  Lock lock(mu_);
  auto s = db_->prepare("UPDATE user_robots SET status = 'started', updated_at = ? WHERE id = ? AND status = 'starting'");
  if (!s) return s.error();
  if (auto st = s->bind_all(clock_.now_ms(), id).run(); !st) return st.error();
  if (db_->changes() == 0) return std::optional<UserRobot>();
  return find_user_robot(id);
}

Status SqliteStore::set_user_robot_leverage(int64_t id, std::optional<int> leverage) {
  Lock lock(mu_);
  auto s = db_->prepare("UPDATE user_robots SET leverage = ?, updated_at = ? WHERE id = ?");
  if (!s) return s.error();
  const std::optional<int64_t> value = leverage ? std::optional<int64_t>(*leverage) : std::nullopt;
  if (auto st = s->bind_all(value, clock_.now_ms(), id).run(); !st) return st;
  if (db_->changes() == 0) return not_found("user robot", id);
  return ok_status();
}

Status SqliteStore::delete_user_robot(int64_t id) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM user_robots WHERE id = ?");  // positions by cascade; orders stay in the ledger
  if (!s) return s.error();
  if (auto st = s->bind_all(id).run(); !st) return st;
  if (db_->changes() == 0) return not_found("user robot", id);
  return ok_status();
}

}  // namespace tb::store
