// PgStore: the robots' catalogue, their candles, and the runner's state and signals.
#include "store/pg/pg_rows.hpp"
#include "store/pg/pg_store_impl.hpp"

namespace tb::store::pg {

namespace {

constexpr const char* kRobotCols =
    "id, name, strategy, params, venue, symbol, timeframe, status, starts_at, created_at, updated_at, kind, owner_id, signal_token_hash";
Result<Robot> read_robot(const PgRow& r) {
  Robot b;
  b.id = r.int_at(0);
  b.name = r.text_at(1);
  b.strategy = r.text_at(2);
  b.params_json = r.text_at(3);
  b.venue = r.text_at(4);
  b.symbol = r.text_at(5);
  auto tf = parse_timeframe(r.text_at(6));
  auto status = parse_robot_status(r.text_at(7));
  if (!tf || !status) return Error::make(ErrorKind::Internal, "store: robots.timeframe or robots.status is unknown");
  b.timeframe = *tf;
  b.status = *status;
  b.starts_ms = r.int_at(8);
  b.created_ms = r.int_at(9);
  b.updated_ms = r.int_at(10);
  b.kind = r.text_at(11);
  b.owner_id = r.opt_int_at(12);
  b.signal_token_hash = r.text_at(13);
  return b;
}

Result<Candle> read_candle(const PgRow& r) {
  Candle c;
  c.open_time_ms = r.int_at(0);
  Decimal* fields[] = {&c.open, &c.high, &c.low, &c.close, &c.volume};
  for (int i = 0; i < 5; ++i) {
    auto d = decimal_at(r, i + 1, "candles");
    if (!d) return d.error();
    *fields[i] = *d;
  }
  return c;
}

constexpr const char* kSignalCols = "robot_id, seq, action, order_type, price, candle_time, created_at";
Result<RobotSignal> read_signal(const PgRow& r) {
  RobotSignal g;
  g.robot_id = r.int_at(0);
  g.seq = r.int_at(1);
  auto action = parse_signal_action(r.text_at(2));
  auto order = parse_signal_order(r.text_at(3));
  if (!action || !order) return Error::make(ErrorKind::Internal, "store: robot_signals.action or order_type is unknown");
  g.action = *action;
  g.order = *order;
  if (!r.is_null(4)) {
    auto d = decimal_at(r, 4, "robot_signals.price");
    if (!d) return d.error();
    g.price = *d;
  }
  g.candle_ms = r.int_at(5);
  g.created_ms = r.int_at(6);
  return g;
}

std::optional<std::string> text_of(const std::optional<Decimal>& d) {
  return d ? std::optional<std::string>(d->to_string()) : std::nullopt;
}

}  // namespace

// ---- robots ----

Result<Robot> PgStore::create_robot(const Robot& robot) {
  Robot r = robot;
  r.created_ms = r.updated_ms = clock_.now_ms();
  if (r.starts_ms == 0) r.starts_ms = r.created_ms;
  auto id = with_conn([&](PgConn& c) {
    return returned_id(
        c,
        "INSERT INTO robots (name, strategy, params, venue, symbol, timeframe, status, starts_at, created_at, updated_at, kind, "
        "owner_id, signal_token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        PgParams(r.name, r.strategy, r.params_json, r.venue, r.symbol, to_string(r.timeframe), to_string(r.status), r.starts_ms,
                 r.created_ms, r.updated_ms, r.kind, r.owner_id, r.signal_token_hash));
  });
  if (!id) return id.error();
  r.id = *id;
  return r;
}

Result<std::optional<Robot>> PgStore::find_robot(int64_t id) {
  return with_conn([&](PgConn& c) {
    return select_one<Robot>(c, std::string("SELECT ") + kRobotCols + " FROM robots WHERE id = $1", read_robot, PgParams(id));
  });
}

Result<std::optional<Robot>> PgStore::find_robot_by_name(std::string_view name) {
  return with_conn([&](PgConn& c) {
    return select_one<Robot>(c, std::string("SELECT ") + kRobotCols + " FROM robots WHERE name = $1", read_robot, PgParams(name));
  });
}

Result<std::vector<Robot>> PgStore::list_robots() {
  return with_conn(
      [&](PgConn& c) { return select_all<Robot>(c, std::string("SELECT ") + kRobotCols + " FROM robots ORDER BY id", read_robot); });
}

Status PgStore::set_robot_status(int64_t id, RobotStatus status) {
  auto n = with_conn([&](PgConn& c) {
    return affected(c, "UPDATE robots SET status = $1, updated_at = $2 WHERE id = $3", PgParams(to_string(status), clock_.now_ms(), id));
  });
  if (!n) return n.error();
  if (*n == 0) return not_found("robot", id);
  return ok_status();
}

Status PgStore::delete_robot(int64_t id) {
  auto n = with_conn([&](PgConn& c) { return affected(c, "DELETE FROM robots WHERE id = $1", PgParams(id)); });  // state, signals cascade
  if (!n) return n.error();
  if (*n == 0) return not_found("robot", id);
  return ok_status();
}

Result<bool> PgStore::claim_catalogue_seed() {
  auto n = with_conn([&](PgConn& c) {
    return affected(c, "INSERT INTO robot_catalogue_seed (id, at) VALUES (1, $1) ON CONFLICT DO NOTHING", PgParams(clock_.now_ms()));
  });
  if (!n) return n.error();
  return *n == 1;
}

// ---- candles ----

Status PgStore::save_candles(std::string_view venue, std::string_view symbol, Timeframe tf, const std::vector<Candle>& candles) {
  return in_transaction([&](PgConn& c) -> Status {
    for (const auto& k : candles)
      if (auto st = exec(c,
                         "INSERT INTO candles (venue, symbol, timeframe, open_time, open, high, low, close, volume) "
                         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (venue, symbol, timeframe, open_time) DO UPDATE SET "
                         "open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close, volume = excluded.volume",
                         PgParams(venue, symbol, to_string(tf), k.open_time_ms, k.open.to_string(), k.high.to_string(), k.low.to_string(),
                                  k.close.to_string(), k.volume.to_string()));
          !st)
        return st;
    return ok_status();
  });
}

Result<std::vector<Candle>> PgStore::candles(std::string_view venue, std::string_view symbol, Timeframe tf, int64_t from_ms,
                                             int64_t to_ms) {
  return with_conn([&](PgConn& c) {
    return select_all<Candle>(c,
                              "SELECT open_time, open, high, low, close, volume FROM candles WHERE venue = $1 AND symbol = $2 AND "
                              "timeframe = $3 AND open_time >= $4 AND open_time < $5 ORDER BY open_time",
                              read_candle, PgParams(venue, symbol, to_string(tf), from_ms, to_ms));
  });
}

Result<std::optional<int64_t>> PgStore::last_candle_ms(std::string_view venue, std::string_view symbol, Timeframe tf) {
  auto row = with_conn([&](PgConn& c) {
    return select_one<std::optional<int64_t>>(
        c, "SELECT max(open_time) FROM candles WHERE venue = $1 AND symbol = $2 AND timeframe = $3",
        [](const PgRow& r) { return r.opt_int_at(0); }, PgParams(venue, symbol, to_string(tf)));
  });
  if (!row) return row.error();
  return row->value_or(std::nullopt);
}

// ---- runner state and signals ----

Result<std::optional<RobotState>> PgStore::robot_state(int64_t robot_id) {
  return with_conn([&](PgConn& c) {
    return select_one<RobotState>(
        c, "SELECT robot_id, last_candle_time, state, updated_at FROM robot_states WHERE robot_id = $1",
        [](const PgRow& r) {
          return RobotState{r.int_at(0), r.int_at(1), r.text_at(2), r.int_at(3)};
        },
        PgParams(robot_id));
  });
}

Status PgStore::save_robot_state(const RobotState& s) {
  return with_conn([&](PgConn& c) {
    return exec(c,
                "INSERT INTO robot_states (robot_id, last_candle_time, state, updated_at) VALUES ($1, $2, $3, $4) "
                "ON CONFLICT (robot_id) DO UPDATE SET last_candle_time = excluded.last_candle_time, state = excluded.state, "
                "updated_at = excluded.updated_at",
                PgParams(s.robot_id, s.last_candle_ms, s.state_json, clock_.now_ms()));
  });
}

Status PgStore::append_signal(const RobotSignal& g) {
  return with_conn([&](PgConn& c) -> Status {
    auto last = select_one<int64_t>(
        c, "SELECT coalesce(max(seq), 0) FROM robot_signals WHERE robot_id = $1", [](const PgRow& r) { return r.int_at(0); },
        PgParams(g.robot_id));
    if (!last) return last.error();
    const int64_t next = last->value_or(0) + 1;
    if (g.seq < next)
      return Error::invalid("seq", "robot " + std::to_string(g.robot_id) + " has signal " + std::to_string(g.seq) + " already");
    if (g.seq > next)
      return Error::invalid("seq", "the next signal of robot " + std::to_string(g.robot_id) + " is " + std::to_string(next));
    // Two writers racing past the check meet the primary key (robot_id, seq): "seq: already in use".
    return exec(c, "INSERT INTO robot_signals (" + std::string(kSignalCols) + ") VALUES ($1, $2, $3, $4, $5, $6, $7)",
                PgParams(g.robot_id, g.seq, to_string(g.action), to_string(g.order), text_of(g.price), g.candle_ms, clock_.now_ms()));
  });
}

Result<std::vector<RobotSignal>> PgStore::robot_signals(int64_t robot_id, int64_t after_seq, int64_t limit) {
  return with_conn([&](PgConn& c) {
    return select_all<RobotSignal>(
        c, "SELECT " + std::string(kSignalCols) + " FROM robot_signals WHERE robot_id = $1 AND seq > $2 ORDER BY seq LIMIT $3", read_signal,
        PgParams(robot_id, after_seq, limit));
  });
}

}  // namespace tb::store::pg
