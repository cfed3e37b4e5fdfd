#pragma once
// The one place a process turns a DatabaseUrl into a Store: `serve`, `keys`, `db`, `backup` and the other
// commands all open their database here, so a backend added to this binary is reached by every one of them.
// SQLite is always built in; the PostgreSQL backend registers its opener (register_postgresql_opener) when
// it is compiled in, and without it a postgresql:// URL is refused with a message saying so.
#include <functional>
#include <memory>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "store/database_url.hpp"
#include "store/store.hpp"

namespace tb::store {

struct OpenStoreOptions {
  bool migrate = true;  // false: the schema as found (`db status`)
  int busy_timeout_ms = 5000;
  int pool_size = 0;  // connections of a client-server backend; 0: its default
};

using StoreOpener = std::function<Result<std::unique_ptr<Store>>(const DatabaseUrl&, const Clock&, const OpenStoreOptions&)>;

// Installs (or with an empty function removes) the PostgreSQL backend's opener. Called once at start.
void register_postgresql_opener(StoreOpener opener);
bool postgresql_built_in();

Result<std::unique_ptr<Store>> open_store(const DatabaseUrl& url, const Clock& clock, const OpenStoreOptions& options = {});

// The PostgreSQL backend's opener (pg/pg_conninfo.cpp), and the libpq connection string of a URL's target.
Result<std::unique_ptr<Store>> open_postgres_url(const DatabaseUrl& url, const Clock& clock, const OpenStoreOptions& options);
std::string postgres_conninfo(const PostgresTarget& target);

}  // namespace tb::store
