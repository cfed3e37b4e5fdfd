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

}  // namespace

const std::vector<Migration>& sqlite_migrations() {
  static const std::vector<Migration> all = {
      {1, "initial schema: users, sessions, accounts, secrets, key tests, audit, snapshots, jobs", kInitial},
      {2, "key test results", kKeyTestResult},
      {3, "telegram: links, dialogs, link codes, update offsets", kTelegram},
  };
  return all;
}

}  // namespace tb::store
