#include "app/keys_command.hpp"

#include <iostream>

#include <nlohmann/json.hpp>

#include "accounts/sealed_rows.hpp"
#include "accounts/two_factor.hpp"
#include "app/data_dir.hpp"
#include "app/process_hygiene.hpp"
#include "vault/maintenance.hpp"

namespace tb::app {

namespace {

int fail(std::ostream& err, const std::string& message) {
  err << nlohmann::json{{"error", {{"kind", "invalid_argument"}, {"message", message}}}}.dump(2) << "\n";
  return 1;
}

Result<std::vector<vault::StoredAccount>> stored_accounts(store::Store& store) {
  auto accounts = store.list_all_accounts();
  if (!accounts) return accounts.error();
  std::vector<vault::StoredAccount> rows;
  for (const auto& a : *accounts) {
    auto secrets = store.get_secrets(a.id);
    if (!secrets) return secrets.error();
    if (secrets->empty()) continue;  // a refused key: nothing kept
    auto sealed = accounts::from_rows(*secrets);
    if (!sealed) return Error::make(ErrorKind::InvalidArgument, "account " + std::to_string(a.id) + ": " + sealed.error().message);
    rows.push_back({{a.user_id, a.id, a.venue}, std::move(*sealed)});
  }
  return rows;
}

nlohmann::json problems_json(const std::vector<vault::AccountProblem>& problems) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : problems)
    out.push_back(
        {{"account_id", p.account.account_id}, {"user_id", p.account.user_id}, {"exchange", p.account.venue}, {"reason", p.reason}});
  return out;
}

// The users' TOTP secrets, sealed by the same vault: checked and re-wrapped with the exchange secrets.
struct TwoFactorReport {
  size_t checked = 0;
  size_t outdated = 0;
  size_t rewrapped = 0;
  nlohmann::json problems = nlohmann::json::array();
};

TwoFactorReport two_factor_secrets(store::Store& store, const vault::Vault& vault, std::optional<int> rewrap_to) {
  TwoFactorReport r;
  auto rows = store.list_two_factors();
  if (!rows) {
    r.problems.push_back({{"reason", rows.error().message}});
    return r;
  }
  for (auto& row : *rows) {
    auto problem = [&](const std::string& why) {
      r.problems.push_back({{"user_id", row.user_id}, {"field", "totp_secret"}, {"reason", why}});
    };
    auto sealed = vault::SealedField::from_text(row.sealed_secret);
    if (!sealed) {
      problem(sealed.error().message);
      continue;
    }
    const vault::FieldContext ctx = accounts::totp_secret_field(row.user_id);
    if (!rewrap_to) {
      ++r.checked;
      if (auto st = vault.verify(ctx, *sealed); !st) problem(st.error().message);
      else if (vault.needs_rewrap(*sealed)) ++r.outdated;
      continue;
    }
    if (sealed->master_version == *rewrap_to) continue;
    auto again = vault.rewrap(ctx, *sealed, *rewrap_to);
    if (!again) {
      problem(again.error().message);
      continue;
    }
    row.sealed_secret = again->to_text();
    row.master_version = again->master_version;
    if (auto st = store.save_two_factor(row); !st) problem(st.error().message);
    else ++r.rewrapped;
  }
  return r;
}

int verify(DataDir& d, std::ostream& out) {
  auto rows = stored_accounts(*d.store);
  if (!rows) return fail(std::cerr, rows.error().message);
  auto report = vault::verify_all(*d.vault, *rows);
  TwoFactorReport totp = two_factor_secrets(*d.store, *d.vault, std::nullopt);
  const bool ok = report.all_ok() && totp.problems.empty();
  out << nlohmann::json{{"checked", report.checked},
                        {"outdated", report.outdated},
                        {"two_factor_checked", totp.checked},
                        {"two_factor_outdated", totp.outdated},
                        {"master_version", d.vault->current_version()},
                        {"problems", problems_json(report.problems)},
                        {"two_factor_problems", totp.problems},
                        {"ok", ok}}
             .dump()
      << std::endl;
  return ok ? 0 : 1;
}

int rotate(DataDir& d, const KeysOptions& o, std::ostream& out, std::ostream& err) {
  auto rows = stored_accounts(*d.store);
  if (!rows) return fail(err, rows.error().message);
  int version = 0;
  std::shared_ptr<const vault::Vault> vault;
  if (d.master_key_from_env) {
    // A variable cannot be appended to: the operator adds the new version there, and every data key is
    // re-wrapped under its newest version.
    version = d.vault->current_version();
    bool outdated = two_factor_secrets(*d.store, *d.vault, std::nullopt).outdated > 0;
    for (const auto& r : *rows) outdated = outdated || r.sealed.needs_rewrap(*d.vault);
    if (!outdated)
      return fail(err, std::string(vault::kMasterKeyEnv) + " is set and every data key is already under its newest version " +
                           std::to_string(version) +
                           ": add a new version there (\"1:<old key>,2:<new key>\") and run rotate-master-key again, "
                           "or unset it to rotate the key file");
    vault = d.vault;
  } else {
    auto appended = vault::append_master_key_version(d.master_key_file);
    if (!appended) return fail(err, appended.error().message);
    version = *appended;
    auto ring = vault::MasterKeyRing::from_file(d.master_key_file);
    if (!ring) return fail(err, ring.error().message);
    vault = std::make_shared<vault::Vault>(std::move(*ring));
  }
  auto report = vault::rewrap_all(*vault, *rows, version);
  size_t written = 0;
  for (const auto& r : report.rewrapped) {
    auto st = d.store->replace_secrets(r.account.account_id, accounts::to_rows(r.account.account_id, r.sealed));
    if (st) ++written;
    else report.problems.push_back({r.account, st.error().message});
  }
  (void)o;
  TwoFactorReport totp = two_factor_secrets(*d.store, *vault, version);
  const bool ok = report.problems.empty() && totp.problems.empty();
  out << nlohmann::json{{"master_version", version},
                        {"rewrapped", written},
                        {"already_current", report.already_current},
                        {"two_factor_rewrapped", totp.rewrapped},
                        {"problems", problems_json(report.problems)},
                        {"two_factor_problems", totp.problems},
                        {"ok", ok}}
             .dump()
      << std::endl;
  err << "keys: data keys re-wrapped under master key version " << version << ". Keep the old versions in the "
      << (d.master_key_from_env ? vault::kMasterKeyEnv : "key file") << " until every running server has restarted.\n";
  return ok ? 0 : 1;
}

}  // namespace

int run_keys(const KeysOptions& o, std::ostream& out, std::ostream& err) {
  forbid_core_dumps();
  if (o.action != "verify" && o.action != "rotate-master-key") return fail(err, "keys: the action is verify or rotate-master-key");
  auto d = open_data_dir(o.data_dir, o.database, o.master_key_file, false, SystemClock::instance());
  if (!d) return fail(err, d.error().message);
  return o.action == "verify" ? verify(*d, out) : rotate(*d, o, out, err);
}

}  // namespace tb::app
