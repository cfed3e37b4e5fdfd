// SqliteStore: the robots' catalogue, their candles, and the runner's state and signals.
#include "store/sqlite_rows.hpp"
#include "store/sqlite_store.hpp"

namespace tb::store {

using namespace sqlite_rows;

namespace {

constexpr const char* kRobotCols =
    "id, name, strategy, params, venue, symbol, timeframe, status, starts_at, created_at, updated_at, kind, owner_id, signal_token_hash";
Result<Robot> read_robot(const Stmt& s) {
  Robot r;
  r.id = s.int_at(0);
  r.name = s.text_at(1);
  r.strategy = s.text_at(2);
  r.params_json = s.text_at(3);
  r.venue = s.text_at(4);
  r.symbol = s.text_at(5);
  auto tf = parse_timeframe(s.text_at(6));
  auto status = parse_robot_status(s.text_at(7));
  if (!tf || !status) return Error::make(ErrorKind::Internal, "store: robots.timeframe or robots.status is unknown");
  r.timeframe = *tf;
  r.status = *status;
  r.starts_ms = s.int_at(8);
  r.created_ms = s.int_at(9);
  r.updated_ms = s.int_at(10);
  r.kind = s.text_at(11);
  r.owner_id = s.opt_int_at(12);
  r.signal_token_hash = s.text_at(13);
  return r;
}

Result<Candle> read_candle(const Stmt& s) {
  Candle c;
  c.open_time_ms = s.int_at(0);
  Decimal* fields[] = {&c.open, &c.high, &c.low, &c.close, &c.volume};
  for (int i = 0; i < 5; ++i) {
    auto d = decimal_column(s, i + 1, "candles");
    if (!d) return d.error();
    *fields[i] = *d;
  }
  return c;
}

constexpr const char* kSignalCols = "robot_id, seq, action, order_type, price, candle_time, created_at";
Result<RobotSignal> read_signal(const Stmt& s) {
  RobotSignal g;
  g.robot_id = s.int_at(0);
  g.seq = s.int_at(1);
  auto action = parse_signal_action(s.text_at(2));
  auto order = parse_signal_order(s.text_at(3));
  if (!action || !order) return Error::make(ErrorKind::Internal, "store: robot_signals.action or order_type is unknown");
  g.action = *action;
  g.order = *order;
  if (auto price = s.opt_text_at(4)) {
    auto d = Decimal::parse(*price);
    if (!d) return Error::make(ErrorKind::Internal, "store: robot_signals.price is not a decimal");
    g.price = *d;
  }
  g.candle_ms = s.int_at(5);
  g.created_ms = s.int_at(6);
  return g;
}

}  // namespace

// ---- robots ----

Result<Robot> SqliteStore::create_robot(const Robot& robot) {
  Lock lock(mu_);
  Robot r = robot;
  r.created_ms = r.updated_ms = clock_.now_ms();
  if (r.starts_ms == 0) r.starts_ms = r.created_ms;
  auto s = db_->prepare(
      "INSERT INTO robots (name, strategy, params, venue, symbol, timeframe, status, starts_at, created_at, updated_at, kind, owner_id, "
      "signal_token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(r.name, r.strategy, r.params_json, r.venue, r.symbol, to_string(r.timeframe), to_string(r.status), r.starts_ms,
                            r.created_ms, r.updated_ms, r.kind, r.owner_id, r.signal_token_hash)
                    .run();
      !st)
    return st.error();
  r.id = db_->last_insert_rowid();
  return r;
}

Result<std::optional<Robot>> SqliteStore::find_robot(int64_t id) {
  Lock lock(mu_);
  return select_one<Robot>(*db_, std::string("SELECT ") + kRobotCols + " FROM robots WHERE id = ?", read_robot, id);
}

Result<std::optional<Robot>> SqliteStore::find_robot_by_name(std::string_view name) {
  Lock lock(mu_);
  return select_one<Robot>(*db_, std::string("SELECT ") + kRobotCols + " FROM robots WHERE name = ?", read_robot, std::string(name));
}

Result<std::vector<Robot>> SqliteStore::list_robots() {
  Lock lock(mu_);
  return select_all<Robot>(*db_, std::string("SELECT ") + kRobotCols + " FROM robots ORDER BY id", read_robot);
}

Status SqliteStore::set_robot_status(int64_t id, RobotStatus status) {
  Lock lock(mu_);
  auto s = db_->prepare("UPDATE robots SET status = ?, updated_at = ? WHERE id = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(to_string(status), clock_.now_ms(), id).run(); !st) return st;
  if (db_->changes() == 0) return not_found("robot", id);
  return ok_status();
}

Status SqliteStore::delete_robot(int64_t id) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM robots WHERE id = ?");  // state and signals by ON DELETE CASCADE
  if (!s) return s.error();
  if (auto st = s->bind_all(id).run(); !st) return st;
  if (db_->changes() == 0) return not_found("robot", id);
  return ok_status();
}

Result<bool> SqliteStore::claim_catalogue_seed() {
  Lock lock(mu_);
  auto s = db_->prepare("INSERT OR IGNORE INTO robot_catalogue_seed (id, at) VALUES (1, ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(clock_.now_ms()).run(); !st) return st.error();
  return db_->changes() == 1;
}

// ---- candles ----

Status SqliteStore::save_candles(std::string_view venue, std::string_view symbol, Timeframe tf, const std::vector<Candle>& candles) {
  return with_transaction([&](Store&) -> Status {
    Lock lock(mu_);
    for (const auto& c : candles) {
      auto s = db_->prepare(  // cached: prepared once
          "INSERT OR REPLACE INTO candles (venue, symbol, timeframe, open_time, open, high, low, close, volume) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
      if (!s) return s.error();
      if (auto st = s->bind_all(venue, symbol, to_string(tf), c.open_time_ms, c.open.to_string(), c.high.to_string(), c.low.to_string(),
                                c.close.to_string(), c.volume.to_string())
                        .run();
          !st)
        return st;
    }
    return ok_status();
  });
}

Result<std::vector<Candle>> SqliteStore::candles(std::string_view venue, std::string_view symbol, Timeframe tf, int64_t from_ms,
                                                 int64_t to_ms) {
  Lock lock(mu_);
  return select_all<Candle>(*db_,
                            "SELECT open_time, open, high, low, close, volume FROM candles WHERE venue = ? AND symbol = ? AND "
                            "timeframe = ? AND open_time >= ? AND open_time < ? ORDER BY open_time",
                            read_candle, std::string(venue), std::string(symbol), std::string(to_string(tf)), from_ms, to_ms);
}

Result<std::optional<int64_t>> SqliteStore::last_candle_ms(std::string_view venue, std::string_view symbol, Timeframe tf) {
  Lock lock(mu_);
  auto row = select_one<std::optional<int64_t>>(
      *db_, "SELECT max(open_time) FROM candles WHERE venue = ? AND symbol = ? AND timeframe = ?",
      [](const Stmt& s) { return s.opt_int_at(0); }, std::string(venue), std::string(symbol), std::string(to_string(tf)));
  if (!row) return row.error();
  return row->value_or(std::nullopt);
}

// ---- runner state and signals ----

Result<std::optional<RobotState>> SqliteStore::robot_state(int64_t robot_id) {
  Lock lock(mu_);
  return select_one<RobotState>(
      *db_, "SELECT robot_id, last_candle_time, state, updated_at FROM robot_states WHERE robot_id = ?",
      [](const Stmt& s) {
        return RobotState{s.int_at(0), s.int_at(1), s.text_at(2), s.int_at(3)};
      },
      robot_id);
}

Status SqliteStore::save_robot_state(const RobotState& st) {
  Lock lock(mu_);
  auto s = db_->prepare("INSERT OR REPLACE INTO robot_states (robot_id, last_candle_time, state, updated_at) VALUES (?, ?, ?, ?)");
  if (!s) return s.error();
  return s->bind_all(st.robot_id, st.last_candle_ms, st.state_json, clock_.now_ms()).run();
}

Status SqliteStore::append_signal(const RobotSignal& g) {
  Lock lock(mu_);
  auto last = select_one<int64_t>(
      *db_, "SELECT coalesce(max(seq), 0) FROM robot_signals WHERE robot_id = ?", [](const Stmt& s) { return s.int_at(0); }, g.robot_id);
  if (!last) return last.error();
  const int64_t next = last->value_or(0) + 1;
  if (g.seq < next)
    return Error::invalid("seq", "robot " + std::to_string(g.robot_id) + " has signal " + std::to_string(g.seq) + " already");
  if (g.seq > next) return Error::invalid("seq", "the next signal of robot " + std::to_string(g.robot_id) + " is " + std::to_string(next));
  auto s = db_->prepare("INSERT INTO robot_signals (" + std::string(kSignalCols) + ") VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!s) return s.error();
  return s->bind_all(g.robot_id, g.seq, to_string(g.action), to_string(g.order), text_of(g.price), g.candle_ms, clock_.now_ms()).run();
}

Result<std::vector<RobotSignal>> SqliteStore::robot_signals(int64_t robot_id, int64_t after_seq, int64_t limit) {
  Lock lock(mu_);
  return select_all<RobotSignal>(
      *db_, "SELECT " + std::string(kSignalCols) + " FROM robot_signals WHERE robot_id = ? AND seq > ? ORDER BY seq LIMIT ?", read_signal,
      robot_id, after_seq, limit);
}

}  // namespace tb::store
