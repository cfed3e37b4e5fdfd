#include "vault/maintenance.hpp"

namespace tb::vault {
namespace {

bool all_under(const SealedCredentials& s, int version) {
  return s.api_key.master_version == version && s.secret.master_version == version &&
         (!s.passphrase || s.passphrase->master_version == version);
}

}  // namespace

VerifyReport verify_all(const Vault& vault, const std::vector<StoredAccount>& rows) {
  VerifyReport report;
  for (const auto& row : rows) {
    ++report.checked;
    auto opened = open_credentials(vault, row.account, row.sealed);  // wiped at the end of this iteration
    if (!opened) {
      report.problems.push_back({row.account, opened.error().message});
    } else if (row.sealed.needs_rewrap(vault)) {
      ++report.outdated;
    }
  }
  return report;
}

RotationReport rewrap_all(const Vault& vault, const std::vector<StoredAccount>& rows, int new_version) {
  RotationReport report;
  for (const auto& row : rows) {
    if (all_under(row.sealed, new_version)) {
      ++report.already_current;
      continue;
    }
    auto rewrapped = rewrap_credentials(vault, row.account, row.sealed, new_version);
    if (!rewrapped) {
      report.problems.push_back({row.account, rewrapped.error().message});
      continue;
    }
    report.rewrapped.push_back({row.account, std::move(*rewrapped)});
  }
  return report;
}

}  // namespace tb::vault
