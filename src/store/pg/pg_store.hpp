#pragma once
// The PostgreSQL backend of Store, for several processes over one database (DESIGN.md § Scale). Part of the
// store's door: app opens it when the database URL says postgresql://.
//
// Threads: a pool of `pool_size` connections; each call borrows one for its statement(s), so calls from many
// threads run side by side (a call waits while every connection is out). A transaction holds one connection
// until it ends and hands fn a Store bound to it. The schema is brought up to date at open under a
// PostgreSQL advisory lock, so processes starting together migrate once.
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/sqlite_migrations.hpp"  // Migration
#include "store/store.hpp"

namespace tb::store {

struct PostgresOptions {
  int pool_size = 8;
  std::vector<Migration> migrations;  // empty: postgres_migrations(); replaced only by tests
};

// conninfo: "postgresql://user:pass@host:port/db?sslmode=..." or libpq's "key=value ..." form.
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& conninfo, const Clock& clock, PostgresOptions options = {});
inline Result<std::unique_ptr<Store>> open_postgres_store(const std::string& conninfo, int pool_size, const Clock& clock) {
  return open_postgres_store(conninfo, clock, PostgresOptions{pool_size, {}});
}

// Versions in schema_migrations, ascending (for `db status` and tests).
Result<std::vector<int>> postgres_applied_migrations(Store& store);

}  // namespace tb::store
