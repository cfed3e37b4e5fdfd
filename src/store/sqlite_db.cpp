#include "store/sqlite_db.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tb::store {

namespace {

// "UNIQUE constraint failed: accounts.user_id, accounts.name" -> "name": the last column is the one the
// caller chose (the user id scopes it).
std::string last_column(std::string_view msg) {
  auto colon = msg.rfind(": ");
  std::string_view cols = colon == std::string_view::npos ? msg : msg.substr(colon + 2);
  auto comma = cols.rfind(", ");
  if (comma != std::string_view::npos) cols = cols.substr(comma + 2);
  auto dot = cols.rfind('.');
  if (dot != std::string_view::npos) cols = cols.substr(dot + 1);
  return std::string(cols);
}

// SQLite does not say which foreign key failed; each of our tables has one parent, so the statement's
// table names the column ("INSERT INTO key_tests" -> "account_id"); empty for another table.
std::string foreign_key_field(std::string_view what) {
  auto space = what.rfind(' ');
  std::string_view table = space == std::string_view::npos ? what : what.substr(space + 1);
  if (table == "accounts" || table == "sessions") return "user_id";
  if (table == "account_secrets" || table == "key_tests" || table == "balance_snapshots") return "account_id";
  return {};
}

}  // namespace

Error sqlite_error(sqlite3* db, int rc, std::string_view what) {
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  Error e;
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    e.kind = ErrorKind::InvalidArgument;
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
      e.field = last_column(msg);
      e.message = e.field + ": already in use";
    } else if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) {
      e.field = foreign_key_field(what);
      e.message = (e.field.empty() ? std::string(what) : e.field) + ": refers to a row that does not exist";
    } else {
      e.message = std::string(what) + ": " + msg;
    }
  } else {
    e.kind = ErrorKind::Internal;
    e.message = "store: " + std::string(what) + ": " + msg;
  }
  e.venue_code = std::to_string(ext);
  return e;
}

Stmt::~Stmt() {
  if (!s_) return;
  if (owned_) {
    sqlite3_finalize(s_);
    return;
  }
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
  *in_use_ = false;
}

void Stmt::bind(int i, int64_t v) {
  int rc = sqlite3_bind_int64(s_, i, v);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Stmt::bind(int i, std::string_view v) {
  int rc = SQLITE_RANGE;
  if (!texts_ || i < 1 || static_cast<size_t>(i) > texts_->size()) {
    rc = sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } else {  // SQLite reads it until the bindings are cleared (~Stmt), before the next bind may change it
    std::string& kept = (*texts_)[static_cast<size_t>(i) - 1];
    kept.assign(v);
    rc = sqlite3_bind_text64(s_, i, kept.data(), kept.size(), SQLITE_STATIC, SQLITE_UTF8);
  }
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Stmt::bind(int i, const std::optional<int64_t>& v) {
  if (v) return bind(i, *v);
  int rc = sqlite3_bind_null(s_, i);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Stmt::bind(int i, const std::optional<std::string>& v) {
  if (v) return bind(i, std::string_view(*v));
  int rc = sqlite3_bind_null(s_, i);
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Result<bool> Stmt::step() {
  if (bind_rc_ != SQLITE_OK) return sqlite_error(db_, bind_rc_, "bind");
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Name the statement by its head ("INSERT INTO accounts"), not its whole text.
  std::string_view sql = sqlite3_sql(s_);
  std::string_view head = sql.substr(0, std::min({sql.find_first_of("(\n"), sql.size(), size_t{48}}));
  while (!head.empty() && head.back() == ' ') head.remove_suffix(1);
  return sqlite_error(db_, rc, head);
}

Status Stmt::run() {
  for (;;) {
    auto r = step();
    if (!r) return r.error();
    if (!*r) return ok_status();
  }
}

int64_t Stmt::int_at(int col) const { return sqlite3_column_int64(s_, col); }

std::string Stmt::text_at(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, col))) : std::string();
}

std::optional<int64_t> Stmt::opt_int_at(int col) const {
  if (sqlite3_column_type(s_, col) == SQLITE_NULL) return std::nullopt;
  return int_at(col);
}

std::optional<std::string> Stmt::opt_text_at(int col) const {
  if (sqlite3_column_type(s_, col) == SQLITE_NULL) return std::nullopt;
  return text_at(col);
}

namespace {

// SQLite counts every allocation under one global mutex (SQLITE_CONFIG_MEMSTATUS) for sqlite3_memory_used(),
// which nothing here reads: 5 % of serve's CPU in a fan-out was that lock. It can only be set before the
// library initialises, so before the first connection; later (a tool opened one first) it is left as it is.
void configure_library() {
  static const int rc = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)rc;
}

}  // namespace

Result<std::unique_ptr<SqliteDb>> SqliteDb::open(const std::string& path, int busy_timeout_ms) {
  configure_library();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Error::make(ErrorKind::Internal, "store: cannot create " + path + ": " + std::strerror(errno));
  // An existing file keeps whatever mode it had; tighten it. SQLite gives -wal/-shm the same mode.
  int chmod_rc = ::fchmod(fd, 0600);
  int chmod_errno = errno;
  ::close(fd);
  if (chmod_rc != 0) return Error::make(ErrorKind::Internal, "store: cannot chmod 0600 " + path + ": " + std::strerror(chmod_errno));

  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e = sqlite_error(db, rc, "open " + path);
    sqlite3_close(db);
    return e;
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  // Freed content (a deleted account's sealed secrets) is overwritten, never left in the file's free pages.
  if (rc = sqlite3_exec(db, "PRAGMA secure_delete = ON", nullptr, nullptr, nullptr); rc != SQLITE_OK) {
    Error e = sqlite_error(db, rc, "secure_delete");
    sqlite3_close(db);
    return e;
  }
  std::unique_ptr<SqliteDb> out(new SqliteDb(db));
  return out;
}

SqliteDb::~SqliteDb() {
  for (auto& [sql, c] : cache_) sqlite3_finalize(c.stmt);
  sqlite3_close(db_);
}

Result<Stmt> SqliteDb::prepare(std::string_view sql) {
  auto compile = [&](unsigned flags, sqlite3_stmt** out) {
    return sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, out, nullptr);
  };
  auto it = cache_.find(sql);
  if (it != cache_.end() && it->second.in_use) {
    sqlite3_stmt* s = nullptr;
    if (int rc = compile(0, &s); rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
    return Stmt(db_, s, nullptr, true);
  }
  if (it == cache_.end()) {
    sqlite3_stmt* s = nullptr;
    if (int rc = compile(SQLITE_PREPARE_PERSISTENT, &s); rc != SQLITE_OK) return sqlite_error(db_, rc, "prepare");
    it = cache_.emplace(std::string(sql), Cached{s, false, {}}).first;
    // Sized once: a vector that grew would move the short strings SQLite points into.
    it->second.texts.resize(static_cast<size_t>(sqlite3_bind_parameter_count(s)));
  }
  it->second.in_use = true;
  return Stmt(db_, it->second.stmt, &it->second.in_use, false, &it->second.texts);
}

Status SqliteDb::exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);  // the same text is in sqlite3_errmsg
  if (rc != SQLITE_OK) return sqlite_error(db_, rc, "exec");
  return ok_status();
}

int64_t SqliteDb::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t SqliteDb::changes() const { return sqlite3_changes64(db_); }

}  // namespace tb::store
