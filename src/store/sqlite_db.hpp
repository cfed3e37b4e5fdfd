#pragma once
// Private to the SQLite backend: one connection, a cache of prepared statements, and errors mapped to
// tb::Error. Not thread-safe by itself; SqliteStore guards it with its mutex.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace tb::store {

// A cached statement borrowed for one use: reset and unbound when it goes out of scope. When the cached
// one is already borrowed (the same query asked for again while the first is still open), the borrower
// gets a statement of its own that is finalized at the end instead.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* s, bool* in_use, bool owned, std::vector<std::string>* texts = nullptr)
      : db_(db), s_(s), in_use_(in_use), owned_(owned), texts_(texts) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_), in_use_(o.in_use_), owned_(o.owned_), texts_(o.texts_), bind_rc_(o.bind_rc_) {
    o.s_ = nullptr;
  }
  ~Stmt();

  void bind(int i, int64_t v);
  void bind(int i, int v) { bind(i, static_cast<int64_t>(v)); }
  void bind(int i, std::string_view v);
  void bind(int i, const std::string& v) { bind(i, std::string_view(v)); }
  void bind(int i, const char* v) { bind(i, std::string_view(v)); }
  void bind(int i, const std::optional<int64_t>& v);
  void bind(int i, const std::optional<std::string>& v);
  template <typename... A>
  Stmt& bind_all(const A&... a) {
    int i = 0;
    (bind(++i, a), ...);
    return *this;
  }

  Result<bool> step();  // true: a row is ready; false: done
  Status run();         // steps to the end, for statements without rows

  int64_t int_at(int col) const;
  std::string text_at(int col) const;
  std::optional<int64_t> opt_int_at(int col) const;
  std::optional<std::string> opt_text_at(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
  bool* in_use_;  // the cache entry's flag; null for an owned statement
  bool owned_;
  std::vector<std::string>* texts_;  // the cache entry's copies of the bound texts; null for an owned statement
  int bind_rc_ = 0;
};

class SqliteDb {
 public:
  // Creates the file with mode 0600 before SQLite opens it, so no other user ever can read it.
  static Result<std::unique_ptr<SqliteDb>> open(const std::string& path, int busy_timeout_ms);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  Result<Stmt> prepare(std::string_view sql);  // cached by text
  Status exec(const std::string& sql);         // uncached, may hold several statements
  int64_t last_insert_rowid() const;
  int64_t changes() const;

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
    // What its parameters were last bound to, kept here so SQLite need not copy them (SQLITE_STATIC): a
    // copy SQLite makes is allocated at each bind and freed when the bindings are cleared, two or three
    // times an order's every text column; these keep their room from one use to the next.
    std::vector<std::string> texts;
  };
  struct SqlHash {  // found by the statement's text as given, without a copy of it
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
  };
  std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>> cache_;  // node-based: a Cached never moves
};

// The tb::Error for SQLite's result code rc: constraint failures are the caller's (InvalidArgument naming
// the column), anything else is the store's.
Error sqlite_error(sqlite3* db, int rc, std::string_view what);

}  // namespace tb::store
