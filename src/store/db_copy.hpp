#pragma once
// `tradebridge db copy`: moves an installation from one database to another, any backend to any (SQLite to
// PostgreSQL when it outgrows one machine, and back). Every table at the schema's version is copied as it is:
// ids kept, sealed secrets copied as bytes and never opened (they stay bound to the same user, account and
// field ids, so the same master key opens them), and each id generator set past the copied ids and past every
// id the source ever handed out, so the target never hands one out twice.
//
// Generic by the catalogue: tables, columns and foreign keys are read from each backend, so a new migration's
// tables are copied with no change here. The source is read in one snapshot (a running `serve` may keep
// writing it); the target is written in one transaction, so a failed copy leaves it as it was.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/database_url.hpp"

namespace tb::store {

struct TableCount {
  std::string table;
  int64_t source_rows = 0;
  int64_t target_rows = 0;
};

struct CopyOptions {
  bool force = false;  // empty a target that has rows (in the copy's transaction) instead of refusing it
  size_t batch_rows = 1000;
  std::function<void(const TableCount&)> on_table;  // each table once it is copied, for progress
};

struct CopyReport {
  int schema_version = 0;
  std::vector<TableCount> tables;  // in the order copied: parents before the tables naming them
  bool emptied = false;            // --force found rows in the target and removed them
  int64_t rows() const;
};

// The target is migrated to this binary's schema first. Refused (InvalidArgument, nothing written): the same
// database on both sides, a source at another schema version (both versions named), a target with rows unless
// options.force (the tables with rows named). A table whose row count differs after the copy fails it
// (Internal, the table named) and the target is rolled back. Errors name a PostgreSQL URL redacted.
Result<CopyReport> copy_database(const DatabaseUrl& from, const DatabaseUrl& to, const Clock& clock, const CopyOptions& options = {});

// The first table whose source and target counts differ, as copy_database reports it.
Status check_counts(const std::vector<TableCount>& tables);

// Whether two URLs name one database (one SQLite file; one PostgreSQL host, port and database).
bool same_database(const DatabaseUrl& a, const DatabaseUrl& b);

}  // namespace tb::store
