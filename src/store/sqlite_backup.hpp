#pragma once
// `tradebridge backup` for SQLite: an online, consistent copy of a database that `serve` may be writing,
// through SQLite's backup API (one read transaction: the copy is the database as of one instant), written
// beside the target under a temporary name, made a standalone file (no -wal), checked by opening it
// (integrity_check, the schema's version), and only then renamed into place.
#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace tb::store {

struct SqliteBackupReport {
  int64_t bytes = 0;
  int schema_version = 0;  // the copy's highest applied migration
  std::string integrity;   // "ok"
};

// Refuses an existing `to` unless `overwrite`. The copy has mode 0600: it holds the sealed secrets.
Result<SqliteBackupReport> backup_sqlite(const std::string& from, const std::string& to, bool overwrite);

// Opens `path` read-only and reports what the backup checks: integrity_check and the schema's version.
Result<SqliteBackupReport> verify_sqlite_copy(const std::string& path);

}  // namespace tb::store
