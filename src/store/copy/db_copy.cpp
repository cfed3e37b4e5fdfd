// `db copy`: the source's versions checked before anything is written, the target migrated, then every table
// streamed in batches from the source's snapshot into the target's one transaction, parents first; counts
// compared and id generators advanced before the commit.
#include "store/db_copy.hpp"

#include <filesystem>

#include "store/copy/copy_plan.hpp"
#include "store/copy/copy_side.hpp"
#include "store/open_store.hpp"
#include "store/sqlite_migrations.hpp"

namespace tb::store {

using copy::Side;
using copy::TablePlan;

namespace {

Error refused(const std::string& message) { return Error::make(ErrorKind::InvalidArgument, "db copy: " + message); }

std::string rows_text(int64_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

// A side of the copy by its URL; libpq's and SQLite's errors never hold the password, and a PostgreSQL
// URL is named redacted.
Result<std::unique_ptr<Side>> open_side(const DatabaseUrl& url, bool read_only) {
  if (url.backend == Backend::Sqlite) return copy::open_sqlite_side(url.sqlite_path, read_only);
  auto side = copy::open_postgres_side(postgres_conninfo(url.postgres));
  if (!side) {
    Error e = side.error();
    e.message = url.redacted() + ": " + e.message;
    return e;
  }
  return side;
}

int latest_version() {
  int latest = 0;
  for (const auto& m : sqlite_migrations()) latest = std::max(latest, m.version);
  return latest;
}

Status check_source_version(Side& source, const DatabaseUrl& from) {
  auto v = source.schema_version();
  if (!v) return v.error();
  const int latest = latest_version();
  if (*v < latest)
    return refused("the source is at schema version " + std::to_string(*v) + " and this tradebridge's schema is at version " +
                   std::to_string(latest) + ": bring the source up to date first (tradebridge db migrate --database '" +
                   from.redacted(false) + "')");
  if (*v > latest)
    return refused("the source is at schema version " + std::to_string(*v) + ", newer than this tradebridge's version " +
                   std::to_string(latest) + ": copy it with the tradebridge that migrated it");
  return ok_status();
}

// The target brought to this binary's schema by the store itself (a new SQLite file is made with mode 0600),
// then opened for the copy.
Result<std::unique_ptr<Side>> prepare_target(const DatabaseUrl& to, const Clock& clock, int source_version) {
  {
    auto store = open_store(to, clock, OpenStoreOptions{.migrate = true});
    if (!store) return store.error();
  }
  auto target = open_side(to, false);
  if (!target) return target.error();
  auto v = (*target)->schema_version();
  if (!v) return v.error();
  if (*v != source_version)
    return refused("the target is at schema version " + std::to_string(*v) + " and the source at version " +
                   std::to_string(source_version) + ": both must be at one version");
  return target;
}

// Without --force a target with rows is refused, each such table named; with it they are emptied, in the
// copy's transaction (children first).
Result<bool> make_room(Side& target, const std::vector<TablePlan>& plans, bool force) {
  std::string full;
  for (const auto& p : plans) {
    auto n = target.count(p.table);
    if (!n) return n.error();
    if (*n > 0) full += (full.empty() ? "" : ", ") + p.table + " (" + rows_text(*n) + ")";
  }
  if (full.empty()) return false;
  if (!force) return refused("the target is not empty: " + full + "; --force empties it first");
  std::vector<std::string> children_first;
  for (auto it = plans.rbegin(); it != plans.rend(); ++it) children_first.push_back(it->table);
  if (auto st = target.empty(children_first); !st) return st.error();
  return true;
}

Result<TableCount> copy_table(Side& source, Side& target, const TablePlan& plan, size_t batch_rows) {
  TableCount count{plan.table, 0, 0};
  auto n = source.count(plan.table);
  if (!n) return n.error();
  count.source_rows = *n;
  int64_t streamed = 0;
  auto st = source.read(plan.table, plan.source, batch_rows, [&](const copy::RowBatch& batch) {
    streamed += static_cast<int64_t>(batch.size());
    return target.insert(plan.table, plan.target, batch);
  });
  if (!st) return st.error();
  auto m = target.count(plan.table);
  if (!m) return m.error();
  count.target_rows = *m;
  if (streamed != count.source_rows)  // the snapshot changed under the read: never expected
    return Error::make(ErrorKind::Internal, "db copy: table " + plan.table + ": counted " + rows_text(count.source_rows) + " but read " +
                                                rows_text(streamed) + " in the source");
  return count;
}

// Everything after the target's transaction began; the caller rolls back on an error.
Status copy_all(Side& source, Side& target, const std::vector<TablePlan>& plans, const CopyOptions& options, CopyReport& report) {
  auto emptied = make_room(target, plans, options.force);
  if (!emptied) return emptied.error();
  report.emptied = *emptied;
  for (const auto& plan : plans) {
    auto count = copy_table(source, target, plan, std::max<size_t>(options.batch_rows, 1));
    if (!count) return count.error();
    report.tables.push_back(*count);
    if (options.on_table) options.on_table(*count);
  }
  auto positions = source.id_positions();
  if (!positions) return positions.error();
  if (auto st = target.advance_ids(*positions); !st) return st;
  if (auto st = check_counts(report.tables); !st) return st;
  return target.commit();
}

}  // namespace

int64_t CopyReport::rows() const {
  int64_t n = 0;
  for (const auto& t : tables) n += t.target_rows;
  return n;
}

Status check_counts(const std::vector<TableCount>& tables) {
  for (const auto& t : tables)
    if (t.source_rows != t.target_rows)
      return Error::make(ErrorKind::Internal, "db copy: table " + t.table + " has " + rows_text(t.source_rows) + " in the source but " +
                                                  rows_text(t.target_rows) + " in the target; the copy was rolled back");
  return ok_status();
}

bool same_database(const DatabaseUrl& a, const DatabaseUrl& b) {
  if (a.backend != b.backend) return false;
  if (a.backend == Backend::Postgresql)
    return a.postgres.host == b.postgres.host && a.postgres.port == b.postgres.port && a.postgres.dbname == b.postgres.dbname;
  std::error_code ec;
  return std::filesystem::weakly_canonical(a.sqlite_path, ec) == std::filesystem::weakly_canonical(b.sqlite_path, ec);
}

Result<CopyReport> copy_database(const DatabaseUrl& from, const DatabaseUrl& to, const Clock& clock, const CopyOptions& options) {
  if (same_database(from, to)) return refused("--from and --to name the same database (" + to.redacted() + ")");
  auto source = open_side(from, true);
  if (!source) return source.error();
  if (auto st = (*source)->begin_read(); !st) return st.error();
  if (auto st = check_source_version(**source, from); !st) return st.error();
  CopyReport report;
  report.schema_version = latest_version();
  auto target = prepare_target(to, clock, report.schema_version);
  if (!target) return target.error();
  auto plans = copy::plan_copy(**source, **target);
  if (!plans) return plans.error();
  if (auto st = (*target)->begin_write(); !st) return st.error();
  if (auto st = copy_all(**source, **target, *plans, options, report); !st) {
    (*target)->rollback();
    return st.error();
  }
  return report;
}

}  // namespace tb::store
