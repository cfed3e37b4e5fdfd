#pragma once
// Private to `db copy` (store/db_copy.hpp): one database as the copy sees it, whatever its backend. The
// catalogue (tables, columns with their kinds, the tables a table's foreign keys name), a consistent read of
// every table in batches, and writes in one transaction. Values cross between backends in one canonical
// text form, so a SQLite INTEGER flag and a PostgreSQL BOOLEAN, or a SQLite BLOB and a bytea, meet as equals.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace tb::store::copy {

// What a column holds, as both backends' types map onto it. Canonical text of a value: an Integer in decimal
// digits, a Boolean "1" or "0", a Real and a Text as written, a Blob its bytes.
enum class Kind { Integer, Boolean, Real, Text, Blob };

struct Column {
  std::string name;
  Kind kind = Kind::Text;
  bool identity = false;  // ids handed out by the database (a PostgreSQL identity or serial, SQLite's rowid alias)
};

using Cell = std::optional<std::string>;  // std::nullopt: NULL
using Row = std::vector<Cell>;
using RowBatch = std::vector<Row>;
using BatchSink = std::function<Status(const RowBatch&)>;

// A column of a table as one side reads or writes it: a column by name, or SQLite's hidden rowid (which a
// PostgreSQL identity column without a SQLite twin stands for: sessions.seq).
struct ColumnRef {
  std::string name;
  Kind kind = Kind::Text;
  bool rowid = false;
};

class Side {
 public:
  virtual ~Side() = default;
  virtual std::string_view backend() const = 0;  // "sqlite" | "postgresql"

  // The catalogue. tables(): every table of the schema but the migrations' own record (schema_migrations)
  // and the backend's internals.
  virtual Result<int> schema_version() = 0;
  virtual Result<std::vector<std::string>> tables() = 0;
  virtual Result<std::vector<Column>> columns(const std::string& table) = 0;
  virtual Result<std::vector<std::string>> parents(const std::string& table) = 0;  // tables its foreign keys name
  virtual Result<bool> has_rowid(const std::string& table) = 0;                    // false on PostgreSQL
  virtual Result<int64_t> count(const std::string& table) = 0;
  // The highest id handed out per table (a sequence's position, which may be past every row left): ids
  // never repeat, so the target must not hand these out again.
  virtual Result<std::map<std::string, int64_t>> id_positions() = 0;

  // Reading, as the source: every read after begin_read sees one instant of the database.
  virtual Status begin_read() = 0;
  virtual Status read(const std::string& table, const std::vector<ColumnRef>& columns, size_t batch_rows, const BatchSink& sink) = 0;

  // Writing, as the target, in one transaction from begin_write to commit.
  virtual Status begin_write() = 0;
  virtual Status empty(const std::vector<std::string>& tables) = 0;  // children before parents
  virtual Status insert(const std::string& table, const std::vector<ColumnRef>& columns, const RowBatch& rows) = 0;
  // Moves each table's id generator past both its rows and the source's position for it.
  virtual Status advance_ids(const std::map<std::string, int64_t>& source_positions) = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;
};

// A SQLite file (read_only: the source, which must exist) and a PostgreSQL database by libpq's conninfo.
Result<std::unique_ptr<Side>> open_sqlite_side(const std::string& path, bool read_only);
Result<std::unique_ptr<Side>> open_postgres_side(const std::string& conninfo);

// An identifier quoted for either backend ("x" with " doubled).
std::string quote_name(std::string_view name);

}  // namespace tb::store::copy
