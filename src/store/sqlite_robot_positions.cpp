// SqliteStore: the positions user robots hold, their orders in the ledger, and signal robots' signal ids.
#include "store/id_list.hpp"
#include "store/sqlite_rows.hpp"
#include "store/sqlite_store.hpp"

namespace tb::store {

using namespace sqlite_rows;

namespace {

constexpr const char* kPositionCols =
    "id, user_robot_id, side, entered, entry_price, exited, exit_price, fees, profit, opened_at, closed_at";
Result<RobotPosition> read_position(const Stmt& s) {
  RobotPosition p;
  p.id = s.int_at(0);
  p.user_robot_id = s.int_at(1);
  p.side = s.text_at(2);
  Decimal* amounts[] = {&p.entered, &p.entry_price, &p.exited, &p.exit_price, &p.fees};
  for (int i = 0; i < 5; ++i) {
    auto d = decimal_column(s, 3 + i, "robot_positions");
    if (!d) return d.error();
    *amounts[i] = *d;
  }
  if (auto profit = s.opt_text_at(8)) {
    auto d = Decimal::parse(*profit);
    if (!d) return Error::make(ErrorKind::Internal, "store: robot_positions.profit is not a decimal");
    p.profit = *d;
  }
  p.opened_ms = s.int_at(9);
  p.closed_ms = s.opt_int_at(10);
  return p;
}

}  // namespace

Result<std::optional<RobotPosition>> SqliteStore::open_position(int64_t user_robot_id) {
  Lock lock(mu_);
  return select_one<RobotPosition>(
      *db_, std::string("SELECT ") + kPositionCols + " FROM robot_positions WHERE user_robot_id = ? AND closed_at IS NULL", read_position,
      user_robot_id);
}

Result<std::optional<RobotPosition>> SqliteStore::find_position(int64_t id) {
  Lock lock(mu_);
  return select_one<RobotPosition>(*db_, std::string("SELECT ") + kPositionCols + " FROM robot_positions WHERE id = ?", read_position, id);
}

Result<std::vector<RobotPosition>> SqliteStore::open_positions(const std::vector<int64_t>& user_robot_ids) {
  const auto span = dense_span(user_robot_ids);
  Lock lock(mu_);
  const std::string sql = std::string("SELECT ") + kPositionCols + " FROM robot_positions WHERE closed_at IS NULL AND user_robot_id ";
  if (!span)
    return select_all<RobotPosition>(*db_, sql + "IN (SELECT value FROM json_each(?))", read_position, id_list(user_robot_ids, '[', ']'));
  auto rows = select_all<RobotPosition>(*db_, sql + "BETWEEN ? AND ?", read_position, span->first, span->last);
  if (rows) keep_asked(*rows, user_robot_ids, [](const RobotPosition& p) { return p.user_robot_id; });
  return rows;
}

Result<RobotPosition> SqliteStore::save_position(const RobotPosition& position) {
  Lock lock(mu_);
  return in_transaction<RobotPosition>([&]() -> Result<RobotPosition> {
    RobotPosition p = position;
    const bool insert = p.id == 0;
    if (insert) {
      auto id = take_id(position_ids_);
      if (!id) return id.error();
      p.id = *id;
    }
    auto s = db_->prepare(insert ? "INSERT INTO robot_positions (user_robot_id, side, entered, entry_price, exited, exit_price, fees, "
                                   "profit, opened_at, closed_at, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                 // Not set again: an assigned column rewrites the entries of every index on it.
                                 : "UPDATE robot_positions SET side = ?2, entered = ?3, entry_price = ?4, exited = ?5, exit_price = ?6, "
                                   "fees = ?7, profit = ?8, opened_at = ?9, closed_at = ?10 WHERE id = ?11 AND user_robot_id = ?1");
    if (!s) return s.error();
    s->bind_all(p.user_robot_id, p.side, p.entered.to_string(), p.entry_price.to_string(), p.exited.to_string(), p.exit_price.to_string(),
                p.fees.to_string(), text_of(p.profit), p.opened_ms, p.closed_ms, p.id);
    if (auto st = s->run(); !st) {
      if (st.error().kind == ErrorKind::InvalidArgument) return Error::invalid("side", "the user robot holds an open position already");
      return st.error();
    }
    if (!insert && db_->changes() == 0) return not_found("position", p.id);
    return p;
  });
}

Result<std::vector<RobotPosition>> SqliteStore::positions(int64_t user_robot_id, int64_t limit) {
  Lock lock(mu_);
  return select_all<RobotPosition>(
      *db_, std::string("SELECT ") + kPositionCols + " FROM robot_positions WHERE user_robot_id = ? ORDER BY id DESC LIMIT ?",
      read_position, user_robot_id, limit);
}

Result<std::vector<OrderRecord>> SqliteStore::robot_orders(int64_t user_robot_id, int64_t limit) {
  Lock lock(mu_);
  return select_all<OrderRecord>(*db_, "SELECT " + cols(kOrderCols) + " FROM orders WHERE user_robot_id = ? ORDER BY id DESC LIMIT ?",
                                 read_order, user_robot_id, limit);
}

Result<std::vector<OrderRecord>> SqliteStore::unsettled_robot_orders() {
  Lock lock(mu_);
  return select_all<OrderRecord>(
      // Named: for ORDER BY id the planner would rather scan the whole ledger than sort the few unsettled.
      *db_,
      "SELECT " + cols(kOrderCols) + " FROM orders INDEXED BY orders_unsettled WHERE purpose = 'robot' AND settled_at IS NULL ORDER BY id",
      read_order);
}

Result<std::vector<OrderRecord>> SqliteStore::robot_orders_fee_pending(int64_t limit) {
  Lock lock(mu_);
  return select_all<OrderRecord>(*db_, "SELECT " + cols(kOrderCols) + " FROM orders WHERE fee_pending = 1 ORDER BY id LIMIT ?", read_order,
                                 limit);
}

Result<OrderRecord> SqliteStore::record_robot_order(const OrderRecord& order, const ClientOrderIdOf& client_order_id_of) {
  Lock lock(mu_);
  return in_transaction<OrderRecord>([&]() -> Result<OrderRecord> {
    auto id = take_id(order_ids_);
    if (!id) return id.error();
    OrderRecord o = order;
    o.id = *id;
    o.client_order_id = client_order_id_of(o.id);
    return insert_order(o);
  });
}

Result<int64_t> SqliteStore::last_signal_seq(int64_t robot_id) {
  Lock lock(mu_);
  auto row = select_one<int64_t>(
      *db_, "SELECT coalesce(max(seq), 0) FROM robot_signals WHERE robot_id = ?", [](const Stmt& s) { return s.int_at(0); }, robot_id);
  if (!row) return row.error();
  return row->value_or(0);
}

Result<std::optional<int64_t>> SqliteStore::signal_seq_of(int64_t robot_id, std::string_view external_id) {
  Lock lock(mu_);
  return select_one<int64_t>(
      *db_, "SELECT seq FROM robot_signal_ids WHERE robot_id = ? AND external_id = ?", [](const Stmt& s) { return s.int_at(0); }, robot_id,
      std::string(external_id));
}

Status SqliteStore::record_signal_id(int64_t robot_id, std::string_view external_id, int64_t seq) {
  Lock lock(mu_);
  auto s = db_->prepare("INSERT INTO robot_signal_ids (robot_id, external_id, seq) VALUES (?, ?, ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(robot_id, external_id, seq).run(); !st) {
    if (st.error().kind == ErrorKind::InvalidArgument) return Error::invalid("id", "this robot has that signal id already");
    return st;
  }
  return ok_status();
}

}  // namespace tb::store
