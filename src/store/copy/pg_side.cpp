// `db copy`'s PostgreSQL side, on the backend's libpq wrapper: the source read through a cursor inside one
// REPEATABLE READ, READ ONLY transaction (one snapshot), the target written by multi-row INSERTs in one
// transaction, and identity (or serial) sequences set past the copied ids.
#include <algorithm>
#include <array>

#include "core/failure_log.hpp"

#include "store/copy/copy_side.hpp"
#include "store/pg/pg_conn.hpp"

namespace tb::store::copy {

namespace {

using pg::PgConn;
using pg::PgParams;

constexpr size_t kMaxParams = 60000;  // a statement takes at most 65535

// format_type()'s names of the types our migrations use, and their kin; anything else is refused by name
// rather than copied as something it is not.
std::optional<Kind> kind_of_type(std::string_view type) {
  if (type == "bigint" || type == "integer" || type == "smallint") return Kind::Integer;
  if (type == "boolean") return Kind::Boolean;
  if (type == "text" || type.starts_with("character")) return Kind::Text;
  if (type == "bytea") return Kind::Blob;
  if (type.starts_with("numeric") || type == "double precision" || type == "real") return Kind::Real;
  return std::nullopt;
}

int hex_digit(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

// A value as read (PostgreSQL's text output) into the canonical form, and back for a parameter.
Cell canonical(std::string value, Kind kind) {
  if (kind == Kind::Boolean) return std::string(value == "t" ? "1" : "0");
  if (kind != Kind::Blob || !value.starts_with("\\x")) return value;
  std::string bytes;
  for (size_t i = 2; i + 1 < value.size(); i += 2) bytes += static_cast<char>(hex_digit(value[i]) * 16 + hex_digit(value[i + 1]));
  return bytes;
}

std::optional<std::string> parameter(const Cell& cell, Kind kind) {
  if (!cell || kind != Kind::Blob) return cell;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  for (unsigned char c : *cell) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string column_list(const std::vector<ColumnRef>& columns) {
  std::string out;
  for (const auto& c : columns) out += (out.empty() ? "" : ", ") + quote_name(c.name);
  return out;
}

class PgSide final : public Side {
 public:
  explicit PgSide(std::unique_ptr<PgConn> conn) : c_(std::move(conn)) {}
  std::string_view backend() const override { return "postgresql"; }

  Result<int> schema_version() override {
    auto r = c_->run("SELECT coalesce(max(version), 0) FROM schema_migrations", {}, "schema_migrations");
    if (!r) return r.error();
    return static_cast<int>(r->row(0).int_at(0));
  }

  Result<std::vector<std::string>> tables() override {
    return strings(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations' "
        "ORDER BY c.relname",
        PgParams());
  }

  Result<std::vector<Column>> columns(const std::string& table) override {
    auto r = c_->run(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
        "a.attidentity <> '' OR pg_get_serial_sequence(quote_ident($1), a.attname) IS NOT NULL "
        "FROM pg_attribute a WHERE a.attrelid = quote_ident($1)::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        PgParams(table), "columns");
    if (!r) return r.error();
    std::vector<Column> out;
    for (int i = 0; i < r->rows(); ++i) {
      const auto row = r->row(i);
      auto kind = kind_of_type(row.text_at(1));
      if (!kind)
        return Error::make(ErrorKind::InvalidArgument,
                           "db copy: " + table + "." + row.text_at(0) + " has type " + row.text_at(1) + ", which the copy does not map");
      out.push_back({row.text_at(0), *kind, row.bool_at(2)});
    }
    return out;
  }

  Result<std::vector<std::string>> parents(const std::string& table) override {
    return strings(
        "SELECT DISTINCT p.relname FROM pg_constraint k JOIN pg_class p ON p.oid = k.confrelid "
        "WHERE k.contype = 'f' AND k.conrelid = quote_ident($1)::regclass",
        PgParams(table));
  }

  Result<bool> has_rowid(const std::string&) override { return false; }

  Result<int64_t> count(const std::string& table) override {
    auto r = c_->query("SELECT count(*) FROM " + quote_name(table), "count " + table);
    if (!r) return r.error();
    return r->row(0).int_at(0);
  }

  Result<std::map<std::string, int64_t>> id_positions() override;

  Status begin_read() override { return c_->script("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "begin"); }
  Status read(const std::string& table, const std::vector<ColumnRef>& columns, size_t batch_rows, const BatchSink& sink) override;

  Status begin_write() override { return c_->script("BEGIN", "begin"); }

  Status empty(const std::vector<std::string>& tables) override {
    if (tables.empty()) return ok_status();
    std::string list;
    for (const auto& t : tables) list += (list.empty() ? "" : ", ") + quote_name(t);
    return c_->script("TRUNCATE TABLE " + list + " RESTART IDENTITY", "empty the target");
  }

  Status insert(const std::string& table, const std::vector<ColumnRef>& columns, const RowBatch& rows) override;
  Status advance_ids(const std::map<std::string, int64_t>& source_positions) override;
  Status commit() override { return c_->script("COMMIT", "commit"); }
  void rollback() override {
    if (c_->in_transaction()) logged("db copy: roll back", c_->script("ROLLBACK", "roll back"));
  }

 private:
  Result<std::vector<std::string>> strings(const char* sql, const PgParams& params) {
    auto r = c_->run(sql, params, "catalogue");
    if (!r) return r.error();
    std::vector<std::string> out;
    for (int i = 0; i < r->rows(); ++i) out.push_back(r->row(i).text_at(0));
    return out;
  }
  // (table, column, sequence) of every identity or serial column.
  Result<std::vector<std::array<std::string, 3>>> sequences();

  std::unique_ptr<PgConn> c_;
};

Result<std::vector<std::array<std::string, 3>>> PgSide::sequences() {
  auto r = c_->run(
      "SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname) FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid "
      "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped "
      "AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL ORDER BY 1, 2",
      {}, "sequences");
  if (!r) return r.error();
  std::vector<std::array<std::string, 3>> out;
  for (int i = 0; i < r->rows(); ++i) out.push_back({r->row(i).text_at(0), r->row(i).text_at(1), r->row(i).text_at(2)});
  return out;
}

// A sequence's last value counts once it was handed out (is_called); a table's position is its highest.
Result<std::map<std::string, int64_t>> PgSide::id_positions() {
  auto seqs = sequences();
  if (!seqs) return seqs.error();
  std::map<std::string, int64_t> out;
  for (const auto& [table, column, seq] : *seqs) {
    auto r = c_->query("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + seq, "sequence of " + table);
    if (!r) return r.error();
    out[table] = std::max(out[table], r->row(0).int_at(0));
  }
  return out;
}

Status PgSide::read(const std::string& table, const std::vector<ColumnRef>& columns, size_t batch_rows, const BatchSink& sink) {
  if (auto st =
          c_->script("DECLARE tb_copy NO SCROLL CURSOR FOR SELECT " + column_list(columns) + " FROM " + quote_name(table), "read " + table);
      !st)
    return st;
  const std::string fetch = "FETCH FORWARD " + std::to_string(std::max<size_t>(batch_rows, 1)) + " FROM tb_copy";
  for (;;) {
    auto r = c_->query(fetch, "read " + table);
    if (!r) return r.error();
    if (r->rows() == 0) break;
    RowBatch batch;
    for (int i = 0; i < r->rows(); ++i) {
      Row row;
      const auto pg_row = r->row(i);
      for (size_t col = 0; col < columns.size(); ++col) {
        auto v = pg_row.opt_text_at(static_cast<int>(col));
        row.push_back(v ? canonical(std::move(*v), columns[col].kind) : std::nullopt);
      }
      batch.push_back(std::move(row));
    }
    if (auto st = sink(batch); !st) return st;
  }
  return c_->script("CLOSE tb_copy", "read " + table);
}

// Rows in as few statements as the parameter limit allows; OVERRIDING SYSTEM VALUE keeps the copied ids even
// in a GENERATED ALWAYS column.
Status PgSide::insert(const std::string& table, const std::vector<ColumnRef>& columns, const RowBatch& rows) {
  const size_t per_statement = std::max<size_t>(1, kMaxParams / std::max<size_t>(columns.size(), 1));
  const std::string head = "INSERT INTO " + quote_name(table) + " (" + column_list(columns) + ") OVERRIDING SYSTEM VALUE VALUES ";
  for (size_t from = 0; from < rows.size(); from += per_statement) {
    const size_t n = std::min(per_statement, rows.size() - from);
    std::string sql = head;
    PgParams params;
    int mark = 0;
    for (size_t r = 0; r < n; ++r) {
      sql += r ? ", (" : "(";
      for (size_t c = 0; c < columns.size(); ++c) {
        sql += (c ? ", $" : "$") + std::to_string(++mark);
        params.add(parameter(rows[from + r][c], columns[c].kind));
      }
      sql += ")";
    }
    if (auto res = c_->run(sql, params, "INSERT INTO " + table); !res) return res.error();
  }
  return ok_status();
}

Status PgSide::advance_ids(const std::map<std::string, int64_t>& source_positions) {
  auto seqs = sequences();
  if (!seqs) return seqs.error();
  for (const auto& [table, column, seq] : *seqs) {
    auto top = c_->query("SELECT coalesce(max(" + quote_name(column) + "), 0) FROM " + quote_name(table), "ids of " + table);
    if (!top) return top.error();
    auto it = source_positions.find(table);
    const int64_t position = std::max(top->row(0).int_at(0), it == source_positions.end() ? 0 : it->second);
    // setval(s, 1, false): nothing handed out yet, the next id is 1.
    auto set = c_->run("SELECT setval($1::regclass, $2, $3)", PgParams(seq, std::max<int64_t>(position, 1), position > 0), "setval");
    if (!set) return set.error();
  }
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<Side>> open_postgres_side(const std::string& conninfo) {
  auto conn = PgConn::connect(conninfo);
  if (!conn) return conn.error();
  return std::unique_ptr<Side>(std::make_unique<PgSide>(std::move(*conn)));
}

}  // namespace tb::store::copy
