#pragma once
// What `tradebridge db status` and /healthz say of a database's schema: the numbered migrations applied to
// it, those this binary knows and has not applied yet, and any applied that it does not know (a newer
// binary migrated this database).
#include <cstdint>
#include <string>
#include <vector>

namespace tb::store {

struct MigrationEntry {
  int version = 0;
  std::string name;
  int64_t applied_at_ms = 0;  // 0 while pending
};

struct SchemaStatus {
  std::string backend;                  // "sqlite" | "postgresql"
  std::vector<MigrationEntry> applied;  // ascending
  std::vector<MigrationEntry> pending;  // known here, not applied; ascending
  std::vector<int> unknown;             // applied, not known to this binary

  int version() const { return applied.empty() ? 0 : applied.back().version; }
  bool up_to_date() const { return pending.empty(); }
};

}  // namespace tb::store
