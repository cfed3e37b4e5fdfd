#include "app/db_command.hpp"

#include <filesystem>
#include <ostream>

#include <nlohmann/json.hpp>

#include "app/data_dir.hpp"
#include "robots/time_text.hpp"
#include "store/db_copy.hpp"
#include "store/open_store.hpp"
#include "store/sqlite_backup.hpp"

namespace tb::app {

namespace {

int fail(std::ostream& err, const Error& e, int code) {
  err << nlohmann::json{{"error", {{"kind", to_string(e.kind)}, {"message", e.message}}}}.dump(2) << "\n";
  return code;
}

nlohmann::ordered_json entries_json(const std::vector<store::MigrationEntry>& entries) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& m : entries) {
    nlohmann::ordered_json j = {{"version", m.version}, {"name", m.name}};
    if (m.applied_at_ms) j["applied_at"] = robots::iso_utc(m.applied_at_ms);
    out.push_back(std::move(j));
  }
  return out;
}

int latest_known(const store::SchemaStatus& s) {
  int latest = 0;
  for (const auto& m : s.applied)
    if (std::find(s.unknown.begin(), s.unknown.end(), m.version) == s.unknown.end()) latest = std::max(latest, m.version);
  for (const auto& m : s.pending) latest = std::max(latest, m.version);
  return latest;
}

nlohmann::ordered_json status_json(const store::DatabaseUrl& url, const store::SchemaStatus& s) {
  return {{"database", url.redacted()},         {"backend", s.backend},         {"version", s.version()},
          {"latest", latest_known(s)},          {"up_to_date", s.up_to_date()}, {"applied", entries_json(s.applied)},
          {"pending", entries_json(s.pending)}, {"unknown", s.unknown}};
}

Result<store::SchemaStatus> status_of(const store::DatabaseUrl& url, bool migrate) {
  auto s = store::open_store(url, SystemClock::instance(), store::OpenStoreOptions{.migrate = migrate});
  if (!s) return s.error();
  return (*s)->schema_status();
}

// Each table's counts on stderr as it is done (a large table takes a while), the whole report on stdout.
int run_copy(const DbOptions& o, std::ostream& out, std::ostream& err) {
  if (o.to.empty()) return fail(err, Error::invalid("to", "db copy needs --to URL, the database to copy into"), 2);
  auto from = database_url_for(o.from.empty() ? o.database : o.from, o.data_dir);
  if (!from) return fail(err, from.error(), 2);
  auto to = store::DatabaseUrl::parse(o.to, "--to");
  if (!to) return fail(err, to.error(), 2);
  store::CopyOptions options;
  options.force = o.force;
  options.on_table = [&](const store::TableCount& t) { err << "db copy: " << t.table << ": " << t.target_rows << " rows\n"; };
  auto report = store::copy_database(*from, *to, SystemClock::instance(), options);
  if (!report) return fail(err, report.error(), report.error().kind == ErrorKind::InvalidArgument ? 2 : 1);
  auto tables = nlohmann::ordered_json::array();
  for (const auto& t : report->tables) tables.push_back({{"table", t.table}, {"source", t.source_rows}, {"target", t.target_rows}});
  out << nlohmann::ordered_json{{"from", from->redacted()},   {"to", to->redacted()},   {"schema_version", report->schema_version},
                                {"emptied", report->emptied}, {"rows", report->rows()}, {"tables", std::move(tables)}}
             .dump()
      << "\n";
  return 0;
}

}  // namespace

int run_db(const DbOptions& o, std::ostream& out, std::ostream& err) {
  if (o.action == "copy") return run_copy(o, out, err);
  if (o.action != "status" && o.action != "migrate")
    return fail(err, Error::invalid("action", "'" + o.action + "' is none of status, migrate, copy"), 2);
  auto url = database_url_for(o.database, o.data_dir);
  if (!url) return fail(err, url.error(), 2);
  if (o.action == "migrate" && o.database.empty())
    if (auto st = ensure_data_dir(o.data_dir); !st) return fail(err, st.error(), 2);
  std::error_code ec;
  if (o.action == "status" && url->backend == store::Backend::Sqlite && !std::filesystem::exists(url->sqlite_path, ec))
    return fail(err, Error::invalid("database", "no database at " + url->sqlite_path + " (`tradebridge db migrate` or `serve` creates it)"),
                2);
  auto before = status_of(*url, false);
  if (!before) return fail(err, before.error(), 1);
  if (o.action == "status") {
    out << status_json(*url, *before).dump() << "\n";
    return 0;
  }
  auto after = status_of(*url, true);
  if (!after) return fail(err, after.error(), 1);
  auto j = status_json(*url, *after);
  j["applied_now"] = entries_json(before->pending);
  out << j.dump() << "\n";
  return 0;
}

int run_backup(const BackupOptions& o, std::ostream& out, std::ostream& err) {
  if (o.to.empty()) return fail(err, Error::invalid("to", "--to FILE names the copy to write"), 2);
  auto url = database_url_for(o.database, o.data_dir);
  if (!url) return fail(err, url.error(), 2);
  if (url->backend == store::Backend::Postgresql) {
    // PostgreSQL's own tool makes a consistent dump of a live database; the password comes from PGPASSWORD
    // or ~/.pgpass, never from this command line.
    err << "tradebridge backup: a PostgreSQL database is backed up with PostgreSQL's own tools, not by tradebridge. Run:\n"
        << "  pg_dump --format=custom --file '" << o.to << "' '" << url->redacted(false) << "'\n"
        << "(the password from PGPASSWORD or ~/.pgpass), and restore with pg_restore --clean --dbname URL '" << o.to << "'.\n";
    return 2;
  }
  auto report = store::backup_sqlite(url->sqlite_path, o.to, o.force);
  if (!report) return fail(err, report.error(), report.error().kind == ErrorKind::InvalidArgument ? 2 : 1);
  out << nlohmann::ordered_json{{"backup", o.to},
                                {"database", url->redacted()},
                                {"bytes", report->bytes},
                                {"schema_version", report->schema_version},
                                {"integrity", report->integrity}}
             .dump()
      << "\n";
  return 0;
}

}  // namespace tb::app
