#pragma once
// Which database a process works on, as `serve --database URL` and TRADEBRIDGE_DATABASE_URL name it, parsed
// once at the edge into a typed value every backend reads:
//   sqlite:PATH                                                  (the default: sqlite:<data-dir>/tradebridge.db)
//   postgresql://[user[:password]@]host[:port]/dbname[?sslmode=require&...]   (also postgres://)
// The password is a Secret: it cannot be printed, and redacted() — the form for logs, errors and
// /healthz — leaves it out. An error about a URL names the part that is wrong, never echoes a password.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "crypto/secret.hpp"

namespace tb::store {

enum class Backend { Sqlite, Postgresql };
std::string_view to_string(Backend backend);  // "sqlite" | "postgresql"

struct PostgresTarget {
  std::string user;         // empty: libpq's default (the OS user)
  crypto::Secret password;  // empty: none in the URL (then PGPASSWORD or ~/.pgpass)
  std::string host;         // a name, an IPv4 address or an IPv6 address (without brackets)
  uint16_t port = 5432;
  std::string dbname;
  std::string sslmode;                        // empty: libpq's default (prefer)
  std::map<std::string, std::string> params;  // the other query parameters, each from a known set
};

struct DatabaseUrl {
  Backend backend = Backend::Sqlite;
  std::string sqlite_path;  // Backend::Sqlite
  PostgresTarget postgres;  // Backend::Postgresql

  // `sqlite:PATH` or a postgresql:// URL; errors name the flag as `what` ("--database").
  static Result<DatabaseUrl> parse(std::string_view text, std::string_view what = "--database");
  static DatabaseUrl sqlite(std::string path);

  // The URL without its password ("postgresql://ann:****@db:5432/tb?sslmode=require"): safe to show.
  // Without the mark ("postgresql://ann@db:5432/tb..."): for a command line that takes the password elsewhere.
  std::string redacted(bool mark_password = true) const;
};

}  // namespace tb::store
