#include "store/sqlite_backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "store/sqlite_db.hpp"

namespace tb::store {

namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr int kBusyRetries = 100;  // of 100 ms each, on top of the busy timeout

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Connection = std::unique_ptr<sqlite3, Closer>;

// The operator's mistakes (no database, a FILE there) are InvalidArgument; a failure on the way is Internal.
Error backup_error(std::string message, ErrorKind kind = ErrorKind::Internal) { return Error::make(kind, "backup: " + std::move(message)); }

Result<Connection> connect(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Connection db(raw);
  if (rc != SQLITE_OK) return sqlite_error(raw, rc, "open " + path);
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  return db;
}

// The first column of the first row of `sql`, as text ("" when there is none).
Result<std::string> scalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (int rc = sqlite3_prepare_v2(db, sql, -1, &s, nullptr); rc != SQLITE_OK) return sqlite_error(db, rc, sql);
  int rc = sqlite3_step(s);
  std::string out;
  if (rc == SQLITE_ROW && sqlite3_column_text(s, 0)) out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_error(db, rc, sql);
  return out;
}

Result<int> schema_version(sqlite3* db) {
  auto v = scalar(db, "SELECT coalesce(max(version), 0) FROM schema_migrations");
  if (!v) return v.error();
  return std::atoi(v->c_str());
}

// Copies every page of `from` into `to` in one step: one read transaction, so one consistent instant. A
// writer of another process holding the lock briefly makes the step busy: it is tried again.
Status copy_pages(sqlite3* from, sqlite3* to) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (!b) return sqlite_error(to, sqlite3_errcode(to), "backup_init");
  int rc = SQLITE_OK;
  for (int tries = 0; tries < kBusyRetries; ++tries) {
    rc = sqlite3_backup_step(b, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    sqlite3_sleep(100);
  }
  int finish = sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return sqlite_error(to, rc, "backup_step");
  if (finish != SQLITE_OK) return sqlite_error(to, finish, "backup_finish");
  return ok_status();
}

Status fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return backup_error("cannot open " + path + " to sync it");
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return backup_error("cannot sync " + path);
  return ok_status();
}

// The copy under its temporary name: pages copied, made a single file (the source is WAL), synced.
Status write_copy(const std::string& from, const std::string& tmp, int& source_version) {
  auto src = connect(from, SQLITE_OPEN_READWRITE);  // no CREATE: a missing source is an error, not a new file
  if (!src) return src.error();
  auto version = schema_version(src->get());
  if (!version) return version.error();
  source_version = *version;
  auto dst = connect(tmp, SQLITE_OPEN_READWRITE);
  if (!dst) return dst.error();
  if (auto st = copy_pages(src->get(), dst->get()); !st) return st;
  if (auto mode = scalar(dst->get(), "PRAGMA journal_mode = DELETE"); !mode) return mode.error();
  dst->reset();
  return fsync_path(tmp, O_RDONLY);
}

}  // namespace

Result<SqliteBackupReport> verify_sqlite_copy(const std::string& path) {
  auto db = connect(path, SQLITE_OPEN_READONLY);
  if (!db) return db.error();
  SqliteBackupReport r;
  auto integrity = scalar(db->get(), "PRAGMA integrity_check");
  if (!integrity) return integrity.error();
  r.integrity = *integrity;
  auto version = schema_version(db->get());
  if (!version) return version.error();
  r.schema_version = *version;
  std::error_code ec;
  r.bytes = static_cast<int64_t>(std::filesystem::file_size(path, ec));
  return r;
}

Result<SqliteBackupReport> backup_sqlite(const std::string& from, const std::string& to, bool overwrite) {
  std::error_code ec;
  if (!std::filesystem::exists(from, ec)) return backup_error("no database at " + from, ErrorKind::InvalidArgument);
  if (std::filesystem::exists(to, ec) && !overwrite)
    return backup_error(to + " exists: pass --force to overwrite it", ErrorKind::InvalidArgument);
  std::string tmp = to + ".partial-" + std::to_string(::getpid());
  // Created 0600 before SQLite opens it: the copy holds the sealed secrets.
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return backup_error("cannot create " + tmp + " (is the folder there and writable?)", ErrorKind::InvalidArgument);
  ::close(fd);
  auto fail = [&](Error e) -> Result<SqliteBackupReport> {
    std::filesystem::remove(tmp, ec);
    std::filesystem::remove(tmp + "-journal", ec);
    return e;
  };
  int source_version = 0;
  if (auto st = write_copy(from, tmp, source_version); !st) return fail(st.error());
  auto report = verify_sqlite_copy(tmp);
  if (!report) return fail(report.error());
  if (report->integrity != "ok") return fail(backup_error("the copy fails its integrity check: " + report->integrity));
  if (report->schema_version != source_version || source_version == 0)
    return fail(backup_error("the copy's schema version " + std::to_string(report->schema_version) + " is not the database's " +
                             std::to_string(source_version)));
  if (std::filesystem::exists(to, ec) && !overwrite)
    return fail(backup_error(to + " appeared meanwhile: pass --force to overwrite it", ErrorKind::InvalidArgument));
  if (std::rename(tmp.c_str(), to.c_str()) != 0) return fail(backup_error("cannot rename the copy to " + to));
  auto folder = std::filesystem::absolute(to, ec).parent_path().string();
  if (auto st = fsync_path(folder, O_RDONLY | O_DIRECTORY); !st) return st.error();
  return report;
}

}  // namespace tb::store
