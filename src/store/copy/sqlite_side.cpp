// `db copy`'s SQLite side, on SQLite's C API: a read-only connection for the source (one read transaction,
// so one instant of a database `serve` may be writing), a read-write one for the target (one IMMEDIATE
// transaction, foreign keys checked, freed pages overwritten as the store's own connection does).
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>

#include "core/failure_log.hpp"
#include "store/copy/copy_side.hpp"
#include "store/sqlite_db.hpp"  // sqlite_error

namespace tb::store::copy {

namespace {

struct Finalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, Finalizer>;

// SQLite's type affinity of a declared type (its documented rules, in their order).
Kind kind_of_declared(std::string type) {
  for (char& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (type.find("INT") != std::string::npos) return Kind::Integer;
  if (type.find("CHAR") != std::string::npos || type.find("CLOB") != std::string::npos || type.find("TEXT") != std::string::npos)
    return Kind::Text;
  if (type.empty() || type.find("BLOB") != std::string::npos) return Kind::Blob;
  return Kind::Real;  // REAL, FLOAT, DOUBLE and NUMERIC: numbers, carried as their text
}

Cell cell_at(sqlite3_stmt* s, int col) {
  switch (sqlite3_column_type(s, col)) {
    case SQLITE_NULL: return std::nullopt;
    case SQLITE_INTEGER: return std::to_string(sqlite3_column_int64(s, col));
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(s, col));
      return std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(s, col)));
    }
    default: {  // TEXT and FLOAT, as SQLite writes them
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, col));
      return std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(s, col)));
    }
  }
}

// A value bound as the target column's kind: integers as integers (a text that is no integer stays text, as
// SQLite would keep it), blobs as blobs, the rest as text for the column's affinity to convert.
int bind_cell(sqlite3_stmt* s, int i, const Cell& cell, Kind kind) {
  if (!cell) return sqlite3_bind_null(s, i);
  const std::string& v = *cell;
  if (kind == Kind::Integer || kind == Kind::Boolean) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec == std::errc() && end == v.data() + v.size()) return sqlite3_bind_int64(s, i, n);
  }
  if (kind == Kind::Blob) return sqlite3_bind_blob64(s, i, v.data(), v.size(), SQLITE_TRANSIENT);
  return sqlite3_bind_text64(s, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

std::string select_list(const std::vector<ColumnRef>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + (c.rowid ? std::string("rowid") : quote_name(c.name));
  return out;
}

// Where a SQLite database keeps the last id given, by table: AUTOINCREMENT's and the store's own (migration 20).
struct IdGenerator {
  const char* table;
  const char* columns;  // the table's name, the last id
  const char* tables;   // the tables it numbers
  bool unused_rows;     // a row for a table that has given no id yet (id_counters' rows are the tables it numbers)
};
constexpr IdGenerator kIdGenerators[] = {
    {"sqlite_sequence", "name, seq", "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'", false},
    {"id_counters", "name, last", "SELECT name FROM id_counters", true}};

class SqliteSide final : public Side {
 public:
  explicit SqliteSide(sqlite3* db) : db_(db) {}
  ~SqliteSide() override { sqlite3_close(db_); }
  std::string_view backend() const override { return "sqlite"; }

  Result<int> schema_version() override {
    auto v = scalar("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!v) return v.error();
    return static_cast<int>(*v);
  }

  Result<std::vector<std::string>> tables() override {
    return strings(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
        "AND name NOT IN ('schema_migrations', 'id_counters') ORDER BY name",
        0);
  }

  Result<std::vector<Column>> columns(const std::string& table) override {
    auto s = prepare("PRAGMA table_info(" + quote_name(table) + ")");
    if (!s) return s.error();
    std::vector<Column> out;
    int pk_columns = 0;
    for (;;) {
      auto more = step(s->get());
      if (!more) return more.error();
      if (!*more) break;
      const auto type = *cell_at(s->get(), 2);
      const bool pk = sqlite3_column_int(s->get(), 5) > 0;
      pk_columns += pk ? 1 : 0;
      out.push_back({*cell_at(s->get(), 1), kind_of_declared(type), pk && type == "INTEGER"});
    }
    if (pk_columns != 1)  // only a lone INTEGER PRIMARY KEY is the rowid
      for (auto& c : out) c.identity = false;
    return out;
  }

  Result<std::vector<std::string>> parents(const std::string& table) override {
    return strings("PRAGMA foreign_key_list(" + quote_name(table) + ")", 2);
  }

  Result<bool> has_rowid(const std::string& table) override {
    sqlite3_stmt* raw = nullptr;
    const std::string sql = "SELECT rowid FROM " + quote_name(table) + " LIMIT 0";
    const int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr);
    sqlite3_finalize(raw);
    return rc == SQLITE_OK;  // a WITHOUT ROWID table has none to select
  }

  Result<int64_t> count(const std::string& table) override { return scalar("SELECT count(*) FROM " + quote_name(table)); }

  // AUTOINCREMENT's generators and the store's own (id_counters, migration 20), by table.
  Result<std::map<std::string, int64_t>> id_positions() override {
    std::map<std::string, int64_t> out;
    for (const auto& gen : kIdGenerators) {
      auto known = has_table(gen.table);
      if (!known) return known.error();
      if (!*known) continue;
      auto s = prepare(std::string("SELECT ") + gen.columns + " FROM " + gen.table);
      if (!s) return s.error();
      for (;;) {
        auto more = step(s->get());
        if (!more) return more.error();
        if (!*more) break;
        auto& position = out[*cell_at(s->get(), 0)];
        position = std::max<int64_t>(position, sqlite3_column_int64(s->get(), 1));
      }
    }
    return out;
  }

  Status begin_read() override { return exec("BEGIN DEFERRED; SELECT count(*) FROM sqlite_master"); }

  Status read(const std::string& table, const std::vector<ColumnRef>& columns, size_t batch_rows, const BatchSink& sink) override {
    auto s = prepare("SELECT " + select_list(columns) + " FROM " + quote_name(table));
    if (!s) return s.error();
    RowBatch batch;
    for (;;) {
      auto more = step(s->get());
      if (!more) return more.error();
      if (!*more || batch.size() == batch_rows) {
        if (!batch.empty())
          if (auto st = sink(batch); !st) return st;
        batch.clear();
        if (!*more) return ok_status();
      }
      Row row;
      for (size_t i = 0; i < columns.size(); ++i) row.push_back(cell_at(s->get(), static_cast<int>(i)));
      batch.push_back(std::move(row));
    }
  }

  Status begin_write() override { return exec("PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; BEGIN IMMEDIATE"); }

  Status empty(const std::vector<std::string>& tables) override {
    std::string sql;
    for (const auto& t : tables) sql += "DELETE FROM " + quote_name(t) + ";\n";
    auto seq = has_table("sqlite_sequence");
    if (!seq) return seq.error();
    if (*seq) sql += "DELETE FROM sqlite_sequence;\n";
    return exec(sql);
  }

  Status insert(const std::string& table, const std::vector<ColumnRef>& columns, const RowBatch& rows) override {
    std::string marks;
    for (size_t i = 0; i < columns.size(); ++i) marks += i ? ", ?" : "?";
    auto s = prepare("INSERT INTO " + quote_name(table) + " (" + select_list(columns) + ") VALUES (" + marks + ")");
    if (!s) return s.error();
    for (const auto& row : rows) {
      sqlite3_reset(s->get());
      for (size_t i = 0; i < columns.size(); ++i)
        if (int rc = bind_cell(s->get(), static_cast<int>(i + 1), row[i], columns[i].kind); rc != SQLITE_OK)
          return sqlite_error(db_, rc, "bind " + table + "." + columns[i].name);
      if (auto done = step(s->get(), "INSERT INTO " + table); !done) return done.error();
    }
    return ok_status();
  }

  Status advance_ids(const std::map<std::string, int64_t>& source_positions) override;
  Status commit() override { return exec("COMMIT"); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) logged("db copy: roll back", exec("ROLLBACK"));
  }

 private:
  Result<StmtPtr> prepare(const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    if (int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &raw, nullptr); rc != SQLITE_OK) return sqlite_error(db_, rc, sql);
    return StmtPtr(raw);
  }
  Result<bool> step(sqlite3_stmt* s, std::string_view what = "read") {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_error(db_, rc, what);
  }
  Result<bool> has_table(const char* name) {
    auto s = prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    if (!s) return s.error();
    sqlite3_bind_text(s->get(), 1, name, -1, SQLITE_STATIC);
    return step(s->get());
  }
  Result<int64_t> scalar(const std::string& sql) {
    auto s = prepare(sql);
    if (!s) return s.error();
    auto row = step(s->get());
    if (!row) return row.error();
    return *row ? sqlite3_column_int64(s->get(), 0) : 0;
  }
  Result<std::vector<std::string>> strings(const std::string& sql, int col) {
    auto s = prepare(sql);
    if (!s) return s.error();
    std::vector<std::string> out;
    for (;;) {
      auto more = step(s->get());
      if (!more) return more.error();
      if (!*more) return out;
      out.push_back(cell_at(s->get(), col).value_or(""));
    }
  }
  Status exec(const std::string& sql) {
    if (int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); rc != SQLITE_OK) return sqlite_error(db_, rc, "exec");
    return ok_status();
  }

  sqlite3* db_;
};

// A table's generator row is set past its rows and the source's position.
Status SqliteSide::advance_ids(const std::map<std::string, int64_t>& source_positions) {
  for (const auto& gen : kIdGenerators) {
    auto known = has_table(gen.table);
    if (!known) return known.error();
    if (!*known) continue;
    auto tables = strings(gen.tables, 0);
    if (!tables) return tables.error();
    for (const auto& t : *tables) {
      auto top = scalar("SELECT coalesce(max(rowid), 0) FROM " + quote_name(t));
      if (!top) return top.error();
      auto it = source_positions.find(t);
      const int64_t position = std::max(*top, it == source_positions.end() ? 0 : it->second);
      for (const std::string& sql :
           {std::string("DELETE FROM ") + gen.table + " WHERE name = ?1",
            std::string("INSERT INTO ") + gen.table + " (" + gen.columns + ") SELECT ?1, ?2" + (gen.unused_rows ? "" : " WHERE ?2 > 0")}) {
        auto s = prepare(sql);
        if (!s) return s.error();
        sqlite3_bind_text(s->get(), 1, t.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(s->get(), 2, position);
        if (auto done = step(s->get(), gen.table); !done) return done.error();
      }
    }
  }
  return ok_status();
}

}  // namespace

std::string quote_name(std::string_view name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

Result<std::unique_ptr<Side>> open_sqlite_side(const std::string& path, bool read_only) {
  std::error_code ec;
  if (read_only && !std::filesystem::exists(path, ec)) return Error::make(ErrorKind::InvalidArgument, "db copy: no database at " + path);
  sqlite3* db = nullptr;
  const int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr); rc != SQLITE_OK) {
    Error e = sqlite_error(db, rc, "open " + path);
    sqlite3_close(db);
    return e;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  return std::unique_ptr<Side>(std::make_unique<SqliteSide>(db));
}

}  // namespace tb::store::copy
