#include "store/sqlite_migrations.hpp"

namespace tb::store {

namespace {

// Times are INTEGER ms since the epoch; money is TEXT holding a decimal, never REAL.
// The log outlives rows: audit_log has no foreign keys.
const char* const kInitial = R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL COLLATE NOCASE UNIQUE,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  ip         TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE TABLE accounts (
  id              INTEGER PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name            TEXT NOT NULL COLLATE NOCASE,
  venue           TEXT NOT NULL,
  masked_key      TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('testing', 'enabled', 'invalid', 'disabled')),
  reason          TEXT NOT NULL DEFAULT '',
  balances        TEXT NOT NULL DEFAULT '{}',
  usd_total       TEXT NOT NULL DEFAULT '0',
  last_checked_at INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (user_id, name)
);
CREATE TABLE account_secrets (
  account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  field          TEXT NOT NULL,
  sealed         TEXT NOT NULL,
  master_version INTEGER NOT NULL,
  PRIMARY KEY (account_id, field)
);
CREATE TABLE key_tests (
  id          INTEGER PRIMARY KEY,
  account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  steps       TEXT NOT NULL DEFAULT '[]',
  outcome     TEXT NOT NULL DEFAULT '',
  started_at  INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX key_tests_account ON key_tests(account_id, id);
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL,
  action     TEXT NOT NULL,
  account_id INTEGER,
  ip         TEXT NOT NULL DEFAULT '',
  detail     TEXT NOT NULL DEFAULT '{}',
  at         INTEGER NOT NULL
);
CREATE INDEX audit_log_user ON audit_log(user_id, id);
CREATE TABLE balance_snapshots (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,
  usd_total  TEXT NOT NULL,
  PRIMARY KEY (account_id, at)
);
CREATE TABLE jobs (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,
  payload       TEXT NOT NULL DEFAULT '',
  run_at        INTEGER NOT NULL,
  claimed_by    TEXT,
  claimed_until INTEGER,
  attempts      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_due ON jobs(kind, run_at);
)sql";

// What a finished key test concluded beyond its steps: reason code, message, warnings, an order left open.
const char* const kKeyTestResult = R"sql(
ALTER TABLE key_tests ADD COLUMN result TEXT NOT NULL DEFAULT '{}';
)sql";

// The Telegram bot: who a Telegram user is on the platform (one Telegram user per platform user), the
// conversation state of their private chat and the newest update handled for it (so a redelivered update
// is recognised), one-time codes that link a web account (stored hashed), and each bot's getUpdates offset.
const char* const kTelegram = R"sql(
CREATE TABLE telegram_links (
  telegram_user_id INTEGER PRIMARY KEY,
  chat_id          INTEGER NOT NULL,
  user_id          INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  username         TEXT NOT NULL DEFAULT '',
  first_name       TEXT NOT NULL DEFAULT '',
  dialog           TEXT NOT NULL DEFAULT '{}',
  last_update_id   INTEGER NOT NULL DEFAULT 0,
  blocked          INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE TABLE telegram_link_codes (
  code_hash  TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX telegram_link_codes_expiry ON telegram_link_codes(expires_at);
CREATE TABLE telegram_offsets (
  bot_id      INTEGER PRIMARY KEY,
  next_update INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
)sql";

// The order ledger and the venues' limits (issue 15), and 'unverified' accounts. SQLite cannot alter a CHECK,
// so accounts is rebuilt (the runner turns foreign keys off around migrations, as SQLite's docs prescribe).
// Orders pending under the old scheme move into the ledger: an interrupted key test's planned order and a
// queued cancel become unsettled orders, each with a settle job.
const char* const kOrders = R"sql(
CREATE TABLE accounts_v6 (
  id              INTEGER PRIMARY KEY,
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name            TEXT NOT NULL COLLATE NOCASE,
  venue           TEXT NOT NULL,
  masked_key      TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('testing', 'enabled', 'invalid', 'disabled', 'unverified')),
  reason          TEXT NOT NULL DEFAULT '',
  balances        TEXT NOT NULL DEFAULT '{}',
  usd_total       TEXT NOT NULL DEFAULT '0',
  last_checked_at INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (user_id, name)
);
INSERT INTO accounts_v6 (id, user_id, name, venue, masked_key, status, reason, balances, usd_total, last_checked_at, created_at, updated_at)
  SELECT id, user_id, name, venue, masked_key, status, reason, balances, usd_total, last_checked_at, created_at, updated_at FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_v6 RENAME TO accounts;

CREATE TABLE orders (
  id              INTEGER PRIMARY KEY,
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
  UNIQUE (account_id, client_order_id)
);
CREATE INDEX orders_unsettled ON orders(account_id) WHERE settled_at IS NULL;

CREATE TABLE venue_limits (
  venue         TEXT NOT NULL,
  egress_ip     TEXT NOT NULL,
  name          TEXT NOT NULL,
  window_start  INTEGER NOT NULL,
  used          INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (venue, egress_ip, name)
);

INSERT OR IGNORE INTO orders (account_id, purpose, venue, symbol, client_order_id, venue_order_id, state, note, created_at, updated_at)
  SELECT t.account_id, 'key_test', a.venue, json_extract(t.result, '$.pending_order.symbol'),
         json_extract(t.result, '$.pending_order.client_order_id'), coalesce(json_extract(t.result, '$.pending_order.order_id'), ''),
         'intent', 'planned by a key test that was interrupted', t.started_at, t.started_at
  FROM key_tests t JOIN accounts a ON a.id = t.account_id
  WHERE t.outcome = '' AND json_valid(t.result) AND json_extract(t.result, '$.pending_order.client_order_id') IS NOT NULL;
INSERT OR IGNORE INTO orders (account_id, purpose, venue, symbol, client_order_id, venue_order_id, state, note, created_at, updated_at)
  SELECT a.id, 'key_test', a.venue, json_extract(j.payload, '$.symbol'), json_extract(j.payload, '$.client_order_id'),
         coalesce(json_extract(j.payload, '$.order_id'), ''), 'open', 'its cancel was not confirmed', j.run_at, j.run_at
  FROM jobs j JOIN accounts a ON a.id = json_extract(j.payload, '$.account_id')
  WHERE j.kind = 'cancel_order' AND json_valid(j.payload) AND json_extract(j.payload, '$.client_order_id') IS NOT NULL;
DELETE FROM jobs WHERE kind = 'cancel_order';
INSERT INTO jobs (kind, payload, run_at) SELECT 'settle_order', json_object('order_id', id), updated_at FROM orders WHERE settled_at IS NULL;
)sql";

// Hardening (issue 10). A Telegram user's own platform user is found by the Telegram user id in
// telegram_identities, never by an email: the bot used to give it "tg-<id>@telegram.invalid" and adopt any
// user holding that address, so whoever registered it first on the web owned the Telegram user's keys.
// Rows the bot made (its password marker) or adopted (a link of that Telegram user points at them) become
// identities; their email becomes a placeholder no normalised address equals (a space, no '@'), their
// password the marker nothing verifies against, and their web sessions end. Audit rows say by which door
// the action came (web, api, telegram, system) and, from Telegram, who.
const char* const kHardening = R"sql(
CREATE TABLE telegram_identities (
  telegram_user_id INTEGER PRIMARY KEY,
  user_id          INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
  created_at       INTEGER NOT NULL
);
CREATE TEMP TABLE tg_candidates AS
  SELECT CAST(substr(email, 4, length(email) - 20) AS INTEGER) AS telegram_user_id, id AS user_id, created_at,
         password_hash = '!telegram-only: no password' AS made_by_bot
  FROM users
  WHERE lower(email) LIKE 'tg-%@telegram.invalid' AND length(email) > 20
    AND substr(email, 4, length(email) - 20) NOT GLOB '*[^0-9]*';
INSERT OR IGNORE INTO telegram_identities (telegram_user_id, user_id, created_at)
  SELECT c.telegram_user_id, c.user_id, c.created_at FROM tg_candidates c
  WHERE c.made_by_bot
     OR EXISTS (SELECT 1 FROM telegram_links l WHERE l.telegram_user_id = c.telegram_user_id AND l.user_id = c.user_id)
  ORDER BY c.made_by_bot DESC, c.user_id;
DROP TABLE tg_candidates;
DELETE FROM sessions WHERE user_id IN (SELECT user_id FROM telegram_identities);
UPDATE users SET email = 'telegram-only #' || id, password_hash = '!telegram-only: no password'
  WHERE id IN (SELECT user_id FROM telegram_identities);
ALTER TABLE audit_log ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN telegram_user_id INTEGER;
)sql";

// Sessions end after a while without use (the idle timeout) besides their absolute expiry: when each was
// last used. Existing sessions count as used when they were created. Version 5: 4 is the Telegram
// identities' migration; a database may already have 4 or 6, and each touches only its own tables, so any
// order applies cleanly.
const char* const kSessionLastSeen = R"sql(
ALTER TABLE sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET last_seen_at = created_at;
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);
)sql";

// Two-factor authentication: the sealed TOTP secret per user and the hashes of their recovery codes.
const char* const kTwoFactor = R"sql(
CREATE TABLE two_factor (
  user_id        INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  sealed_secret  TEXT NOT NULL,
  master_version INTEGER NOT NULL,
  enabled        INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
  last_step      INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  enabled_at     INTEGER
);
CREATE TABLE recovery_codes (
  user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;
)sql";

// Ids never handed out twice (found by the security suite's crash rounds): a plain INTEGER PRIMARY KEY gives a
// deleted account's id to the next account, so a stale page, a bot button or an old audit entry would name
// the new one. AUTOINCREMENT ids only grow, starting past every account id the audit log and the ledger
// remember; orders the same, since settle jobs name them by id.
const char* const kIdsOnlyGrow = R"sql(
CREATE TABLE accounts_v8 (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name            TEXT NOT NULL COLLATE NOCASE,
  venue           TEXT NOT NULL,
  masked_key      TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('testing', 'enabled', 'invalid', 'disabled', 'unverified')),
  reason          TEXT NOT NULL DEFAULT '',
  balances        TEXT NOT NULL DEFAULT '{}',
  usd_total       TEXT NOT NULL DEFAULT '0',
  last_checked_at INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  UNIQUE (user_id, name)
);
INSERT INTO accounts_v8 SELECT id, user_id, name, venue, masked_key, status, reason, balances, usd_total, last_checked_at,
  created_at, updated_at FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_v8 RENAME TO accounts;

CREATE TABLE orders_v8 (
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
  UNIQUE (account_id, client_order_id)
);
INSERT INTO orders_v8 SELECT id, account_id, purpose, venue, symbol, client_order_id, venue_order_id, side, type, price, amount,
  state, absent_answers, note, created_at, updated_at, settled_at FROM orders;
DROP TABLE orders;
ALTER TABLE orders_v8 RENAME TO orders;
CREATE INDEX orders_unsettled ON orders(account_id) WHERE settled_at IS NULL;

INSERT INTO sqlite_sequence (name, seq) SELECT 'accounts', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'accounts');
UPDATE sqlite_sequence SET seq = (SELECT max(coalesce(max(id), 0), coalesce((SELECT max(account_id) FROM audit_log), 0),
                                              coalesce((SELECT max(account_id) FROM orders), 0)) FROM accounts)
  WHERE name = 'accounts';
INSERT INTO sqlite_sequence (name, seq) SELECT 'orders', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'orders');
UPDATE sqlite_sequence SET seq = (SELECT max(coalesce(max(id), 0),
                                              coalesce((SELECT max(json_extract(payload, '$.order_id')) FROM jobs
                                                        WHERE kind = 'settle_order' AND json_valid(payload)), 0)) FROM orders)
  WHERE name = 'orders';
)sql";

// Typed rows instead of JSON blobs (issue 11): an account's balances and positions, a key test's steps and
// warnings in their own rows, and its result in columns, so the services read values, not field names.
// Existing rows are converted; decimals keep their text, ISO times become ms; a step the enum does not know
// (none was ever written) is left out.
const char* const kTypedRows = R"sql(
CREATE TABLE account_balances (
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  asset      TEXT NOT NULL,
  total      TEXT NOT NULL,
  free       TEXT NOT NULL,
  used       TEXT NOT NULL,
  PRIMARY KEY (account_id, seq)
) WITHOUT ROWID;
CREATE TABLE account_positions (
  account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  seq            INTEGER NOT NULL,
  symbol         TEXT NOT NULL,
  amount         TEXT NOT NULL,
  entry_price    TEXT NOT NULL,
  unrealized_pnl TEXT NOT NULL,
  leverage       TEXT,
  PRIMARY KEY (account_id, seq)
) WITHOUT ROWID;
INSERT INTO account_balances (account_id, seq, asset, total, free, used)
  SELECT a.id, e.key, coalesce(json_extract(e.value, '$.asset'), ''), coalesce(CAST(json_extract(e.value, '$.total') AS TEXT), '0'),
         coalesce(CAST(json_extract(e.value, '$.free') AS TEXT), '0'), coalesce(CAST(json_extract(e.value, '$.used') AS TEXT), '0')
  FROM accounts a, json_each(a.balances, '$.balances') e
  WHERE json_valid(a.balances) AND json_type(a.balances, '$.balances') = 'array';
INSERT INTO account_positions (account_id, seq, symbol, amount, entry_price, unrealized_pnl, leverage)
  SELECT a.id, e.key, coalesce(json_extract(e.value, '$.symbol'), ''), coalesce(CAST(json_extract(e.value, '$.amount') AS TEXT), '0'),
         coalesce(CAST(json_extract(e.value, '$.entry_price') AS TEXT), '0'),
         coalesce(CAST(json_extract(e.value, '$.unrealized_pnl') AS TEXT), '0'), CAST(json_extract(e.value, '$.leverage') AS TEXT)
  FROM accounts a, json_each(a.balances, '$.positions') e
  WHERE json_valid(a.balances) AND json_type(a.balances, '$.positions') = 'array';
ALTER TABLE accounts DROP COLUMN balances;

CREATE TABLE key_test_steps (
  test_id     INTEGER NOT NULL REFERENCES key_tests(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  name        TEXT NOT NULL CHECK (name IN ('permissions', 'balances', 'test_order', 'cancel')),
  state       TEXT NOT NULL CHECK (state IN ('running', 'ok', 'failed', 'skipped', 'waiting')),
  message     TEXT NOT NULL DEFAULT '',
  duration_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (test_id, seq)
) WITHOUT ROWID;
CREATE TABLE key_test_warnings (
  test_id INTEGER NOT NULL REFERENCES key_tests(id) ON DELETE CASCADE,
  seq     INTEGER NOT NULL,
  text    TEXT NOT NULL,
  PRIMARY KEY (test_id, seq)
) WITHOUT ROWID;
INSERT INTO key_test_steps (test_id, seq, name, state, message, duration_ms)
  SELECT t.id, e.key, json_extract(e.value, '$.name'), json_extract(e.value, '$.state'),
         coalesce(json_extract(e.value, '$.message'), ''), coalesce(CAST(json_extract(e.value, '$.duration_ms') AS INTEGER), 0)
  FROM key_tests t, json_each(t.steps) e
  WHERE json_valid(t.steps) AND json_type(t.steps) = 'array'
    AND json_extract(e.value, '$.name') IN ('permissions', 'balances', 'test_order', 'cancel')
    AND json_extract(e.value, '$.state') IN ('running', 'ok', 'failed', 'skipped', 'waiting');
INSERT INTO key_test_warnings (test_id, seq, text)
  SELECT t.id, e.key, CAST(e.value AS TEXT) FROM key_tests t, json_each(t.result, '$.warnings') e
  WHERE json_valid(t.result) AND json_type(t.result, '$.warnings') = 'array' AND e.type = 'text';
ALTER TABLE key_tests ADD COLUMN reason_code TEXT NOT NULL DEFAULT 'none';
ALTER TABLE key_tests ADD COLUMN message TEXT NOT NULL DEFAULT '';
ALTER TABLE key_tests ADD COLUMN trading_expires_at INTEGER;
ALTER TABLE key_tests ADD COLUMN retry_at INTEGER;
UPDATE key_tests SET
  reason_code = CASE WHEN json_extract(result, '$.reason_code') IS NULL THEN 'none'
                     WHEN json_extract(result, '$.reason_code') IN ('invalid_key', 'wrong_secret', 'ip_not_whitelisted',
                          'no_trading_permission', 'withdrawal_permission', 'insufficient_funds', 'exchange_unavailable', 'other')
                     THEN json_extract(result, '$.reason_code') ELSE 'other' END,
  message = coalesce(CAST(json_extract(result, '$.message') AS TEXT), ''),
  trading_expires_at = CAST(strftime('%s', json_extract(result, '$.trading_expires_at')) AS INTEGER) * 1000 +
                       CAST(substr(json_extract(result, '$.trading_expires_at'), 21, 3) AS INTEGER),
  retry_at = CAST(strftime('%s', json_extract(result, '$.retry_at')) AS INTEGER) * 1000 +
             CAST(substr(json_extract(result, '$.retry_at'), 21, 3) AS INTEGER)
  WHERE json_valid(result);
ALTER TABLE key_tests DROP COLUMN steps;
ALTER TABLE key_tests DROP COLUMN result;
)sql";

}  // namespace

// The robots' migrations, in sqlite_migrations_robots.cpp.
extern const char* const kRobots;
extern const char* const kUserRobots;
extern const char* const kUserRobotLeverage;
extern const char* const kOrderFeesLater;
extern const char* const kProcesses;
extern const char* const kLimitEntries;
extern const char* const kLeanerIndexes;
extern const char* const kPositionLookups;
extern const char* const kRobotOrdersOutOfClientIdIndex;
std::string orders_without_position_key();
std::string numbered_by_the_store();

const std::vector<Migration>& sqlite_migrations() {
  static const std::vector<Migration> all = {
      {1, "initial schema: users, sessions, accounts, secrets, key tests, audit, snapshots, jobs", kInitial},
      {2, "key test results", kKeyTestResult},
      {3, "telegram: links, dialogs, link codes, update offsets", kTelegram},
      {4, "hardening: telegram identities by id, audit channel", kHardening},
      {5, "sessions: last seen, for the idle timeout", kSessionLastSeen},
      {6, "order ledger, venue limits, unverified accounts", kOrders},
      {7, "two-factor authentication: TOTP secrets, recovery codes", kTwoFactor},
      {8, "account and order ids only grow", kIdsOnlyGrow},
      {9, "typed rows: balances, positions, key-test steps, warnings and result", kTypedRows},
      {10, "robots: catalogue, candles, runner state and signals", kRobots},
      {11, "user robots: signal robots, user robots, positions, robot orders", kUserRobots},
      {12, "user robots: the leverage in effect on futures", kUserRobotLeverage},
      {13, "robot orders: fees asked later, the position a fill moved", kOrderFeesLater},
      {14, "serve processes: heartbeats, the roles each holds", kProcesses},
      {15, "abuse limits: sign-in failures, wrong codes and registrations, shared by every process", kLimitEntries},
      {16, "indexes: one fewer on robot orders; due jobs in claim order", kLeanerIndexes},
      {17, "indexes: a user robot's positions and a position's orders found without a scan", kPositionLookups},
      {18, "indexes: a robot order's client id, unique by construction, not indexed", kRobotOrdersOutOfClientIdIndex},
      {19, "robot orders: the position a fill moved, without a foreign key or an index", orders_without_position_key()},
      {20, "orders and positions numbered by the store, not by AUTOINCREMENT", numbered_by_the_store()},
  };
  return all;
}

}  // namespace tb::store
