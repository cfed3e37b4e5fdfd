// Where the commands find their database and master key: --database or the data directory's SQLite file,
// and the master key systemd hands over with LoadCredential ($CREDENTIALS_DIRECTORY/master.key) before the
// data directory's. open_data_dir over a URL it cannot open fails before any key is made.
#include "app/data_dir.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace tb::app {
namespace {

class TempFolder {
 public:
  TempFolder() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tb_app_XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// CREDENTIALS_DIRECTORY set for one test, then as it was.
class CredentialsDir {
 public:
  explicit CredentialsDir(const std::string& dir) {
    if (const char* old = std::getenv("CREDENTIALS_DIRECTORY")) old_ = old;
    ::setenv("CREDENTIALS_DIRECTORY", dir.c_str(), 1);
  }
  ~CredentialsDir() {
    if (old_.empty()) ::unsetenv("CREDENTIALS_DIRECTORY");
    else ::setenv("CREDENTIALS_DIRECTORY", old_.c_str(), 1);
  }

 private:
  std::string old_;
};

TEST(DataDir, TheDatabaseIsTheDataDirectorysSqliteFileUnlessNamed) {
  auto d = database_url_for("", "/srv/tb");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->redacted(), "sqlite:/srv/tb/tradebridge.db");
  auto named = database_url_for("sqlite:/elsewhere/x.db", "/srv/tb");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->sqlite_path, "/elsewhere/x.db");
  auto bad = database_url_for("/srv/tb/tradebridge.db", "/srv/tb");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("--database"), std::string::npos);
}

TEST(DataDir, TheMasterKeyComesFromSystemdsCredentialWhenThereIsOne) {
  TempFolder creds;
  {
    CredentialsDir env(creds.str());
    EXPECT_EQ(default_master_key_file("/srv/tb"), "/srv/tb/master.key");  // the directory holds no master.key yet
    std::ofstream(creds / "master.key") << "1:" << std::string(64, 'a') << "\n";
    EXPECT_EQ(default_master_key_file("/srv/tb"), creds / "master.key");
  }
  ::unsetenv("CREDENTIALS_DIRECTORY");
  EXPECT_EQ(default_master_key_file("/srv/tb"), "/srv/tb/master.key");
}

TEST(DataDir, OpensTheCredentialsKeyAndGeneratesNoneInTheDataDirectory) {
  TempFolder creds;
  TempFolder data;
  { std::ofstream(creds / "master.key") << "1:" << std::string(64, 'b') << "\n"; }
  std::filesystem::permissions(creds / "master.key", std::filesystem::perms::owner_read);  // 0400, as systemd leaves it
  CredentialsDir env(creds.str());
  auto d = open_data_dir(data.str(), "", "", true, SystemClock::instance());
  ASSERT_TRUE(d.ok()) << d.error().describe();
  EXPECT_EQ(d->master_key_file, creds / "master.key");
  EXPECT_FALSE(d->master_key_generated);
  EXPECT_FALSE(std::filesystem::exists(data / "master.key"));
  EXPECT_TRUE(std::filesystem::exists(data / "tradebridge.db"));
  EXPECT_EQ(d->vault->current_version(), 1);
}

TEST(DataDir, AnUnopenableDatabaseFailsBeforeAKeyIsGenerated) {
  TempFolder data;
  ::unsetenv("CREDENTIALS_DIRECTORY");
  auto d = open_data_dir(data.str(), "postgresql://ann:pw-never-shown@db/tb", "", true, SystemClock::instance());
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("postgresql://ann:****@db"), std::string::npos) << d.error().message;  // unreachable, named
  EXPECT_EQ(d.error().message.find("pw-never-shown"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(data / "master.key"));
}

}  // namespace
}  // namespace tb::app
