#pragma once
// The data directory `serve`, `keys` and the operator's commands work on: the database (SQLite in the
// directory unless --database names another) and the master key file.
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "store/database_url.hpp"
#include "store/store.hpp"
#include "vault/vault.hpp"

namespace tb::app {

struct DataDir {
  std::string dir;
  store::DatabaseUrl database;  // --database, or sqlite:<dir>/tradebridge.db
  std::string master_key_file;  // --master-key-file, $CREDENTIALS_DIRECTORY/master.key or <dir>/master.key
  bool master_key_from_env = false;
  bool master_key_generated = false;  // created by this start
  std::shared_ptr<vault::Vault> vault;
  std::unique_ptr<store::Store> store;
};

// Creates the data directory (0700) when missing.
Status ensure_data_dir(const std::string& dir);

// The database a command works on: `given` (--database or TRADEBRIDGE_DATABASE_URL) parsed, or when empty
// the SQLite file of the data directory, sqlite:<dir>/tradebridge.db.
Result<store::DatabaseUrl> database_url_for(const std::string& given, const std::string& dir);

// Where the master keys are read from when --master-key-file is not given: the credential systemd's
// LoadCredential=master.key hands the service ($CREDENTIALS_DIRECTORY/master.key) when there is one, else
// <dir>/master.key.
std::string default_master_key_file(const std::string& dir);

// Creates the directory (0700) when missing, opens the database and migrates it, loads the master keys
// (TRADEBRIDGE_MASTER_KEY wins over the file; the file is generated on first start when allowed).
Result<DataDir> open_data_dir(const std::string& dir, const std::string& database, const std::string& master_key_file, bool generate_key,
                              const Clock& clock);

// The store alone, for the commands that need no master key (candles, robots, db).
Result<std::unique_ptr<store::Store>> open_database(const std::string& database, const std::string& dir, const Clock& clock,
                                                    bool migrate = true);

}  // namespace tb::app
