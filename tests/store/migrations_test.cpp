#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>

#include "store/temp_db.hpp"

namespace tb::store {
namespace {

unsigned file_mode(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

int64_t count_rows(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
    n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return n;
}

// The versions this build ships, in order: the runner applies exactly these (they need not be contiguous:
// branches land their numbers in any order).
std::vector<int> shipped_versions() {
  std::vector<int> v;
  for (const auto& m : sqlite_migrations()) v.push_back(m.version);
  std::sort(v.begin(), v.end());
  return v;
}

TEST(SqliteMigrations, ShipTheInitialSchemaAndTheSessionsLastSeen) {
  auto v = shipped_versions();
  EXPECT_EQ(std::vector<int>(v.begin(), v.begin() + 3), std::vector<int>({1, 2, 3}));
  EXPECT_NE(std::find(v.begin(), v.end(), 5), v.end());
  EXPECT_EQ(std::adjacent_find(v.begin(), v.end()), v.end());  // no version twice
}

TEST(SqliteMigrations, AppliedOnceAtOpenAndIdempotentOnReopen) {
  TempDb db;
  ManualClock clock;
  {
    auto store = open_store(db.path(), clock);
    ASSERT_TRUE(store);
    auto v = store->applied_migrations();
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(*v, std::vector<int>({1, 2, 3, 4, 5, 6, 7, 8}));
    ASSERT_TRUE(store->create_user("a@example.com", "h").ok());
  }
  for (int i = 0; i < 2; ++i) {
    auto store = open_store(db.path(), clock);
    ASSERT_TRUE(store);
    EXPECT_EQ(*store->applied_migrations(), std::vector<int>({1, 2, 3, 4, 5, 6, 7, 8}));
    auto u = store->find_user_by_email("a@example.com");  // data survives the reopen untouched
    ASSERT_TRUE(u.ok());
    EXPECT_TRUE(u->has_value());
  }
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM schema_migrations"), 8);
}

TEST(SqliteMigrations, NewMigrationsApplyInVersionOrder) {
  TempDb db;
  ManualClock clock;
  ASSERT_TRUE(open_store(db.path(), clock));
  SqliteOptions o;
  // Given out of order: 101 depends on 100's table, so only version order works.
  o.migrations.push_back({101, "fill", "INSERT INTO extra (x) VALUES (42);"});
  o.migrations.push_back({100, "extra", "CREATE TABLE extra (x INTEGER);"});
  auto store = open_store(db.path(), clock, o);
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->applied_migrations(), std::vector<int>({1, 2, 3, 4, 5, 6, 7, 8, 100, 101}));
  store.reset();
  ASSERT_TRUE(open_store(db.path(), clock, o));  // nothing applied twice
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM extra"), 1);
}

TEST(SqliteMigrations, AFailingMigrationLeavesNothingBehindAndOpenFails) {
  TempDb db;
  ManualClock clock;
  SqliteOptions o;
  o.migrations.push_back({100, "half", "CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);"});
  auto store = SqliteStore::open(db.path(), clock, o);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("migration 100 (half) failed"), std::string::npos) << store.error().message;
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM schema_migrations"), 8);  // 1 to 8 went in, 100 did not
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM sqlite_master WHERE name = 'half'"), 0);
}

TEST(SqliteStoreFile, CreatedWithMode0600IncludingWalAndShm) {
  TempDb db;
  ManualClock clock;
  ::umask(022);  // the usual umask would give 0644 if the store left it to the default
  auto store = open_store(db.path(), clock);
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->create_user("a@example.com", "h").ok());  // a write, so -wal and -shm exist
  EXPECT_EQ(file_mode(db.path()), 0600u);
  EXPECT_EQ(file_mode(db.path() + "-wal"), 0600u);
  EXPECT_EQ(file_mode(db.path() + "-shm"), 0600u);
}

TEST(SqliteStoreFile, AnExistingLooseFileIsTightenedTo0600) {
  TempDb db;
  ManualClock clock;
  ASSERT_TRUE(open_store(db.path(), clock));
  ASSERT_EQ(::chmod(db.path().c_str(), 0644), 0);
  ASSERT_TRUE(open_store(db.path(), clock));
  EXPECT_EQ(file_mode(db.path()), 0600u);
}

TEST(SqliteStoreFile, UsesWalAndForeignKeys) {
  TempDb db;
  ManualClock clock;
  auto store = open_store(db.path(), clock);
  ASSERT_TRUE(store);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &s, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  sqlite3_close(raw);
  // Foreign keys are per connection: the store's own refuses an account of a user that does not exist.
  Account a;
  a.user_id = 999;
  a.name = "Kraken";
  a.venue = "kraken";
  auto r = store->create_account(a, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
}

TEST(SqliteStoreFile, UnwritablePlaceIsAClearError) {
  ManualClock clock;
  auto s = SqliteStore::open("/nonexistent-dir/x/tb.db", clock);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("store: cannot create"), std::string::npos);
}

}  // namespace
}  // namespace tb::store
