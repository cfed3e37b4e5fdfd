// The private SQLite layer: statement cache and error mapping.
#include "store/sqlite_db.hpp"

#include <fstream>

#include "store/temp_db.hpp"

namespace tb::store {
namespace {

TEST(SqliteDb, TheSameQueryOpenTwiceIteratesIndependently) {
  TempDb tmp;
  auto db = SqliteDb::open(tmp.path(), 1000);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);").ok());
  const char* sql = "SELECT x FROM t ORDER BY x";
  std::vector<std::pair<int64_t, int64_t>> pairs;
  {
    auto outer = (*db)->prepare(sql);
    ASSERT_TRUE(outer.ok());
    while (*outer->step()) {
      auto inner = (*db)->prepare(sql);  // the cached one is busy: a private one is made
      ASSERT_TRUE(inner.ok());
      while (*inner->step()) pairs.emplace_back(outer->int_at(0), inner->int_at(0));
    }
  }
  EXPECT_EQ(pairs.size(), 9u);
  EXPECT_EQ(pairs.front(), std::make_pair(int64_t{1}, int64_t{1}));
  EXPECT_EQ(pairs.back(), std::make_pair(int64_t{3}, int64_t{3}));
  auto again = (*db)->prepare(sql);  // the cached one is free again, and reset
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(*again->step());
  EXPECT_EQ(again->int_at(0), 1);
}

TEST(SqliteDb, AFileThatIsNotADatabaseIsAStoreError) {
  TempDb tmp;
  std::ofstream(tmp.path()) << "this is not an SQLite file, and it is long enough to have a header......";
  ManualClock clock;
  auto s = SqliteStore::open(tmp.path(), clock);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::Internal);
  EXPECT_EQ(s.error().message.rfind("store: ", 0), 0u) << s.error().message;
  EXPECT_EQ(s.error().venue_code, "26");  // SQLITE_NOTADB
}

TEST(SqliteDb, AConflictNeverEchoesTheValues) {
  TempDb tmp;
  ManualClock clock;
  auto store = open_store(tmp.path(), clock);
  ASSERT_TRUE(store);
  auto u = store->create_user("ann@example.com", "h");
  Account a;
  a.user_id = u->id;
  a.name = "Kraken";
  a.venue = "kraken";
  auto r = store->create_account(a, {{0, "secret", "SEALED-SECRET-TEXT", 1}, {0, "secret", "SEALED-SECRET-TEXT", 1}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().describe().find("SEALED-SECRET-TEXT"), std::string::npos) << r.error().describe();
  EXPECT_EQ(r.error().message, "field: already in use");
}

}  // namespace
}  // namespace tb::store
