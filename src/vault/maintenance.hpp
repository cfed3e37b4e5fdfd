#pragma once
// Operator tasks behind `tradebridge keys verify` and `tradebridge keys rotate-master-key`, over rows the
// store hands in. Storage-agnostic: the caller reads the rows, calls these, and writes back what changed.
#include <cstddef>
#include <string>
#include <vector>

#include "vault/credentials.hpp"

namespace tb::vault {

struct StoredAccount {
  AccountRef account;
  SealedCredentials sealed;
};

struct AccountProblem {
  AccountRef account;
  std::string reason;  // the vault's error message: ids, venue and field name, never secret bytes
};

struct VerifyReport {
  size_t checked = 0;
  size_t outdated = 0;  // open, but still under an older master version
  std::vector<AccountProblem> problems;
  bool all_ok() const { return problems.empty(); }
};

// Opens every part of every account and wipes it at once.
VerifyReport verify_all(const Vault& vault, const std::vector<StoredAccount>& rows);

struct RotationReport {
  std::vector<StoredAccount> rewrapped;  // write these back
  size_t already_current = 0;            // under `new_version` already: nothing to write
  std::vector<AccountProblem> problems;  // left as they are
};

// Re-wraps every account not yet under `new_version` (normally vault.current_version()). Safe to run
// again after a crash: rows already re-wrapped are skipped.
RotationReport rewrap_all(const Vault& vault, const std::vector<StoredAccount>& rows, int new_version);

}  // namespace tb::vault
