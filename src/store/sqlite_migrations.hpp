#pragma once
// The SQLite schema as numbered migrations, applied in order at open, each in its own transaction.
// A shipped migration is never edited: a change is a new, higher number.
#include <string>
#include <vector>

namespace tb::store {

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
};

const std::vector<Migration>& sqlite_migrations();

}  // namespace tb::store
