#pragma once
// Many ids bound as one parameter, whatever their count: a JSON array for SQLite's json_each (SQLite caps
// the bound variables), an array literal for PostgreSQL's ANY($1::bigint[]).
#include <cstdint>
#include <string>
#include <vector>

namespace tb::store {

inline std::string id_list(const std::vector<int64_t>& ids, char open, char close) {
  std::string list(1, open);
  for (int64_t id : ids) list += (list.size() > 1 ? "," : "") + std::to_string(id);
  return list + close;
}

}  // namespace tb::store
