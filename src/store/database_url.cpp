#include "store/database_url.hpp"

#include <array>
#include <cctype>
#include <optional>
#include <set>

namespace tb::store {

namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";
constexpr std::array<std::string_view, 2> kPostgresSchemes = {"postgresql://", "postgres://"};
// libpq's names; the others (a second host, passfile, service...) would be read by nobody.
const std::set<std::string, std::less<>> kKnownParams = {"sslmode", "sslrootcert",     "sslcert",
                                                         "sslkey",  "connect_timeout", "application_name"};
const std::set<std::string, std::less<>> kSslModes = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"};

Error url_error(std::string_view what, std::string_view problem) {
  return Error::make(ErrorKind::InvalidArgument, std::string(what) + ": " + std::string(problem));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX decoded; nullopt on a broken escape (the caller names the part, never its text).
std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size() || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0) return std::nullopt;
    out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
    i += 2;
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Result<DatabaseUrl> parse_sqlite(std::string_view path, std::string_view what) {
  if (path.empty()) return url_error(what, "sqlite: needs a file path (sqlite:./var/tradebridge.db)");
  if (path.substr(0, 2) == "//")
    return url_error(what, "write sqlite:PATH with the path as is (sqlite:/var/lib/tradebridge/tradebridge.db), not sqlite://");
  if (path == ":memory:" || path.front() == '?')
    return url_error(what, "sqlite: needs a file path: an in-memory database would lose everything at exit");
  return DatabaseUrl::sqlite(std::string(path));
}

// user[:password]; the password straight into its Secret.
Status parse_userinfo(std::string_view info, PostgresTarget& pg, std::string_view what) {
  auto colon = info.find(':');
  auto user = percent_decode(info.substr(0, colon));
  if (!user) return url_error(what, "a broken %-escape in the user name");
  pg.user = std::move(*user);
  if (colon == std::string_view::npos) return ok_status();
  auto password = percent_decode(info.substr(colon + 1));
  if (!password) return url_error(what, "a broken %-escape in the password");
  pg.password = crypto::Secret(std::move(*password));
  return ok_status();
}

// host[:port] or [v6]:port. The port's text is never echoed: a URL missing its '@' puts the password there.
Status parse_host_port(std::string_view hp, PostgresTarget& pg, std::string_view what) {
  std::string_view port;
  if (!hp.empty() && hp.front() == '[') {
    auto close = hp.find(']');
    if (close == std::string_view::npos) return url_error(what, "an IPv6 host needs its closing ']'");
    pg.host = std::string(hp.substr(1, close - 1));
    if (close + 1 < hp.size() && hp[close + 1] != ':') return url_error(what, "after ']' comes :PORT or nothing");
    if (close + 1 < hp.size()) port = hp.substr(close + 2);
  } else {
    auto colon = hp.find(':');
    pg.host = std::string(hp.substr(0, colon));
    if (colon != std::string_view::npos) port = hp.substr(colon + 1);
  }
  if (pg.host.empty()) return url_error(what, "postgresql:// needs a host (postgresql://user@HOST:5432/dbname)");
  if (hp.find(',') != std::string_view::npos) return url_error(what, "one host only");
  if (port.empty()) return ok_status();
  int value = 0;
  for (char c : port) {
    if (c < '0' || c > '9' || value > 65535) return url_error(what, "the port after the host is not a number from 1 to 65535");
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 65535) return url_error(what, "the port after the host is not a number from 1 to 65535");
  pg.port = static_cast<uint16_t>(value);
  return ok_status();
}

Status parse_query(std::string_view query, PostgresTarget& pg, std::string_view what) {
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    auto eq = pair.find('=');
    std::string key(pair.substr(0, eq));
    if (!kKnownParams.count(key))
      return url_error(what, "unknown parameter '" + key + "' (sslmode, sslrootcert, sslcert, sslkey, connect_timeout, application_name)");
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!value || value->empty()) return url_error(what, "parameter '" + key + "' needs a value");
    if (key == "sslmode" && !kSslModes.count(*value))
      return url_error(what, "sslmode takes disable, allow, prefer, require, verify-ca or verify-full, got '" + *value + "'");
    if (key == "sslmode") pg.sslmode = std::move(*value);
    else pg.params[key] = std::move(*value);
  }
  return ok_status();
}

Result<DatabaseUrl> parse_postgres(std::string_view rest, std::string_view what) {
  DatabaseUrl url;
  url.backend = Backend::Postgresql;
  auto& pg = url.postgres;
  auto slash = rest.find('/');
  auto at = rest.rfind('@', slash == std::string_view::npos ? std::string_view::npos : slash);
  if (at != std::string_view::npos) {
    if (auto st = parse_userinfo(rest.substr(0, at), pg, what); !st) return st.error();
    rest = rest.substr(at + 1);
    slash = rest.find('/');
  }
  if (slash == std::string_view::npos) return url_error(what, "postgresql:// needs a database name (postgresql://user@host:5432/DBNAME)");
  if (auto st = parse_host_port(rest.substr(0, slash), pg, what); !st) return st.error();
  std::string_view path = rest.substr(slash + 1);
  auto q = path.find('?');
  auto dbname = percent_decode(path.substr(0, q));
  if (!dbname) return url_error(what, "a broken %-escape in the database name");
  if (dbname->empty()) return url_error(what, "postgresql:// needs a database name (postgresql://user@host:5432/DBNAME)");
  if (dbname->find_first_of("/@:") != std::string::npos)
    return url_error(what, "the database name holds '/', '@' or ':': a password with these characters must be %-encoded");
  pg.dbname = std::move(*dbname);
  if (q != std::string_view::npos)
    if (auto st = parse_query(path.substr(q + 1), pg, what); !st) return st.error();
  return url;
}

}  // namespace

std::string_view to_string(Backend backend) { return backend == Backend::Sqlite ? "sqlite" : "postgresql"; }

DatabaseUrl DatabaseUrl::sqlite(std::string path) {
  DatabaseUrl url;
  url.sqlite_path = std::move(path);
  return url;
}

Result<DatabaseUrl> DatabaseUrl::parse(std::string_view text, std::string_view what) {
  if (text.substr(0, kSqliteScheme.size()) == kSqliteScheme) return parse_sqlite(text.substr(kSqliteScheme.size()), what);
  for (auto scheme : kPostgresSchemes)
    if (text.substr(0, scheme.size()) == scheme) return parse_postgres(text.substr(scheme.size()), what);
  return url_error(what, "takes sqlite:PATH or postgresql://user:password@host:port/dbname; the text starts with neither");
}

std::string DatabaseUrl::redacted(bool mark_password) const {
  if (backend == Backend::Sqlite) return std::string(kSqliteScheme) + sqlite_path;
  const auto& pg = postgres;
  std::string out = "postgresql://";
  if (!pg.user.empty() || !pg.password.empty())
    out += percent_encode(pg.user) + (pg.password.empty() || !mark_password ? "" : ":****") + "@";
  out += pg.host.find(':') != std::string::npos ? "[" + pg.host + "]" : pg.host;
  out += ":" + std::to_string(pg.port) + "/" + percent_encode(pg.dbname);
  char sep = '?';
  if (!pg.sslmode.empty()) {
    out += "?sslmode=" + pg.sslmode;
    sep = '&';
  }
  for (const auto& [k, v] : pg.params) {
    out += sep + k + "=" + percent_encode(v);
    sep = '&';
  }
  return out;
}

}  // namespace tb::store
