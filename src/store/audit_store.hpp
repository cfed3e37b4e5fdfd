#pragma once
// The audit log (append only) and balance snapshots: the histories of users and accounts. Part of the store's door (store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/error.hpp"

namespace tb::store {

struct AuditEntry {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string action;
  std::optional<int64_t> account_id;  // kept after the account is deleted: the log outlives rows
  std::string ip;
  std::string detail_json = "{}";
  int64_t at_ms = 0;
  std::string channel;                      // web (cookie), api (Bearer), telegram, system (background jobs)
  std::optional<int64_t> telegram_user_id;  // who, when the action came from Telegram (there is no IP)
};

struct BalanceSnapshot {
  int64_t account_id = 0;
  int64_t at_ms = 0;
  Decimal usd_total;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // audit log (append only)
  virtual Result<int64_t> append_audit(const AuditEntry& entry) = 0;                   // at_ms from the clock if 0
  virtual Result<std::vector<AuditEntry>> list_audit(int64_t user_id, int limit) = 0;  // newest first

  // balance snapshots
  virtual Status add_balance_snapshot(const BalanceSnapshot& snapshot) = 0;  // a second one at the same ms replaces it
  virtual Result<std::vector<BalanceSnapshot>> list_balance_snapshots(int64_t account_id, int64_t from_ms,
                                                                      int64_t to_ms) = 0;  // oldest first
};

}  // namespace tb::store
