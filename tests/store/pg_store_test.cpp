// The PostgreSQL store's own: its migrations (the same versions as SQLite's, applied once when processes start
// together, a failed one leaving nothing), its pool, its connection errors, and job claims that skip locked rows.
#include <thread>

#include "store/backends.hpp"
#include "store/pg/pg_migrations.hpp"

namespace tb::store {
namespace {

std::vector<int> versions(const std::vector<Migration>& ms) {
  std::vector<int> out;
  for (const auto& m : ms) out.push_back(m.version);
  return out;
}

TEST(PostgresMigrations, TheSameNumberedMigrationsAsSqlite) {
  EXPECT_EQ(versions(postgres_migrations()), versions(sqlite_migrations()));
  for (size_t i = 0; i < postgres_migrations().size() && i < sqlite_migrations().size(); ++i)
    EXPECT_EQ(postgres_migrations()[i].name, sqlite_migrations()[i].name);
}

TEST(PostgresMigrations, ProcessesStartingTogetherMigrateOnce) {
  const std::string db = test::PostgresEnvironment::server().fresh_database();
  ManualClock clock;
  constexpr int kProcesses = 4;
  std::vector<std::unique_ptr<Store>> stores(kProcesses);
  std::vector<std::string> errors(kProcesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i)
    threads.emplace_back([&, i] {
      auto s = open_postgres_store(db, 2, clock);
      if (s) stores[i] = std::move(*s);
      else errors[i] = s.error().describe();
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < kProcesses; ++i) ASSERT_TRUE(stores[i]) << errors[i];
  auto applied = postgres_applied_migrations(*stores[0]);
  ASSERT_TRUE(applied.ok()) << applied.error().describe();
  EXPECT_EQ(*applied, versions(sqlite_migrations()));
  ASSERT_TRUE(stores[1]->create_user("ann@example.com", "h").ok());
  EXPECT_TRUE(stores[2]->find_user_by_email("ANN@example.com")->has_value());
}

// What /healthz and `db status` report: every migration applied, none pending (it was "unavailable" before).
TEST(PostgresMigrations, TheSchemaStatusListsTheAppliedOnes) {
  ManualClock clock;
  auto store = open_postgres_store(test::PostgresEnvironment::server().fresh_database(), 2, clock);
  ASSERT_TRUE(store.ok()) << store.error().describe();
  auto status = (*store)->schema_status();
  ASSERT_TRUE(status.ok()) << status.error().describe();
  EXPECT_EQ(status->backend, "postgresql");
  std::vector<int> applied;
  for (const auto& a : status->applied) applied.push_back(a.version);
  EXPECT_EQ(applied, versions(postgres_migrations()));
  EXPECT_EQ(status->applied.front().name, postgres_migrations().front().name);
  EXPECT_TRUE(status->up_to_date());
  EXPECT_TRUE(status->unknown.empty());
  EXPECT_EQ(status->version(), postgres_migrations().back().version);
}

TEST(PostgresMigrations, AFailedMigrationLeavesNothingAndStopsTheOpen) {
  const std::string db = test::PostgresEnvironment::server().fresh_database();
  ManualClock clock;
  PostgresOptions o;
  o.migrations = postgres_migrations();
  o.migrations.push_back({100, "half", "CREATE TABLE half_done (x BIGINT); SELECT no_such_function();"});
  auto failed = open_postgres_store(db, clock, o);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, ErrorKind::Internal);
  EXPECT_NE(failed.error().message.find("migration 100 (half) failed"), std::string::npos) << failed.error().message;
  auto store = open_postgres_store(db, 2, clock);  // the good ones stayed; the half one left no table
  ASSERT_TRUE(store.ok()) << store.error().describe();
  EXPECT_EQ(*postgres_applied_migrations(**store), versions(sqlite_migrations()));
  o.migrations = {{101, "probe", "CREATE TABLE half_done (x BIGINT)"}};
  EXPECT_TRUE(open_postgres_store(db, clock, o).ok());  // would fail had half_done survived
}

TEST(PostgresStore, AWrongAddressIsAClearErrorAtOpen) {
  ManualClock clock;
  auto s = open_postgres_store(test::PostgresEnvironment::server().conninfo("no_such_database"), 2, clock);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::Internal);
  EXPECT_EQ(s.error().message.rfind("store: cannot connect to PostgreSQL", 0), 0u) << s.error().message;
  auto zero = open_postgres_store(test::PostgresEnvironment::server().fresh_database(), 0, clock);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.error().field, "pool_size");
}

// A pool of one connection: a call waits for the connection instead of failing, and a transaction's
// connection comes back to the pool whatever happened in it.
TEST(PostgresStore, ThreadsShareAPoolOfOneAndAThrowingTransactionGivesItsConnectionBack) {
  ManualClock clock;
  auto s = open_postgres_store(test::PostgresEnvironment::server().fresh_database(), 1, clock);
  ASSERT_TRUE(s.ok()) << s.error().describe();
  Store& store = **s;
  EXPECT_THROW(store.with_transaction([](Store& t) -> Status {
    EXPECT_TRUE(t.create_user("gone@example.com", "h").ok());
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_FALSE(store.find_user_by_email("gone@example.com")->has_value());
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i)
        if (!store.create_user("u" + std::to_string(t) + "-" + std::to_string(i) + "@example.com", "h").ok()) ++errors;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_TRUE(store.find_user_by_email("u3-24@example.com")->has_value());
}

// A claim passes over a job another process is claiming (its row locked in an open transaction) and takes
// the next one at once: FOR UPDATE SKIP LOCKED. Without it the second claim would wait for the first
// transaction, which waits for it here: the lock timeout turns that into a failure instead of a hang.
TEST(PostgresJobs, AClaimSkipsAJobAnotherTransactionIsClaiming) {
  const std::string db = test::PostgresEnvironment::server().fresh_database();
  ManualClock clock;
  auto a = open_postgres_store(db, 2, clock);
  auto b = open_postgres_store(db + " options='-c lock_timeout=3000'", 2, clock);
  ASSERT_TRUE(a.ok() && b.ok());
  auto first = (*a)->enqueue_job("key_test", "1", clock.now_ms());
  auto second = (*a)->enqueue_job("key_test", "2", clock.now_ms());
  ASSERT_TRUE(first.ok() && second.ok());
  std::optional<Job> got_b;
  auto st = (*a)->with_transaction([&](Store& s) -> Status {
    auto mine = s.claim_job("key_test", "a", 60'000);
    if (!mine) return mine.error();
    EXPECT_EQ((*mine)->id, *first);
    auto other = (*b)->claim_job("key_test", "b", 60'000);  // another connection, while a's claim is uncommitted
    if (!other) return other.error();
    got_b = *other;
    return ok_status();
  });
  ASSERT_TRUE(st.ok()) << st.error().describe();
  ASSERT_TRUE(got_b.has_value());
  EXPECT_EQ(got_b->id, *second);
  EXPECT_FALSE((*b)->claim_job("key_test", "b", 60'000)->has_value());  // a's claim is committed now
  EXPECT_EQ(*(*a)->job_holders(), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace tb::store
