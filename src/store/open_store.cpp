#include "store/open_store.hpp"

#include <mutex>

#include "store/sqlite_store.hpp"

namespace tb::store {

namespace {

std::mutex& opener_mutex() {
  static std::mutex mu;
  return mu;
}
StoreOpener& postgresql_opener() {
  static StoreOpener opener = open_postgres_url;  // built in; tests may replace it
  return opener;
}

}  // namespace

void register_postgresql_opener(StoreOpener opener) {
  std::lock_guard lock(opener_mutex());
  postgresql_opener() = std::move(opener);
}

bool postgresql_built_in() {
  std::lock_guard lock(opener_mutex());
  return static_cast<bool>(postgresql_opener());
}

Result<std::unique_ptr<Store>> open_store(const DatabaseUrl& url, const Clock& clock, const OpenStoreOptions& options) {
  if (url.backend == Backend::Sqlite) {
    SqliteOptions o;
    o.busy_timeout_ms = options.busy_timeout_ms;
    o.migrate = options.migrate;
    auto s = SqliteStore::open(url.sqlite_path, clock, std::move(o));
    if (!s) return s.error();
    return std::unique_ptr<Store>(std::move(*s));
  }
  StoreOpener opener;
  {
    std::lock_guard lock(opener_mutex());
    opener = postgresql_opener();
  }
  if (!opener)
    return Error::make(ErrorKind::InvalidArgument, "the PostgreSQL backend is not built into this binary: " + url.redacted() +
                                                       " cannot be opened (use sqlite:PATH, or a build with PostgreSQL)");
  return opener(url, clock, options);
}

}  // namespace tb::store
