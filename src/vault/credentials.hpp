#pragma once
// An exchange account's key pair as the vault stores it: the api key, the secret and (for venues that
// have one) the passphrase, each a SealedField under the account's one data key. This is what the
// accounts service calls; it never sees a master key or a data key.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "vault/vault.hpp"
#include "vault/vault_signer.hpp"

namespace tb::vault {

inline constexpr std::string_view kFieldApiKey = "api_key";
inline constexpr std::string_view kFieldSecret = "secret";
inline constexpr std::string_view kFieldPassphrase = "passphrase";

struct AccountRef {
  int64_t user_id = 0;
  int64_t account_id = 0;
  std::string venue;
};

inline FieldContext field_of(const AccountRef& a, std::string_view field) { return {a.user_id, a.account_id, a.venue, std::string(field)}; }

struct SealedCredentials {
  SealedField api_key;
  SealedField secret;
  std::optional<SealedField> passphrase;
  // Rotation is done when every part is under the vault's current master version.
  bool needs_rewrap(const Vault& vault) const;
};

struct PlainCredentials {
  crypto::Secret api_key;
  crypto::Secret secret;
  std::optional<crypto::Secret> passphrase;
};

// Seals the parts under one fresh data key wrapped with the current master key.
Result<SealedCredentials> seal_credentials(const Vault& vault, const AccountRef& account, const PlainCredentials& plain);
// Opens every part (for the key test, which needs the pair once); zeroed when the result goes away.
Result<PlainCredentials> open_credentials(const Vault& vault, const AccountRef& account, const SealedCredentials& sealed);
// Re-wraps every part under `new_version`; nothing changes unless all of them open.
Result<SealedCredentials> rewrap_credentials(const Vault& vault, const AccountRef& account, const SealedCredentials& sealed,
                                             int new_version);
// The Signer a connector gets for this account: the secret stays sealed until each hmac().
Result<std::unique_ptr<VaultSigner>> make_signer(std::shared_ptr<const Vault> vault, const AccountRef& account,
                                                 const SealedCredentials& sealed);
// The Signer with the pair opened once and held (open_signer): for many requests on one account.
Result<std::unique_ptr<crypto::Signer>> make_open_signer(const Vault& vault, const AccountRef& account, const SealedCredentials& sealed);

}  // namespace tb::vault
