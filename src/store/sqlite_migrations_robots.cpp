// The robots' SQLite migrations (10 to 13, 16 to 20), the processes' (14) and the abuse limits' (15), apart from the rest only to keep
// files small.
#include <stdexcept>
#include <string>
#include <string_view>

namespace tb::store {

// Robots: the catalogue, candles per venue/market/timeframe (decimals as TEXT), and per robot the
// strategy's state after its last candle and its signals, numbered without gaps.
extern const char* const kRobots;
const char* const kRobots = R"sql(
CREATE TABLE robots (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT NOT NULL UNIQUE,
  strategy   TEXT NOT NULL,
  params     TEXT NOT NULL DEFAULT '{}',
  venue      TEXT NOT NULL,
  symbol     TEXT NOT NULL,
  timeframe  TEXT NOT NULL CHECK (timeframe IN ('1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w')),
  status     TEXT NOT NULL CHECK (status IN ('active', 'paused')),
  starts_at  INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE candles (
  venue     TEXT NOT NULL,
  symbol    TEXT NOT NULL,
  timeframe TEXT NOT NULL,
  open_time INTEGER NOT NULL,
  open      TEXT NOT NULL,
  high      TEXT NOT NULL,
  low       TEXT NOT NULL,
  close     TEXT NOT NULL,
  volume    TEXT NOT NULL,
  PRIMARY KEY (venue, symbol, timeframe, open_time)
) WITHOUT ROWID;
CREATE TABLE robot_states (
  robot_id         INTEGER PRIMARY KEY REFERENCES robots(id) ON DELETE CASCADE,
  last_candle_time INTEGER NOT NULL,
  state            TEXT NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE TABLE robot_signals (
  robot_id    INTEGER NOT NULL REFERENCES robots(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('long', 'short', 'close_long', 'close_short')),
  order_type  TEXT NOT NULL CHECK (order_type IN ('market', 'stop', 'limit')),
  price       TEXT,
  candle_time INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (robot_id, seq)
) WITHOUT ROWID;
CREATE TABLE robot_catalogue_seed (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL
);
)sql";

// User robots (robots part 2): signal robots (private, fed from outside with a hashed token and unique
// signal ids, and "close" signals), each user's account following a robot at a volume, the positions it holds, and the robots'
// orders in the one order ledger: which user robot, signal and leg each is, and what filled.
extern const char* const kUserRobots;
const char* const kUserRobots = R"sql(
ALTER TABLE robots ADD COLUMN kind TEXT NOT NULL DEFAULT 'strategy' CHECK (kind IN ('strategy', 'signal'));
ALTER TABLE robots ADD COLUMN owner_id INTEGER REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE robots ADD COLUMN signal_token_hash TEXT NOT NULL DEFAULT '';
CREATE TABLE robot_signals_v11 (
  robot_id    INTEGER NOT NULL REFERENCES robots(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  action      TEXT NOT NULL CHECK (action IN ('long', 'short', 'close_long', 'close_short', 'close')),
  order_type  TEXT NOT NULL CHECK (order_type IN ('market', 'stop', 'limit')),
  price       TEXT,
  candle_time INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (robot_id, seq)
) WITHOUT ROWID;
INSERT INTO robot_signals_v11 SELECT robot_id, seq, action, order_type, price, candle_time, created_at FROM robot_signals;
DROP TABLE robot_signals;
ALTER TABLE robot_signals_v11 RENAME TO robot_signals;
CREATE TABLE robot_signal_ids (
  robot_id    INTEGER NOT NULL REFERENCES robots(id) ON DELETE CASCADE,
  external_id TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  PRIMARY KEY (robot_id, external_id)
) WITHOUT ROWID;
CREATE TABLE user_robots (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  robot_id    INTEGER NOT NULL REFERENCES robots(id) ON DELETE CASCADE,
  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  volume_type TEXT NOT NULL CHECK (volume_type IN ('asset_fixed', 'quote_fixed', 'balance_percent')),
  volume      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('starting', 'started', 'paused', 'stopping', 'stopped')),
  message     TEXT NOT NULL DEFAULT '',
  handled_seq INTEGER NOT NULL DEFAULT 0,
  stop_mode   TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (robot_id, account_id)
);
CREATE INDEX user_robots_of_user ON user_robots(user_id);
CREATE TABLE robot_positions (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  user_robot_id INTEGER NOT NULL REFERENCES user_robots(id) ON DELETE CASCADE,
  side          TEXT NOT NULL CHECK (side IN ('long', 'short')),
  entered       TEXT NOT NULL,
  entry_price   TEXT NOT NULL,
  exited        TEXT NOT NULL DEFAULT '0',
  exit_price    TEXT NOT NULL DEFAULT '0',
  fees          TEXT NOT NULL DEFAULT '0',
  profit        TEXT,
  opened_at     INTEGER NOT NULL,
  closed_at     INTEGER
);
CREATE UNIQUE INDEX robot_positions_open ON robot_positions(user_robot_id) WHERE closed_at IS NULL;
ALTER TABLE orders ADD COLUMN user_robot_id INTEGER REFERENCES user_robots(id) ON DELETE SET NULL;
ALTER TABLE orders ADD COLUMN signal_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN leg TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN reduce_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN filled TEXT NOT NULL DEFAULT '0';
ALTER TABLE orders ADD COLUMN average_price TEXT NOT NULL DEFAULT '0';
ALTER TABLE orders ADD COLUMN fee TEXT NOT NULL DEFAULT '0';
ALTER TABLE orders ADD COLUMN applied TEXT NOT NULL DEFAULT '0';
CREATE UNIQUE INDEX orders_of_signal ON orders(user_robot_id, signal_seq, leg, attempt) WHERE user_robot_id IS NOT NULL;
CREATE INDEX orders_of_user_robot ON orders(user_robot_id) WHERE user_robot_id IS NOT NULL;
)sql";

// A user robot on a futures venue: the leverage in effect for its symbol, as the venue said at its start.
extern const char* const kUserRobotLeverage;
const char* const kUserRobotLeverage = R"sql(
ALTER TABLE user_robots ADD COLUMN leverage INTEGER CHECK (leverage BETWEEN 1 AND 1000);
)sql";

// A robot order's fee the venue tells apart from the order (its trades), asked at a pace the venue's
// request weight allows, and the position its fill moved (where that fee is counted when it comes).
extern const char* const kOrderFeesLater;
const char* const kOrderFeesLater = R"sql(
ALTER TABLE orders ADD COLUMN fee_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN position_id INTEGER REFERENCES robot_positions(id) ON DELETE SET NULL;
CREATE INDEX orders_fee_pending ON orders(id) WHERE fee_pending = 1;
)sql";

// The serve processes sharing one database: each beats its row every few seconds, so the others hand back
// the jobs of one whose row went stale at once instead of after their leases.
extern const char* const kProcesses;
const char* const kProcesses = R"sql(
CREATE TABLE processes (
  id         TEXT PRIMARY KEY,
  host       TEXT NOT NULL,
  pid        INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  beat_at    INTEGER NOT NULL,
  roles      TEXT NOT NULL DEFAULT ''
);
)sql";

// The abuse limits' counts (sign-in failures, wrong codes, registrations), one row per limit and subject, so
// every serve process on the database counts the same guesses; a row past expires_at is purged.
extern const char* const kLimitEntries;
const char* const kLimitEntries = R"sql(
CREATE TABLE limit_entries (
  scope        TEXT NOT NULL,
  subject      TEXT NOT NULL,
  hits         INTEGER NOT NULL DEFAULT 0,
  window_start INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  level        INTEGER NOT NULL DEFAULT 0,
  times        TEXT NOT NULL DEFAULT '',
  seen_at      INTEGER NOT NULL DEFAULT 0,
  expires_at   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (scope, subject)
);
CREATE INDEX limit_entries_expiry ON limit_entries(expires_at);
)sql";

// A robot order is written under one index fewer: orders_of_signal begins with the user robot and serves
// every lookup orders_of_user_robot did (a user robot's orders, the foreign key's child scan).
extern const char* const kLeanerIndexes;
const char* const kLeanerIndexes = R"sql(
DROP INDEX orders_of_user_robot;
)sql";

// Found without a scan as the ledger grows: a user robot's positions, newest first (its statistics, the cascade
// when it is deleted), and the orders of a position being deleted (their position_id set to NULL). Without
// them each was a scan of the whole table, once per deleted position for the orders.
extern const char* const kPositionLookups;
const char* const kPositionLookups = R"sql(
CREATE INDEX robot_positions_of_user_robot ON robot_positions(user_robot_id, id);
CREATE INDEX orders_of_position ON orders(position_id) WHERE position_id IS NOT NULL;
)sql";

// A robot order's client id is made from its row id, so it is unique without an index: the index that
// checked it, keyed by account, now holds only the orders whose client id a caller chose (key tests). With a
// long ledger every robot order dirtied a page of its own in it. SQLite drops a table's UNIQUE only with the
// table: the orders move to one without it, and the AUTOINCREMENT counter goes with them (a deleted order's
// id is not given again).
extern const char* const kRobotOrdersOutOfClientIdIndex;
const char* const kRobotOrdersOutOfClientIdIndex = R"sql(
CREATE TABLE orders_v18 (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  purpose         TEXT NOT NULL,
  venue           TEXT NOT NULL,
  symbol          TEXT NOT NULL,
  client_order_id TEXT NOT NULL,
  venue_order_id  TEXT NOT NULL DEFAULT '',
  side            TEXT NOT NULL DEFAULT '',
  type            TEXT NOT NULL DEFAULT '',
  price           TEXT NOT NULL DEFAULT '0',
  amount          TEXT NOT NULL DEFAULT '0',
  state           TEXT NOT NULL,
  absent_answers  INTEGER NOT NULL DEFAULT 0,
  note            TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  settled_at      INTEGER,
  user_robot_id   INTEGER REFERENCES user_robots(id) ON DELETE SET NULL,
  signal_seq      INTEGER NOT NULL DEFAULT 0,
  leg             TEXT NOT NULL DEFAULT '',
  attempt         INTEGER NOT NULL DEFAULT 0,
  reduce_only     INTEGER NOT NULL DEFAULT 0,
  filled          TEXT NOT NULL DEFAULT '0',
  average_price   TEXT NOT NULL DEFAULT '0',
  fee             TEXT NOT NULL DEFAULT '0',
  applied         TEXT NOT NULL DEFAULT '0',
  fee_pending     INTEGER NOT NULL DEFAULT 0,
  position_id     INTEGER REFERENCES robot_positions(id) ON DELETE SET NULL
);
INSERT INTO orders_v18 (id, account_id, purpose, venue, symbol, client_order_id, venue_order_id, side, type, price, amount, state,
  absent_answers, note, created_at, updated_at, settled_at, user_robot_id, signal_seq, leg, attempt, reduce_only, filled, average_price,
  fee, applied, fee_pending, position_id)
SELECT id, account_id, purpose, venue, symbol, client_order_id, venue_order_id, side, type, price, amount, state,
  absent_answers, note, created_at, updated_at, settled_at, user_robot_id, signal_seq, leg, attempt, reduce_only, filled, average_price,
  fee, applied, fee_pending, position_id FROM orders ORDER BY id;
INSERT INTO sqlite_sequence (name, seq) SELECT 'orders_v18', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'orders_v18');
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'orders'), 0))
  WHERE name = 'orders_v18';
DROP TABLE orders;
ALTER TABLE orders_v18 RENAME TO orders;
CREATE INDEX orders_unsettled ON orders(account_id) WHERE settled_at IS NULL;
CREATE UNIQUE INDEX orders_of_signal ON orders(user_robot_id, signal_seq, leg, attempt) WHERE user_robot_id IS NOT NULL;
CREATE INDEX orders_fee_pending ON orders(id) WHERE fee_pending = 1;
CREATE INDEX orders_of_position ON orders(position_id) WHERE position_id IS NOT NULL;
CREATE UNIQUE INDEX orders_client_id ON orders(account_id, client_order_id) WHERE purpose <> 'robot';
)sql";

namespace {

// Applies one edit to a migration's text, which must still read as it shipped.
void edit(std::string& sql, std::string_view from, std::string_view to, bool all) {
  size_t at = sql.find(from);
  if (at == std::string::npos) throw std::logic_error("store: a migration's text no longer reads as it shipped");
  for (; at != std::string::npos; at = all ? sql.find(from, at + to.size()) : std::string::npos) sql.replace(at, from.size(), to);
}

}  // namespace

// A fill's position is named on its order without a foreign key or an index: keeping them up was about a
// tenth of the ledger's work an order (each answer checked the position's row and wrote an index entry), and
// nothing looks orders up by position. A position goes only with its user robot, and its id is never given
// again (AUTOINCREMENT): an order may name a deleted position, whose fee asked later is then counted nowhere
// (trading/desk_fees.cpp). SQLite drops a foreign key only with its table: the orders move as migration 18
// moved them, with position_id a plain column.
std::string orders_without_position_key() {
  std::string sql = kRobotOrdersOutOfClientIdIndex;
  edit(sql, "orders_v18", "orders_v19", true);
  edit(sql, "position_id     INTEGER REFERENCES robot_positions(id) ON DELETE SET NULL", "position_id     INTEGER", false);
  edit(sql, "CREATE INDEX orders_of_position ON orders(position_id) WHERE position_id IS NOT NULL;\n", "", false);
  return sql;
}

// Orders and positions numbered by the store (SqliteStore::take_id), not by AUTOINCREMENT, which reads and
// rewrites sqlite_sequence on every INSERT statement: a twentieth of an order's instructions. The store reads
// id_counters once a transaction and writes it back before the commit. Its last is where AUTOINCREMENT was,
// or past the highest row, so an id is still never given twice (client order ids are made from order ids, a
// deleted position's id may still be named by an order). Both tables move, as migrations 18 and 19 moved the
// orders, to ones declared without AUTOINCREMENT (SQLite cannot drop it in place).
std::string numbered_by_the_store() {
  std::string orders = orders_without_position_key();
  edit(orders, "orders_v19", "orders_v20", true);
  edit(orders, "id              INTEGER PRIMARY KEY AUTOINCREMENT", "id              INTEGER PRIMARY KEY", false);
  const size_t from = orders.find("INSERT INTO sqlite_sequence");
  const size_t to = orders.find("DROP TABLE orders;");
  if (from == std::string::npos || to == std::string::npos) throw std::logic_error("store: migration 19 no longer reads as it shipped");
  orders.erase(from, to - from);
  const std::string user_robots = kUserRobots;
  const size_t begin = user_robots.find("CREATE TABLE robot_positions (");
  if (begin == std::string::npos) throw std::logic_error("store: migration 11 no longer reads as it shipped");
  std::string positions = user_robots.substr(begin, user_robots.find(");\n", begin) + 3 - begin);
  edit(positions, "robot_positions (", "robot_positions_v20 (", false);
  edit(positions, "INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER PRIMARY KEY", false);
  return R"sql(
CREATE TABLE id_counters (
  name TEXT PRIMARY KEY,
  last INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO id_counters (name, last) VALUES
  ('orders', max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'orders'), 0), coalesce((SELECT max(id) FROM orders), 0))),
  ('robot_positions', max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'robot_positions'), 0),
                          coalesce((SELECT max(id) FROM robot_positions), 0)));
)sql" + positions +
         R"sql(
INSERT INTO robot_positions_v20 (id, user_robot_id, side, entered, entry_price, exited, exit_price, fees, profit, opened_at, closed_at)
SELECT id, user_robot_id, side, entered, entry_price, exited, exit_price, fees, profit, opened_at, closed_at FROM robot_positions ORDER BY id;
DROP TABLE robot_positions;
ALTER TABLE robot_positions_v20 RENAME TO robot_positions;
CREATE UNIQUE INDEX robot_positions_open ON robot_positions(user_robot_id) WHERE closed_at IS NULL;
CREATE INDEX robot_positions_of_user_robot ON robot_positions(user_robot_id, id);
)sql" + orders;
}

}  // namespace tb::store
