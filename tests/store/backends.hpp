#pragma once
// The store's tests on every backend: a test written with TEST_P on BackendTest (or a fixture derived from it)
// runs once on SQLite and once on PostgreSQL (INSTANTIATE_BACKENDS), each on a database of its own.
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>

#include "store/pg/pg_store.hpp"
#include "store/temp_db.hpp"
#include "support/postgres_server.hpp"

namespace tb::store {

enum class Backend { Sqlite, Postgres };
inline void PrintTo(Backend b, std::ostream* os) { *os << (b == Backend::Sqlite ? "SQLite" : "PostgreSQL"); }
inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::Sqlite ? "Sqlite" : "Postgres";
}

// A store of the backend: SQLite on a file in `db`, PostgreSQL on a database of the binary's throwaway server
// (made on first use, its conninfo kept in `pg_database` so a reopen finds it again).
inline std::unique_ptr<Store> open_backend(Backend backend, const TempDb& db, std::string& pg_database, const Clock& clock) {
  if (backend == Backend::Sqlite) return open_store(db.path(), clock);
  if (pg_database.empty()) pg_database = test::PostgresEnvironment::server().fresh_database();
  auto s = open_postgres_store(pg_database, 4, clock);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().describe());
  return s.ok() ? std::move(*s) : nullptr;
}

// As StoreTest (temp_db.hpp), on the backend the test's parameter names.
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = open_backend(GetParam(), db_, pg_database_, clock_);
    ASSERT_TRUE(store_);
  }
  // The same database opened again, as a restarted process finds it.
  void reopen() {
    store_.reset();
    store_ = open_backend(GetParam(), db_, pg_database_, clock_);
  }
  // Another store on the same database, as a second process has it.
  std::unique_ptr<Store> second_store() { return open_backend(GetParam(), db_, pg_database_, clock_); }
  int64_t make_user(const std::string& email = "ann@example.com") {
    auto u = store_->create_user(email, "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA");
    EXPECT_TRUE(u.ok()) << (u.ok() ? "" : u.error().describe());
    return u.ok() ? u->id : 0;
  }

  TempDb db_;
  std::string pg_database_;
  ManualClock clock_{1'700'000'000'000};
  std::unique_ptr<Store> store_;
};

// The binary's PostgreSQL server goes when its tests are done (started by the first test that needs it).
inline ::testing::Environment* const kPostgresEnvironment = ::testing::AddGlobalTestEnvironment(new test::PostgresEnvironment);

#define INSTANTIATE_BACKENDS(Suite) \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::Values(Backend::Sqlite, Backend::Postgres), backend_name)

}  // namespace tb::store
