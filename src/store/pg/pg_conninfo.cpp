// The libpq connection string of a postgresql:// URL: each value quoted (libpq's rules: ' and \ escaped),
// the password the only place its bytes leave the Secret, straight into libpq.
#include "store/open_store.hpp"
#include "store/pg/pg_store.hpp"

namespace tb::store {

namespace {

void add(std::string& out, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  out += (out.empty() ? "" : " ") + std::string(key) + "='";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
}

}  // namespace

std::string postgres_conninfo(const PostgresTarget& t) {
  std::string out;
  add(out, "host", t.host);
  add(out, "port", std::to_string(t.port));
  add(out, "dbname", t.dbname);
  add(out, "user", t.user);
  add(out, "password", t.password.reveal());
  add(out, "sslmode", t.sslmode);
  for (const auto& [k, v] : t.params) add(out, k, v);
  return out;
}

// Registered by open_store itself: this binary always has the backend.
Result<std::unique_ptr<Store>> open_postgres_url(const DatabaseUrl& url, const Clock& clock, const OpenStoreOptions& options) {
  PostgresOptions o;
  if (options.pool_size > 0) o.pool_size = options.pool_size;
  auto s = open_postgres_store(postgres_conninfo(url.postgres), clock, std::move(o));
  if (!s) {
    Error e = s.error();
    e.message = url.redacted() + ": " + e.message;  // libpq's own words never hold the password
    return e;
  }
  return s;
}

}  // namespace tb::store
