#pragma once
// The signer on top of the vault (DESIGN: "Connectors never hold secrets"). It holds the account's sealed
// secret and opens it only inside hmac(): decrypt, sign, wipe. The API key is not secret (it travels in
// a header), so it is opened once when the signer is made.
#include <memory>

#include "crypto/signer.hpp"
#include "vault/vault.hpp"

namespace tb::vault {

class VaultSigner final : public crypto::Signer {
 public:
  // Opens the API key and checks that the secret opens too, so a broken row fails here and not on the
  // first order. `key_ctx` / `secret_ctx` name the two fields (same user, account and venue).
  static Result<std::unique_ptr<VaultSigner>> make(std::shared_ptr<const Vault> vault, FieldContext key_ctx, const SealedField& sealed_key,
                                                   FieldContext secret_ctx, SealedField sealed_secret);

  const std::string& api_key() const override { return api_key_; }
  // Empty if the secret does not open (for example after its master key was removed) or has no such form.
  std::string hmac(crypto::HmacAlgo algo, crypto::SecretForm form, std::string_view message) const override;

 private:
  VaultSigner(std::shared_ptr<const Vault> vault, std::string api_key, FieldContext secret_ctx, SealedField sealed)
      : vault_(std::move(vault)), api_key_(std::move(api_key)), secret_ctx_(std::move(secret_ctx)), sealed_secret_(std::move(sealed)) {}

  std::shared_ptr<const Vault> vault_;
  std::string api_key_;
  FieldContext secret_ctx_;
  SealedField sealed_secret_;
};

// The pair opened once, for a signer that signs request after request (the trading desk keeps one per
// account): the secret is held in memory that is wiped when the signer goes (crypto::Secret) and its MAC key
// is prepared once, instead of both being unwrapped for every request. Errors as make().
Result<std::unique_ptr<crypto::LocalSigner>> open_signer(const Vault& vault, const FieldContext& key_ctx, const SealedField& sealed_key,
                                                         const FieldContext& secret_ctx, const SealedField& sealed_secret);

}  // namespace tb::vault
