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
    EXPECT_EQ(*v, std::vector<int>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}));
    ASSERT_TRUE(store->create_user("a@example.com", "h").ok());
  }
  for (int i = 0; i < 2; ++i) {
    auto store = open_store(db.path(), clock);
    ASSERT_TRUE(store);
    EXPECT_EQ(*store->applied_migrations(), std::vector<int>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}));
    auto u = store->find_user_by_email("a@example.com");  // data survives the reopen untouched
    ASSERT_TRUE(u.ok());
    EXPECT_TRUE(u->has_value());
  }
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM schema_migrations"), 20);
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
  EXPECT_EQ(*store->applied_migrations(),
            std::vector<int>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 100, 101}));
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
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM schema_migrations"), 20);  // 1 to 20 went in, 100 did not
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM sqlite_master WHERE name = 'half'"), 0);
}

// Version 8 kept balances, steps and results as JSON text; 9 turns the rows a version 8 server wrote into
// typed rows: decimals keep their text, ISO times become ms, a result without a reason has none.
TEST(Migration9, JsonBlobsOfAVersion8DatabaseBecomeTypedRows) {
  TempDb db;
  ManualClock clock;
  int64_t uid = 0;
  {
    auto v8 = open_store_at(db.path(), clock, 8);
    ASSERT_TRUE(v8);
    uid = v8->create_user("ann@example.com", "h")->id;
  }
  exec_sql(db.path(),
           "INSERT INTO accounts (id, user_id, name, venue, masked_key, status, reason, balances, usd_total, created_at, updated_at) "
           "VALUES (7, " +
               std::to_string(uid) +
               ", 'Main', 'binance_futures', 'abcd…wxyz', 'enabled', '', "
               "'{\"balances\":[{\"asset\":\"USDT\",\"total\":\"10000.50\",\"free\":\"9000\",\"used\":\"1000.50\"},"
               "{\"asset\":\"BTC\",\"total\":\"0.00100000\",\"free\":\"0.001\",\"used\":\"0\"}],"
               "\"positions\":[{\"symbol\":\"BTCUSDT\",\"amount\":\"-0.010\",\"entry_price\":\"65000.5\","
               "\"unrealized_pnl\":\"1.25\",\"leverage\":\"5\"},{\"symbol\":\"ETHUSDT\",\"amount\":\"1\","
               "\"entry_price\":\"3000\",\"unrealized_pnl\":\"0\",\"leverage\":null}]}', '10000.5', 1, 2), "
               "(8, " +
               std::to_string(uid) +
               ", 'Empty', 'kraken', 'abcd…wxyz', 'testing', '', '{}', '0', 1, 2);"
               "INSERT INTO key_tests (id, account_id, steps, outcome, started_at, finished_at, result) VALUES "
               "(3, 7, '[{\"name\":\"permissions\",\"state\":\"ok\",\"message\":\"fine\",\"duration_ms\":51},"
               "{\"name\":\"test_order\",\"state\":\"failed\",\"message\":\"too little\",\"duration_ms\":9}]', "
               "'insufficient_funds', 10, 20, '{\"reason_code\":\"insufficient_funds\",\"message\":\"Add funds.\","
               "\"warnings\":[\"no IP restriction\",\"expires\"],\"trading_expires_at\":\"2023-12-11T00:00:00.250Z\"}'), "
               "(4, 8, '[{\"name\":\"balances\",\"state\":\"waiting\",\"message\":\"wait 60 s\",\"duration_ms\":0}]', "
               "'deferred', 30, 40, '{\"reason_code\":\"exchange_unavailable\",\"message\":\"busy\",\"warnings\":[],"
               "\"retry_at\":\"2026-11-26T12:38:47.123Z\"}'), "
               "(5, 8, '[]', 'enabled', 50, 60, '{\"reason_code\":null,\"message\":\"\",\"warnings\":[]}'), "
               "(6, 8, '[]', '', 70, NULL, '{}');");

  auto store = open_store(db.path(), clock);
  ASSERT_TRUE(store);
  auto main = store->find_account(7);
  ASSERT_TRUE(main.ok() && main->has_value());
  const Portfolio& p = (*main)->portfolio;
  ASSERT_EQ(p.balances.size(), 2u);
  EXPECT_EQ(p.balances[0].asset, "USDT");
  EXPECT_EQ(p.balances[0].total.to_string(), "10000.50");
  EXPECT_EQ(p.balances[0].free.to_string(), "9000");
  EXPECT_EQ(p.balances[0].used.to_string(), "1000.50");
  EXPECT_EQ(p.balances[1].asset, "BTC");
  EXPECT_EQ(p.balances[1].total.to_string(), "0.00100000");
  ASSERT_EQ(p.positions.size(), 2u);
  EXPECT_EQ(p.positions[0].symbol, "BTCUSDT");
  EXPECT_EQ(p.positions[0].amount.to_string(), "-0.010");
  EXPECT_EQ(p.positions[0].entry_price.to_string(), "65000.5");
  EXPECT_EQ(p.positions[0].unrealized_pnl.to_string(), "1.25");
  ASSERT_TRUE(p.positions[0].leverage.has_value());
  EXPECT_EQ(p.positions[0].leverage->to_string(), "5");
  EXPECT_FALSE(p.positions[1].leverage.has_value());
  EXPECT_EQ((*main)->usd_total.to_string(), "10000.5");
  auto empty = store->find_account(8);
  ASSERT_TRUE(empty.ok() && empty->has_value());
  EXPECT_TRUE((*empty)->portfolio.balances.empty());

  auto refused = store->find_key_test(3);
  ASSERT_TRUE(refused.ok() && refused->has_value());
  const KeyTest& t = **refused;
  ASSERT_EQ(t.steps.size(), 2u);
  EXPECT_EQ(t.steps[0], (KeyTestStep{StepName::Permissions, StepState::Ok, "fine", 51}));
  EXPECT_EQ(t.steps[1], (KeyTestStep{StepName::TestOrder, StepState::Failed, "too little", 9}));
  EXPECT_EQ(t.outcome, "insufficient_funds");
  EXPECT_EQ(t.reason, InvalidReason::InsufficientFunds);
  EXPECT_EQ(t.message, "Add funds.");
  EXPECT_EQ(t.warnings, (std::vector<std::string>{"no IP restriction", "expires"}));
  EXPECT_EQ(t.trading_expires_ms, 1'702'252'800'250);
  EXPECT_FALSE(t.retry_at_ms.has_value());

  auto deferred = **store->find_key_test(4);
  EXPECT_EQ(deferred.reason, InvalidReason::ExchangeUnavailable);
  EXPECT_EQ(deferred.retry_at_ms, 1'795'696'727'123);
  ASSERT_EQ(deferred.steps.size(), 1u);
  EXPECT_EQ(deferred.steps[0].state, StepState::Waiting);
  EXPECT_TRUE(deferred.warnings.empty());
  auto enabled = **store->find_key_test(5);
  EXPECT_EQ(enabled.reason, InvalidReason::None);
  EXPECT_FALSE(enabled.trading_expires_ms.has_value());
  auto running = **store->find_key_test(6);
  EXPECT_EQ(running.reason, InvalidReason::None);
  EXPECT_EQ(running.finished_ms, std::nullopt);
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM pragma_table_info('accounts') WHERE name = 'balances'"), 0);
  EXPECT_EQ(count_rows(db.path(), "SELECT count(*) FROM pragma_table_info('key_tests') WHERE name IN ('steps', 'result')"), 0);
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

// The details of EXPLAIN QUERY PLAN for `sql`, with the foreign keys' actions (as the store runs them).
std::vector<std::string> plan_of(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(db, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  std::vector<std::string> out;
  EXPECT_EQ(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  while (s && sqlite3_step(s) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 3)));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

bool scans(const std::vector<std::string>& plan, const std::string& table) {
  return std::any_of(plan.begin(), plan.end(), [&](const std::string& step) { return step.rfind("SCAN " + table, 0) == 0; });
}

// The tables that grow with every fill are never scanned whole by what a user robot's life runs: its
// positions listed (its statistics), and its deletion (positions by cascade, its orders' user_robot_id set to
// NULL). Each was a scan. A position's own deletion touches no order at all: an order names the position
// its fill moved without a key (migration 19).
TEST(SqliteSchema, AUserRobotsPositionsAndDeletionUseIndexes) {
  TempDb db;
  ManualClock clock;
  ASSERT_TRUE(open_store(db.path(), clock));
  auto listed = plan_of(db.path(), "SELECT id FROM robot_positions WHERE user_robot_id = 1 ORDER BY id DESC LIMIT 100");
  ASSERT_FALSE(listed.empty());
  EXPECT_FALSE(scans(listed, "robot_positions")) << ::testing::PrintToString(listed);
  for (const char* sql : {"DELETE FROM user_robots WHERE id = 1", "DELETE FROM robot_positions WHERE id = 1"}) {
    auto plan = plan_of(db.path(), sql);
    ASSERT_FALSE(plan.empty()) << sql;
    EXPECT_FALSE(scans(plan, "orders")) << sql << ": " << ::testing::PrintToString(plan);
    EXPECT_FALSE(scans(plan, "robot_positions")) << sql << ": " << ::testing::PrintToString(plan);
  }
  EXPECT_GE(plan_of(db.path(), "DELETE FROM user_robots WHERE id = 1").size(), 2u);  // the row itself and the foreign keys' steps
  for (const std::string& step : plan_of(db.path(), "DELETE FROM robot_positions WHERE id = 1"))
    EXPECT_EQ(step.find("orders"), std::string::npos) << step;
}

TEST(SqliteStoreFile, UnwritablePlaceIsAClearError) {
  ManualClock clock;
  auto s = SqliteStore::open("/nonexistent-dir/x/tb.db", clock);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("store: cannot create"), std::string::npos);
}

}  // namespace
}  // namespace tb::store
