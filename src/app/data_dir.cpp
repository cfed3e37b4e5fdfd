#include "app/data_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "app/process_hygiene.hpp"
#include "crypto/secret.hpp"
#include "store/open_store.hpp"

namespace tb::app {

namespace {

// Whether any account of the database keeps a sealed key pair.
Result<bool> holds_sealed_secrets(store::Store& store) {
  auto accounts = store.list_all_accounts();
  if (!accounts) return accounts.error();
  for (const auto& a : *accounts) {
    auto secrets = store.get_secrets(a.id);
    if (!secrets) return secrets.error();
    if (!secrets->empty()) return true;
  }
  return false;
}

}  // namespace

Status ensure_data_dir(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) return ok_status();
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error::make(ErrorKind::InvalidArgument, "--data-dir " + dir + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  return ok_status();
}

Result<store::DatabaseUrl> database_url_for(const std::string& given, const std::string& dir) {
  if (given.empty()) return store::DatabaseUrl::sqlite((std::filesystem::path(dir) / "tradebridge.db").string());
  return store::DatabaseUrl::parse(given);
}

std::string default_master_key_file(const std::string& dir) {
  if (const char* credentials = std::getenv("CREDENTIALS_DIRECTORY"); credentials && *credentials) {
    auto file = std::filesystem::path(credentials) / "master.key";
    std::error_code ec;
    if (std::filesystem::exists(file, ec)) return file.string();
  }
  return (std::filesystem::path(dir) / "master.key").string();
}

Result<std::unique_ptr<store::Store>> open_database(const std::string& database, const std::string& dir, const Clock& clock, bool migrate) {
  auto url = database_url_for(database, dir);
  if (!url) return url.error();
  return store::open_store(*url, clock, store::OpenStoreOptions{.migrate = migrate});
}

Result<DataDir> open_data_dir(const std::string& dir, const std::string& database, const std::string& key_file, bool generate_key,
                              const Clock& clock) {
  DataDir d;
  d.dir = dir;
  if (auto st = ensure_data_dir(dir); !st) return st.error();
  std::error_code ec;
  auto url = database_url_for(database, dir);
  if (!url) return url.error();
  d.database = std::move(*url);
  d.master_key_file = key_file.empty() ? default_master_key_file(dir) : key_file;

  vault::MasterKeySource source;
  // Read once, then gone from the environment: children and /proc/PID/environ must not see it.
  source.env_value = take_env(vault::kMasterKeyEnv);
  d.master_key_from_env = source.env_value.has_value();
  source.file = d.master_key_file;
  source.generate_if_missing = generate_key;
  bool existed = ::access(d.master_key_file.c_str(), F_OK) == 0;
  // A master key is generated for a new database only: over one that keeps sealed secrets a new key would
  // open none of them, and seal new ones under a key the operator does not know to keep. (A SQLite file not
  // there yet is new; it is created after the keys load, so a refused key leaves no file behind.)
  bool sqlite_missing = d.database.backend == store::Backend::Sqlite && !std::filesystem::exists(d.database.sqlite_path, ec);
  if (!sqlite_missing) {
    auto store = store::open_store(d.database, clock);
    if (!store) return store.error();
    d.store = std::move(*store);
  }
  if (generate_key && !d.master_key_from_env && !existed && d.store) {
    auto sealed = holds_sealed_secrets(*d.store);
    if (!sealed) return sealed.error();
    if (*sealed)
      return Error::make(ErrorKind::InvalidArgument,
                         "master key file " + d.master_key_file + " is missing, but " + d.database.redacted() +
                             " keeps exchange keys encrypted under it: restore the file (or give it with --master-key-file, "
                             "or set " +
                             vault::kMasterKeyEnv + "); a new master key could not open them");
  }
  auto ring = vault::load_master_keys(source);
  if (source.env_value) crypto::secure_zero(*source.env_value);
  if (!ring) return ring.error();
  d.master_key_generated = !d.master_key_from_env && !existed;
  d.vault = std::make_shared<vault::Vault>(std::move(*ring));
  if (!d.store) {
    auto store = store::open_store(d.database, clock);
    if (!store) return store.error();
    d.store = std::move(*store);
  }
  return d;
}

}  // namespace tb::app
