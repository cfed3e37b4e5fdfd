#pragma once
// A fresh directory per test for a database file; removed with everything in it (-wal, -shm) afterwards.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "store/sqlite_store.hpp"

namespace tb::store {

class TempDb {
 public:
  TempDb() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tb_store_XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
  }
  ~TempDb() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string path() const { return (dir_ / "tb.db").string(); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

inline std::unique_ptr<SqliteStore> open_store(const std::string& path, const Clock& clock, SqliteOptions o = {}) {
  auto s = SqliteStore::open(path, clock, std::move(o));
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().describe());
  return s.ok() ? std::move(*s) : nullptr;
}

// The store as an older build left it: the migrations up to `version` only.
inline std::unique_ptr<SqliteStore> open_store_at(const std::string& path, const Clock& clock, int version) {
  SqliteOptions o;
  o.migrations.clear();
  for (const auto& m : sqlite_migrations())
    if (m.version <= version) o.migrations.push_back(m);
  return open_store(path, clock, std::move(o));
}

// Fixture: a store on a temp file with a manual clock.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_store(db_.path(), clock_);
    ASSERT_TRUE(store_);
  }
  int64_t make_user(const std::string& email = "ann@example.com") {
    auto u = store_->create_user(email, "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA");
    EXPECT_TRUE(u.ok()) << (u.ok() ? "" : u.error().describe());
    return u.ok() ? u->id : 0;
  }

  TempDb db_;
  ManualClock clock_{1'700'000'000'000};
  std::unique_ptr<SqliteStore> store_;
};

inline Decimal dec(const char* s) { return *Decimal::parse(s); }

// Raw SQL on the file, below the store: for databases as older versions left them.
inline void exec_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

// The first column of the first row `sql` gives on the file (-1 when none): a count, below the store.
inline int64_t count_rows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return n;
}

}  // namespace tb::store
