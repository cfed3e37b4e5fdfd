#pragma once
// The PostgreSQL schema as the same numbered migrations as SQLite's (sqlite_migrations.cpp): each version
// brings the same tables and columns, in PostgreSQL's types. A shipped migration is never edited.
#include <vector>

#include "store/sqlite_migrations.hpp"  // Migration

namespace tb::store {

const std::vector<Migration>& postgres_migrations();

}  // namespace tb::store
