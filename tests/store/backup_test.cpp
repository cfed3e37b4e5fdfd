// backup_sqlite: a copy of a live store (its WAL too), standalone, checked, 0600; refusing an existing
// target without overwrite and a missing source, and leaving no partial file behind.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "store/sqlite_backup.hpp"
#include "store/temp_db.hpp"

namespace tb::store {
namespace {

class BackupTest : public StoreTest {
 protected:
  std::string target() const { return (db_.dir() / "copy.db").string(); }
};

TEST_F(BackupTest, CopiesTheRowsStillInTheWalIntoOneCheckedFile) {
  make_user("ann@example.com");  // committed to the WAL, not yet checkpointed: the copy must hold it anyway
  auto r = backup_sqlite(db_.path(), target(), false);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->integrity, "ok");
  EXPECT_EQ(r->schema_version, sqlite_migrations().back().version);
  EXPECT_EQ(r->bytes, static_cast<int64_t>(std::filesystem::file_size(target())));
  EXPECT_FALSE(std::filesystem::exists(target() + "-wal"));
  struct stat st {};
  ASSERT_EQ(::stat(target().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto copy = open_store(target(), clock_);
  ASSERT_TRUE(copy);
  auto ann = copy->find_user_by_email("ann@example.com");
  ASSERT_TRUE(ann.ok());
  EXPECT_TRUE(ann->has_value());
}

TEST_F(BackupTest, RefusesAnExistingTargetUnlessToldToOverwrite) {
  ASSERT_TRUE(backup_sqlite(db_.path(), target(), false).ok());
  make_user("bob@example.com");
  auto refused = backup_sqlite(db_.path(), target(), false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::InvalidArgument);
  EXPECT_NE(refused.error().message.find("exists: pass --force"), std::string::npos);
  ASSERT_TRUE(backup_sqlite(db_.path(), target(), true).ok());
  auto copy = open_store(target(), clock_);
  ASSERT_TRUE(copy);
  auto bob = copy->find_user_by_email("bob@example.com");
  ASSERT_TRUE(bob.ok());
  EXPECT_TRUE(bob->has_value());
}

TEST_F(BackupTest, AMissingSourceOrFolderIsRefusedAndLeavesNothing) {
  auto none = backup_sqlite((db_.dir() / "absent.db").string(), target(), false);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no database at"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists((db_.dir() / "absent.db")));
  auto nowhere = backup_sqlite(db_.path(), (db_.dir() / "no" / "copy.db").string(), false);
  ASSERT_FALSE(nowhere.ok());
  EXPECT_EQ(nowhere.error().kind, ErrorKind::InvalidArgument);
  for (const auto& f : std::filesystem::directory_iterator(db_.dir()))
    EXPECT_EQ(f.path().filename().string().find(".partial-"), std::string::npos) << f.path();
}

TEST_F(BackupTest, VerifyFindsAFileThatIsNoDatabase) {
  { std::ofstream(target()) << "not a database, only text long enough to be read as a header ......................"; }
  EXPECT_FALSE(verify_sqlite_copy(target()).ok());
}

}  // namespace
}  // namespace tb::store
