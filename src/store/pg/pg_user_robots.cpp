// PgStore: user robots, their positions, the robots' orders and signal robots' signal ids.
#include "store/id_list.hpp"
#include "store/pg/pg_rows.hpp"
#include "store/pg/pg_store_impl.hpp"

namespace tb::store::pg {

namespace {

constexpr const char* kUserRobotCols =
    "id, user_id, robot_id, account_id, volume_type, volume, status, message, handled_seq, stop_mode, created_at, updated_at, "
    "leverage";
Result<UserRobot> read_user_robot(const PgRow& r) {
  UserRobot u;
  u.id = r.int_at(0);
  u.user_id = r.int_at(1);
  u.robot_id = r.int_at(2);
  u.account_id = r.int_at(3);
  auto type = parse_volume_type(r.text_at(4));
  auto volume = decimal_at(r, 5, "user_robots.volume");
  auto status = parse_user_robot_status(r.text_at(6));
  if (!type || !status) return Error::make(ErrorKind::Internal, "store: user_robots.volume_type or status is unknown");
  if (!volume) return volume.error();
  u.volume_type = *type;
  u.volume = *volume;
  u.status = *status;
  u.message = r.text_at(7);
  u.handled_seq = r.int_at(8);
  u.stop_mode = r.text_at(9);
  u.created_ms = r.int_at(10);
  u.updated_ms = r.int_at(11);
  if (auto lev = r.opt_int_at(12)) u.leverage = static_cast<int>(*lev);
  return u;
}

std::string user_robots_where(const char* where) {
  return std::string("SELECT ") + kUserRobotCols + " FROM user_robots WHERE " + where + " ORDER BY id";
}

constexpr const char* kPositionCols =
    "id, user_robot_id, side, entered, entry_price, exited, exit_price, fees, profit, opened_at, closed_at";
Result<RobotPosition> read_position(const PgRow& r) {
  RobotPosition p;
  p.id = r.int_at(0);
  p.user_robot_id = r.int_at(1);
  p.side = r.text_at(2);
  Decimal* amounts[] = {&p.entered, &p.entry_price, &p.exited, &p.exit_price, &p.fees};
  for (int i = 0; i < 5; ++i) {
    auto d = decimal_at(r, 3 + i, "robot_positions");
    if (!d) return d.error();
    *amounts[i] = *d;
  }
  if (!r.is_null(8)) {
    auto d = decimal_at(r, 8, "robot_positions.profit");
    if (!d) return d.error();
    p.profit = *d;
  }
  p.opened_ms = r.int_at(9);
  p.closed_ms = r.opt_int_at(10);
  return p;
}

std::optional<std::string> text_of(const std::optional<Decimal>& d) {
  return d ? std::optional<std::string>(d->to_string()) : std::nullopt;
}

}  // namespace

// ---- user robots ----

Result<UserRobot> PgStore::create_user_robot(const UserRobot& robot) {
  UserRobot r = robot;
  r.created_ms = r.updated_ms = clock_.now_ms();
  auto id = with_conn([&](PgConn& c) {
    return returned_id(
        c,
        "INSERT INTO user_robots (user_id, robot_id, account_id, volume_type, volume, status, message, handled_seq, stop_mode, "
        "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        PgParams(r.user_id, r.robot_id, r.account_id, to_string(r.volume_type), r.volume.to_string(), to_string(r.status), r.message,
                 r.handled_seq, r.stop_mode, r.created_ms, r.updated_ms));
  });
  if (!id) {
    if (id.error().kind == ErrorKind::InvalidArgument && id.error().field == "account_id")  // UNIQUE (robot_id, account_id)
      return Error::invalid("robot_id", "this account follows robot " + std::to_string(r.robot_id) + " already");
    return id.error();
  }
  r.id = *id;
  return r;
}

Result<std::optional<UserRobot>> PgStore::find_user_robot(int64_t id) {
  return with_conn([&](PgConn& c) {
    return select_one<UserRobot>(c, std::string("SELECT ") + kUserRobotCols + " FROM user_robots WHERE id = $1", read_user_robot,
                                 PgParams(id));
  });
}

Result<std::vector<UserRobot>> PgStore::list_user_robots(int64_t user_id) {
  return with_conn(
      [&](PgConn& c) { return select_all<UserRobot>(c, user_robots_where("user_id = $1"), read_user_robot, PgParams(user_id)); });
}

Result<std::vector<UserRobot>> PgStore::user_robots_of_robot(int64_t robot_id) {
  return with_conn(
      [&](PgConn& c) { return select_all<UserRobot>(c, user_robots_where("robot_id = $1"), read_user_robot, PgParams(robot_id)); });
}

Result<std::vector<UserRobot>> PgStore::user_robots_of_account(int64_t account_id) {
  return with_conn(
      [&](PgConn& c) { return select_all<UserRobot>(c, user_robots_where("account_id = $1"), read_user_robot, PgParams(account_id)); });
}

Result<std::vector<UserRobot>> PgStore::active_user_robots() {
  return with_conn([&](PgConn& c) {
    return select_all<UserRobot>(c, user_robots_where("status IN ('starting', 'started', 'stopping')"), read_user_robot);
  });
}

Result<std::vector<UserRobot>> PgStore::user_robots_to_follow() {
  return with_conn([&](PgConn& c) {
    return select_all<UserRobot>(
        c,
        user_robots_where("status IN ('starting', 'stopping') OR (status = 'started' AND handled_seq < "
                          "coalesce((SELECT max(s.seq) FROM robot_signals s WHERE s.robot_id = user_robots.robot_id), 0))"),
        read_user_robot);
  });
}

Status PgStore::update_user_robot(const UserRobot& r) {
  auto n = with_conn([&](PgConn& c) {
    return affected(c,
                    "UPDATE user_robots SET volume_type = $1, volume = $2, status = $3, message = $4, handled_seq = $5, stop_mode = $6, "
                    "updated_at = $7 WHERE id = $8",
                    PgParams(to_string(r.volume_type), r.volume.to_string(), to_string(r.status), r.message, r.handled_seq, r.stop_mode,
                             clock_.now_ms(), r.id));
  });
  if (!n) return n.error();
  if (*n == 0) return not_found("user robot", r.id);
  return ok_status();
}

Status PgStore::set_handled_seq(int64_t id, int64_t handled_seq, const std::string& message) {
  auto n = with_conn([&](PgConn& c) {
    return affected(c, "UPDATE user_robots SET handled_seq = $1, message = $2, updated_at = $3 WHERE id = $4",
                    PgParams(handled_seq, message, clock_.now_ms(), id));
  });
  if (!n) return n.error();
  if (*n == 0) return not_found("user robot", id);
  return ok_status();
}

Result<std::optional<UserRobot>> PgStore::mark_started(int64_t id) {
  return with_conn([&](PgConn& c) {
    return select_one<UserRobot>(
        c,
        std::string("UPDATE user_robots SET status = 'started', updated_at = $1 WHERE id = $2 AND status = 'starting' "
                    "RETURNING ") +
            kUserRobotCols,
        read_user_robot, PgParams(clock_.now_ms(), id));
  });
}

Status PgStore::set_user_robot_leverage(int64_t id, std::optional<int> leverage) {
  const std::optional<int64_t> value = leverage ? std::optional<int64_t>(*leverage) : std::nullopt;
  auto n = with_conn([&](PgConn& c) {
    return affected(c, "UPDATE user_robots SET leverage = $1, updated_at = $2 WHERE id = $3", PgParams(value, clock_.now_ms(), id));
  });
  if (!n) return n.error();
  if (*n == 0) return not_found("user robot", id);
  return ok_status();
}

Status PgStore::delete_user_robot(int64_t id) {
  // Positions go by cascade; orders stay in the ledger (their user_robot_id set to NULL).
  auto n = with_conn([&](PgConn& c) { return affected(c, "DELETE FROM user_robots WHERE id = $1", PgParams(id)); });
  if (!n) return n.error();
  if (*n == 0) return not_found("user robot", id);
  return ok_status();
}

// ---- positions ----

Result<std::optional<RobotPosition>> PgStore::open_position(int64_t user_robot_id) {
  return with_conn([&](PgConn& c) {
    return select_one<RobotPosition>(
        c, std::string("SELECT ") + kPositionCols + " FROM robot_positions WHERE user_robot_id = $1 AND closed_at IS NULL", read_position,
        PgParams(user_robot_id));
  });
}

Result<std::optional<RobotPosition>> PgStore::find_position(int64_t id) {
  return with_conn([&](PgConn& c) {
    return select_one<RobotPosition>(c, std::string("SELECT ") + kPositionCols + " FROM robot_positions WHERE id = $1", read_position,
                                     PgParams(id));
  });
}

Result<std::vector<RobotPosition>> PgStore::open_positions(const std::vector<int64_t>& user_robot_ids) {
  const std::string list = id_list(user_robot_ids, '{', '}');
  return with_conn([&](PgConn& c) {
    return select_all<RobotPosition>(
        c, std::string("SELECT ") + kPositionCols + " FROM robot_positions WHERE closed_at IS NULL AND user_robot_id = ANY($1::bigint[])",
        read_position, PgParams(list));
  });
}

Result<RobotPosition> PgStore::save_position(const RobotPosition& position) {
  RobotPosition p = position;
  PgParams params(p.user_robot_id, p.side, p.entered.to_string(), p.entry_price.to_string(), p.exited.to_string(), p.exit_price.to_string(),
                  p.fees.to_string(), text_of(p.profit), p.opened_ms, p.closed_ms);
  const bool insert = p.id == 0;
  if (!insert) params.add(p.id);
  // The id written, or none when no row is that user robot's position of this id.
  auto id = with_conn([&](PgConn& c) -> Result<std::optional<int64_t>> {
    if (insert) {
      auto made = returned_id(c,
                              "INSERT INTO robot_positions (user_robot_id, side, entered, entry_price, exited, exit_price, fees, profit, "
                              "opened_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                              params);
      if (!made) return made.error();
      return std::optional<int64_t>(*made);
    }
    auto n = affected(c,
                      "UPDATE robot_positions SET side = $2, entered = $3, entry_price = $4, exited = $5, exit_price = $6, fees = $7, "
                      "profit = $8, opened_at = $9, closed_at = $10 WHERE id = $11 AND user_robot_id = $1",
                      params);
    if (!n) return n.error();
    return *n == 0 ? std::nullopt : std::optional<int64_t>(p.id);
  });
  if (!id) {
    if (id.error().kind == ErrorKind::InvalidArgument) return Error::invalid("side", "the user robot holds an open position already");
    return id.error();
  }
  if (!*id) return not_found("position", p.id);
  p.id = **id;
  return p;
}

Result<std::vector<RobotPosition>> PgStore::positions(int64_t user_robot_id, int64_t limit) {
  return with_conn([&](PgConn& c) {
    return select_all<RobotPosition>(
        c, std::string("SELECT ") + kPositionCols + " FROM robot_positions WHERE user_robot_id = $1 ORDER BY id DESC LIMIT $2",
        read_position, PgParams(user_robot_id, limit));
  });
}

// ---- the robots' orders ----

Result<std::vector<OrderRecord>> PgStore::robot_orders(int64_t user_robot_id, int64_t limit) {
  return with_conn([&](PgConn& c) {
    return select_all<OrderRecord>(c, "SELECT " + cols(kOrderCols) + " FROM orders WHERE user_robot_id = $1 ORDER BY id DESC LIMIT $2",
                                   read_order, PgParams(user_robot_id, limit));
  });
}

Result<std::vector<OrderRecord>> PgStore::unsettled_robot_orders() {
  return with_conn([&](PgConn& c) {
    return select_all<OrderRecord>(
        c, "SELECT " + cols(kOrderCols) + " FROM orders WHERE purpose = 'robot' AND settled_at IS NULL ORDER BY id", read_order);
  });
}

Result<std::vector<OrderRecord>> PgStore::robot_orders_fee_pending(int64_t limit) {
  return with_conn([&](PgConn& c) {
    return select_all<OrderRecord>(c, "SELECT " + cols(kOrderCols) + " FROM orders WHERE fee_pending ORDER BY id LIMIT $1", read_order,
                                   PgParams(limit));
  });
}

// ---- signals ----

Result<int64_t> PgStore::last_signal_seq(int64_t robot_id) {
  auto row = with_conn([&](PgConn& c) {
    return select_one<int64_t>(
        c, "SELECT coalesce(max(seq), 0) FROM robot_signals WHERE robot_id = $1", [](const PgRow& r) { return r.int_at(0); },
        PgParams(robot_id));
  });
  if (!row) return row.error();
  return row->value_or(0);
}

Result<std::optional<int64_t>> PgStore::signal_seq_of(int64_t robot_id, std::string_view external_id) {
  return with_conn([&](PgConn& c) {
    return select_one<int64_t>(
        c, "SELECT seq FROM robot_signal_ids WHERE robot_id = $1 AND external_id = $2", [](const PgRow& r) { return r.int_at(0); },
        PgParams(robot_id, external_id));
  });
}

Status PgStore::record_signal_id(int64_t robot_id, std::string_view external_id, int64_t seq) {
  auto st = with_conn([&](PgConn& c) {
    return exec(c, "INSERT INTO robot_signal_ids (robot_id, external_id, seq) VALUES ($1, $2, $3)", PgParams(robot_id, external_id, seq));
  });
  if (!st && st.error().kind == ErrorKind::InvalidArgument) return Error::invalid("id", "this robot has that signal id already");
  return st;
}

}  // namespace tb::store::pg
