#pragma once
// The data directory both `serve` and `keys` work on: the SQLite database and the master key file.
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "store/sqlite_store.hpp"
#include "vault/vault.hpp"

namespace tb::app {

struct DataDir {
  std::string dir;
  std::string database;         // <dir>/tradebridge.db
  std::string master_key_file;  // --master-key-file or <dir>/master.key
  bool master_key_from_env = false;
  bool master_key_generated = false;  // created by this start
  std::shared_ptr<vault::Vault> vault;
  std::unique_ptr<store::SqliteStore> store;
};

// Creates the directory (0700) when missing, loads the master keys (TRADEBRIDGE_MASTER_KEY wins over the
// file; the file is generated on first start when allowed), opens the database and migrates it.
Result<DataDir> open_data_dir(const std::string& dir, const std::string& master_key_file, bool generate_key, const Clock& clock);

}  // namespace tb::app
