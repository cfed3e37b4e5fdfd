#include "app/data_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "app/process_hygiene.hpp"
#include "crypto/secret.hpp"

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

Result<DataDir> open_data_dir(const std::string& dir, const std::string& key_file, bool generate_key, const Clock& clock) {
  DataDir d;
  d.dir = dir;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return Error::make(ErrorKind::InvalidArgument, "--data-dir " + dir + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
  }
  d.database = (std::filesystem::path(dir) / "tradebridge.db").string();
  d.master_key_file = key_file.empty() ? (std::filesystem::path(dir) / "master.key").string() : key_file;

  vault::MasterKeySource source;
  // Read once, then gone from the environment: children and /proc/PID/environ must not see it.
  source.env_value = take_env(vault::kMasterKeyEnv);
  d.master_key_from_env = source.env_value.has_value();
  source.file = d.master_key_file;
  source.generate_if_missing = generate_key;
  bool existed = ::access(d.master_key_file.c_str(), F_OK) == 0;
  // A master key is generated for a new data directory only: over a database that keeps sealed secrets a
  // new key would open none of them, and seal new ones under a key the operator does not know to keep.
  if (generate_key && !d.master_key_from_env && !existed && std::filesystem::exists(d.database, ec)) {
    auto existing = store::SqliteStore::open(d.database, clock);
    if (!existing) return existing.error();
    auto sealed = holds_sealed_secrets(**existing);
    if (!sealed) return sealed.error();
    if (*sealed)
      return Error::make(ErrorKind::InvalidArgument,
                         "master key file " + d.master_key_file + " is missing, but " + d.database +
                             " keeps exchange keys encrypted under it: restore the file (or give it with --master-key-file, "
                             "or set " +
                             vault::kMasterKeyEnv + "); a new master key could not open them");
  }
  auto ring = vault::load_master_keys(source);
  if (source.env_value) crypto::secure_zero(*source.env_value);
  if (!ring) return ring.error();
  d.master_key_generated = !d.master_key_from_env && !existed;
  d.vault = std::make_shared<vault::Vault>(std::move(*ring));

  auto store = store::SqliteStore::open(d.database, clock);
  if (!store) return store.error();
  d.store = std::move(*store);
  return d;
}

}  // namespace tb::app
