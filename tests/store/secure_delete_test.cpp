// Deleted secrets leave no bytes behind in the database file: SQLite's secure_delete overwrites freed
// content instead of leaving it in free pages, where a copy of the file would still show it.
#include <sqlite3.h>

#include <fstream>
#include <iterator>

#include "store/temp_db.hpp"

namespace tb::store {
namespace {

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Moves every page from the WAL into the main file and empties the WAL.
void checkpoint(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  // The pragma reads the schema first, so the connection has found the WAL (the C call alone may not have).
  EXPECT_EQ(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
}

class SecureDelete : public StoreTest {};

TEST_F(SecureDelete, ADeletedAccountsCiphertextIsNotInTheFile) {
  Account a;
  a.user_id = make_user();
  a.name = "Kraken";
  a.venue = "kraken";
  a.masked_key = "vmPU…3e5A";
  const std::string blob = "v1.SECRET-CIPHERTEXT-MARKER-0123456789abcdef";
  auto created = store_->create_account(a, {{0, "secret", blob, 1}});
  ASSERT_TRUE(created.ok()) << created.error().describe();
  checkpoint(db_.path());
  ASSERT_NE(file_bytes(db_.path()).find(blob), std::string::npos) << "the marker should be in the file while kept";

  ASSERT_TRUE(store_->delete_account(created->id));
  checkpoint(db_.path());
  std::string bytes = file_bytes(db_.path()) + file_bytes(db_.path() + "-wal");
  EXPECT_EQ(bytes.find(blob), std::string::npos) << "deleted ciphertext still in the database file";
  EXPECT_EQ(bytes.find("SECRET-CIPHERTEXT-MARKER"), std::string::npos);
}

}  // namespace
}  // namespace tb::store
