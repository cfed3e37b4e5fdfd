#pragma once
// `tradebridge keys ...`: operator tasks on the key vault, run against a stopped or running server's data.
//   verify             every stored secret still decrypts (exit 1 otherwise, naming the accounts)
//   rotate-master-key  append a new master key version to the key file, re-wrap every data key under it
#include <iosfwd>
#include <string>

namespace tb::app {

struct KeysOptions {
  std::string action;  // "verify" | "rotate-master-key"
  std::string data_dir = "./var";
  std::string database;         // --database; empty: the data directory's SQLite file
  std::string master_key_file;  // empty: <data-dir>/master.key
};

int run_keys(const KeysOptions& options, std::ostream& out, std::ostream& err);

}  // namespace tb::app
