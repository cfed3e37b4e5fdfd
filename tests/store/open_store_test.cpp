// open_store: the one door from a DatabaseUrl to a Store. SQLite opens (and migrates, or not when asked);
// a postgresql:// URL is refused while no PostgreSQL backend registered its opener, and reaches the opener
// once one did. schema_status says what is applied, pending and unknown.
#include <gtest/gtest.h>

#include "store/open_store.hpp"
#include "store/temp_db.hpp"

namespace tb::store {
namespace {

TEST(OpenStore, SqliteOpensAndMigratesTheFile) {
  TempDb db;
  ManualClock clock{1'700'000'000'000};
  auto s = open_store(DatabaseUrl::sqlite(db.path()), clock);
  ASSERT_TRUE(s.ok()) << s.error().describe();
  auto status = (*s)->schema_status();
  ASSERT_TRUE(status.ok()) << status.error().describe();
  EXPECT_EQ(status->backend, "sqlite");
  EXPECT_TRUE(status->up_to_date());
  EXPECT_EQ(status->applied.size(), sqlite_migrations().size());
  EXPECT_EQ(status->applied.front().version, 1);
  EXPECT_EQ(status->applied.front().applied_at_ms, 1'700'000'000'000);
  EXPECT_TRUE(status->unknown.empty());
  EXPECT_GE(status->version(), 10);
}

TEST(OpenStore, WithoutMigrateTheSchemaStaysAsFoundAndStatusListsWhatIsPending) {
  TempDb db;
  ManualClock clock{1'700'000'000'000};
  auto s = open_store(DatabaseUrl::sqlite(db.path()), clock, OpenStoreOptions{.migrate = false});
  ASSERT_TRUE(s.ok()) << s.error().describe();
  auto status = (*s)->schema_status();
  ASSERT_TRUE(status.ok()) << status.error().describe();
  EXPECT_EQ(status->version(), 0);
  EXPECT_EQ(status->pending.size(), sqlite_migrations().size());
  EXPECT_FALSE(status->up_to_date());
  EXPECT_EQ(status->pending.front().version, 1);
}

TEST(OpenStore, AMigrationThisBinaryDoesNotKnowIsReportedUnknown) {
  TempDb db;
  ManualClock clock{1'700'000'000'000};
  ASSERT_TRUE(open_store(DatabaseUrl::sqlite(db.path()), clock).ok());
  exec_sql(db.path(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from the future', 1)");
  auto s = open_store(DatabaseUrl::sqlite(db.path()), clock, OpenStoreOptions{.migrate = false});
  ASSERT_TRUE(s.ok());
  auto status = (*s)->schema_status();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->unknown, std::vector<int>{9999});
  EXPECT_EQ(status->version(), 9999);
}

TEST(OpenStore, PostgresqlWithoutItsBackendIsRefusedSayingSoWithoutThePassword) {
  register_postgresql_opener({});  // as a build without it
  EXPECT_FALSE(postgresql_built_in());
  auto url = DatabaseUrl::parse("postgresql://ann:Secret-pw-1@db:5432/tb");
  ASSERT_TRUE(url.ok());
  ManualClock clock{0};
  auto s = open_store(*url, clock);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("PostgreSQL backend is not built into this binary"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("postgresql://ann:****@db:5432/tb"), std::string::npos) << s.error().message;
  EXPECT_EQ(s.error().message.find("Secret-pw-1"), std::string::npos);
  register_postgresql_opener(open_postgres_url);
}

TEST(OpenStore, PostgresqlReachesARegisteredOpener) {
  TempDb db;
  std::string seen;
  bool migrate = false;
  register_postgresql_opener([&](const DatabaseUrl& url, const Clock& clock, const OpenStoreOptions& o) -> Result<std::unique_ptr<Store>> {
    seen = url.postgres.host + "/" + url.postgres.dbname;
    migrate = o.migrate;
    return open_store(DatabaseUrl::sqlite(db.path()), clock, o);  // a stand-in backend
  });
  EXPECT_TRUE(postgresql_built_in());
  auto url = DatabaseUrl::parse("postgresql://ann@db/tb");
  ASSERT_TRUE(url.ok());
  ManualClock clock{0};
  auto s = open_store(*url, clock);
  register_postgresql_opener(open_postgres_url);
  ASSERT_TRUE(s.ok()) << s.error().describe();
  EXPECT_EQ(seen, "db/tb");
  EXPECT_TRUE(migrate);
}

TEST(OpenStore, PostgresqlIsBuiltInAndItsConnectionStringQuotesEveryValue) {
  EXPECT_TRUE(postgresql_built_in());
  auto url = DatabaseUrl::parse("postgresql://ann:it%27s%5Cpw@db.example:6543/tb?sslmode=require");
  ASSERT_TRUE(url.ok()) << url.error().describe();
  EXPECT_EQ(postgres_conninfo(url->postgres),
            "host='db.example' port='6543' dbname='tb' user='ann' password='it\\'s\\\\pw' sslmode='require'");
}

}  // namespace
}  // namespace tb::store
