// `db copy` (issue 14 part 3): a store populated through the Store API copied SQLite -> PostgreSQL and back,
// PostgreSQL -> SQLite, and SQLite -> SQLite: every table row for row, the API's answers alike, sealed secrets
// as bytes, ids kept and id generators past the source's (new rows take the ids the source would give them);
// a non-empty target refused naming its tables unless --force; a source at another schema version refused
// naming both versions; a failed copy leaves the target as it was. PostgreSQL tests are named Postgres*.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/db_copy.hpp"
#include "store/db_copy_check.hpp"
#include "store/temp_db.hpp"
#include "support/postgres_server.hpp"

namespace tb::store {
namespace {

using namespace test_data;

// The binary's PostgreSQL server, started by the first test that asks (backends.hpp registers the same).
::testing::Environment* const kPostgres = ::testing::AddGlobalTestEnvironment(new test::PostgresEnvironment);

DatabaseUrl pg_url() {
  auto url = DatabaseUrl::parse(test::PostgresEnvironment::server().fresh_database_url());
  EXPECT_TRUE(url.ok());
  return std::move(*url);
}

class DbCopy : public ::testing::Test {
 protected:
  DatabaseUrl sqlite_url(const std::string& name) const { return DatabaseUrl::sqlite((dir_.dir() / name).string()); }
  // A database at `url` populated through the Store API.
  Populated populate_at(const DatabaseUrl& url) {
    auto s = open_store(url, clock_);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().describe());
    return s.ok() ? populate(**s, clock_) : Populated{};
  }
  CopyReport copied(const DatabaseUrl& from, const DatabaseUrl& to, bool force = false) {
    CopyOptions o;
    o.force = force;
    o.batch_rows = 2;  // several batches per table
    auto r = copy_database(from, to, clock_, o);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().describe());
    return r.ok() ? *r : CopyReport{};
  }
  // Tables equal, API answers equal, and the same rows added to both get the same ids.
  void expect_same_installation(const DatabaseUrl& from, const DatabaseUrl& to, const Populated& p) {
    EXPECT_GE(expect_same_tables(from, to, true), 28u);
    auto a = store_of(from, clock_);
    auto b = store_of(to, clock_);
    ASSERT_TRUE(a && b);
    const std::string answers = api_answers(*a, p);
    EXPECT_NE(answers.find("secret secret v1.nonce.cipher-secret v2"), std::string::npos) << answers;
    EXPECT_EQ(answers, api_answers(*b, p));
    const std::string ids = ids_of_new_rows(*a, p);
    EXPECT_NE(ids.find("account " + std::to_string(p.deleted_account + 1)), std::string::npos) << "a deleted account's id reused: " << ids;
    EXPECT_NE(ids.find("order " + std::to_string(p.deleted_order + 1)), std::string::npos) << "a deleted order's id reused: " << ids;
    EXPECT_NE(ids.find("position " + std::to_string(p.deleted_position + 1)), std::string::npos)
        << "a deleted position's id reused: " << ids;
    EXPECT_EQ(ids, ids_of_new_rows(*b, p));
  }

  TempDb dir_;
  ManualClock clock_{1'700'000'000'000};
};

TEST_F(DbCopy, SqliteToSqliteCopiesEveryTableCountsEachAndKeepsTheIds) {
  const auto from = sqlite_url("a.db"), to = sqlite_url("b.db");
  const Populated p = populate_at(from);
  std::vector<std::string> progress;
  CopyOptions o;
  o.on_table = [&](const TableCount& t) { progress.push_back(t.table); };
  auto report = copy_database(from, to, clock_, o);
  ASSERT_TRUE(report.ok()) << report.error().describe();
  EXPECT_EQ(report->schema_version, sqlite_migrations().back().version);
  EXPECT_FALSE(report->emptied);
  EXPECT_EQ(progress.size(), report->tables.size());
  auto pos = [&](const std::string& t) { return std::find(progress.begin(), progress.end(), t) - progress.begin(); };
  EXPECT_LT(pos("users"), pos("accounts"));  // parents first
  EXPECT_LT(pos("user_robots"), pos("orders"));
  for (const auto& t : report->tables) {
    EXPECT_EQ(t.source_rows, t.target_rows) << t.table;
    EXPECT_GT(t.source_rows, 0) << t.table;
  }
  EXPECT_EQ((std::filesystem::status(to.sqlite_path).permissions() & std::filesystem::perms::all),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  expect_same_installation(from, to, p);
}

TEST_F(DbCopy, ANonEmptyTargetIsRefusedNamingItsTablesAndForceEmptiesItFirst) {
  const auto from = sqlite_url("a.db"), to = sqlite_url("b.db");
  const Populated p = populate_at(from);
  {
    auto t = open_store(to, clock_);
    ASSERT_TRUE(t.ok());
    ASSERT_TRUE((*t)->create_user("carol@example.com", "$argon2id$carol").ok());
  }
  auto refused = copy_database(from, to, clock_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::InvalidArgument);
  EXPECT_NE(refused.error().message.find("not empty: users (1 row)"), std::string::npos) << refused.error().message;
  EXPECT_NE(refused.error().message.find("--force"), std::string::npos);

  auto report = copied(from, to, true);
  EXPECT_TRUE(report.emptied);
  auto t = store_of(to, clock_);
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->find_user_by_email("carol@example.com")->has_value());
  t.reset();
  expect_same_installation(from, to, p);
}

TEST_F(DbCopy, ASourceAtAnotherSchemaVersionIsRefusedNamingBothAndTheTargetIsNotMade) {
  const auto from = sqlite_url("old.db"), to = sqlite_url("b.db");
  SqliteOptions o;
  o.migrations.pop_back();
  ASSERT_TRUE(SqliteStore::open(from.sqlite_path, clock_, o).ok());
  const int latest = sqlite_migrations().back().version;
  auto r = copy_database(from, to, clock_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
  EXPECT_NE(r.error().message.find("source is at schema version " + std::to_string(latest - 1)), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("version " + std::to_string(latest)), std::string::npos) << r.error().message;
  EXPECT_FALSE(std::filesystem::exists(to.sqlite_path));
}

TEST_F(DbCopy, TheSameDatabaseOrAMissingSourceIsRefused) {
  const auto from = sqlite_url("a.db");
  populate_at(from);
  auto same = copy_database(from, DatabaseUrl::sqlite((dir_.dir() / "." / "a.db").string()), clock_, {.force = true});
  ASSERT_FALSE(same.ok());
  EXPECT_NE(same.error().message.find("the same database"), std::string::npos) << same.error().message;
  auto missing = copy_database(sqlite_url("none.db"), sqlite_url("b.db"), clock_);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no database at"), std::string::npos) << missing.error().message;
  EXPECT_FALSE(std::filesystem::exists(sqlite_url("none.db").sqlite_path));
}

TEST(DbCopyPlan, TablesComeAfterTheTablesTheyNameAndACycleIsRefused) {
  auto order = copy::parents_first({{"orders", {"accounts", "user_robots"}},
                                    {"accounts", {"users"}},
                                    {"user_robots", {"accounts", "user_robots"}},
                                    {"users", {}},
                                    {"audit_log", {"gone"}}});
  ASSERT_TRUE(order.ok()) << order.error().describe();
  EXPECT_EQ(*order, (std::vector<std::string>{"audit_log", "users", "accounts", "user_robots", "orders"}));
  auto cycle = copy::parents_first({{"a", {"b"}}, {"b", {"a"}}});
  ASSERT_FALSE(cycle.ok());
  EXPECT_NE(cycle.error().message.find("cycle"), std::string::npos);
}

TEST(DbCopyPlan, AnIdentityColumnOnOneSideOnlyPairsWithSqlitesRowidAndAnyOtherIsNamed) {
  const std::vector<copy::Column> sqlite = {{"token_hash", copy::Kind::Text, false}, {"user_id", copy::Kind::Integer, false}};
  const std::vector<copy::Column> pg = {
      {"token_hash", copy::Kind::Text, false}, {"user_id", copy::Kind::Integer, false}, {"seq", copy::Kind::Integer, true}};
  auto names = [](const std::vector<copy::ColumnRef>& refs) {
    std::string out;
    for (const auto& r : refs) out += (r.rowid ? "[rowid]" : r.name) + " ";
    return out;
  };
  auto up = copy::pair_columns("sessions", sqlite, true, pg, false);
  ASSERT_TRUE(up.ok()) << up.error().describe();
  EXPECT_EQ(names(up->source), "token_hash user_id [rowid] ");
  EXPECT_EQ(names(up->target), "token_hash user_id seq ");
  auto down = copy::pair_columns("sessions", pg, false, sqlite, true);
  ASSERT_TRUE(down.ok()) << down.error().describe();
  EXPECT_EQ(names(down->source), "token_hash user_id seq ");
  EXPECT_EQ(names(down->target), "token_hash user_id [rowid] ");
  auto without_rowid = copy::pair_columns("sessions", sqlite, false, pg, false);
  ASSERT_FALSE(without_rowid.ok());
  EXPECT_NE(without_rowid.error().message.find("column seq is in the target but not in the source"), std::string::npos);
  auto extra = copy::pair_columns("t", {{"a", copy::Kind::Text, false}, {"b", copy::Kind::Text, false}}, true,
                                  {{"a", copy::Kind::Text, false}}, true);
  ASSERT_FALSE(extra.ok());
  EXPECT_NE(extra.error().message.find("table t: column b is in the source but not in the target"), std::string::npos);
}

// The PostgreSQL half, named so store_tests_postgres runs it (and the SQLite-only run leaves it out).
class PostgresDbCopy : public DbCopy {};

TEST(DbCopyCounts, ATableWhoseCountsDifferIsNamed) {
  EXPECT_TRUE(check_counts({{"users", 3, 3}, {"accounts", 0, 0}}).ok());
  auto st = check_counts({{"users", 3, 3}, {"accounts", 2, 1}, {"orders", 1, 0}});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::Internal);
  EXPECT_NE(st.error().message.find("table accounts has 2 rows in the source but 1 row in the target"), std::string::npos)
      << st.error().message;
}

TEST_F(PostgresDbCopy, FromSqliteAndBackAgainIsTheSameInstallation) {
  const auto from = sqlite_url("a.db"), pg = pg_url(), back = sqlite_url("back.db");
  const Populated p = populate_at(from);
  auto report = copied(from, pg);
  EXPECT_GE(report.rows(), 28);
  EXPECT_GE(expect_same_tables(from, pg, true), 28u);
  copied(pg, back);
  expect_same_tables(pg, back, true);
  expect_same_installation(from, back, p);
}

TEST_F(PostgresDbCopy, CopyKeepsTheIdsAndAdvancesTheSequences) {
  const auto from = sqlite_url("a.db"), pg = pg_url();
  const Populated p = populate_at(from);
  copied(from, pg);
  expect_same_installation(from, pg, p);
}

TEST_F(PostgresDbCopy, ToSqliteCopiesAStorePopulatedOnPostgres) {
  const auto pg = pg_url(), to = sqlite_url("b.db");
  const Populated p = populate_at(pg);
  copied(pg, to);
  expect_same_installation(pg, to, p);
}

TEST_F(PostgresDbCopy, TargetWithRowsIsRefusedThenForcedAndAFailedCopyRollsBack) {
  const auto from = sqlite_url("a.db"), pg = pg_url();
  const Populated p = populate_at(from);
  copied(from, pg);
  auto refused = copy_database(from, pg, clock_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("users (3 rows)"), std::string::npos) << refused.error().message;

  // A value PostgreSQL cannot take (SQLite keeps any text in an INTEGER column): the copy fails on that
  // table and the forced copy's emptying is rolled back with it.
  exec_sql(from.sqlite_path, "UPDATE venue_limits SET used = 'lots'");
  auto failed = copy_database(from, pg, clock_, {.force = true});
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("venue_limits"), std::string::npos) << failed.error().message;
  auto t = store_of(pg, clock_);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->list_accounts(p.ann)->size(), 1u) << "the failed copy emptied the target";
  t.reset();

  exec_sql(from.sqlite_path, "UPDATE venue_limits SET used = 37");
  EXPECT_TRUE(copied(from, pg, true).emptied);
  expect_same_installation(from, pg, p);
}

}  // namespace
}  // namespace tb::store
