#pragma once
// The operator's commands on the database itself:
//   tradebridge db status    the numbered migrations applied, pending and unknown (the schema as found)
//   tradebridge db migrate   applies the pending ones, as `serve` does at start, and says which
//   tradebridge db copy --from URL --to URL [--force]   the whole installation into another database
//                            (store/db_copy.hpp), with each table's rows counted on both sides
//   tradebridge backup --to FILE   SQLite: an online consistent copy, verified; PostgreSQL: the pg_dump to run
// Each prints one JSON object on out; errors as {"error":{...}} on err.
#include <iosfwd>
#include <string>

namespace tb::app {

struct DbOptions {
  std::string action;  // status | migrate | copy
  std::string data_dir = "./var";
  std::string database;  // empty: sqlite:<data-dir>/tradebridge.db
  // copy: from (empty: the database above) to another; force empties a target that has rows
  std::string from;
  std::string to;
  bool force = false;
};

// Exit 0 on success, 2 for the operator's mistake, 1 when the database fails.
int run_db(const DbOptions& options, std::ostream& out, std::ostream& err);

struct BackupOptions {
  std::string to;
  bool force = false;  // overwrite an existing FILE
  std::string data_dir = "./var";
  std::string database;
};

// Exit 0 once the copy is in place and verified; 2 for the operator's mistake (FILE exists, a PostgreSQL
// URL: the pg_dump command is printed instead), 1 when the copy or its check fails.
int run_backup(const BackupOptions& options, std::ostream& out, std::ostream& err);

}  // namespace tb::app
