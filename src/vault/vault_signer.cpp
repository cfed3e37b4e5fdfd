#include "vault/vault_signer.hpp"

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"

namespace tb::vault {

Result<std::unique_ptr<VaultSigner>> VaultSigner::make(std::shared_ptr<const Vault> vault, FieldContext key_ctx,
                                                       const SealedField& sealed_key, FieldContext secret_ctx, SealedField sealed_secret) {
  if (!vault) return Error::make(ErrorKind::Internal, "vault: no vault for the signer");
  auto key = vault->open(key_ctx, sealed_key);
  if (!key) return key.error();
  if (auto st = vault->verify(secret_ctx, sealed_secret); !st) return st.error();
  return std::unique_ptr<VaultSigner>(
      new VaultSigner(std::move(vault), std::string(key->reveal()), std::move(secret_ctx), std::move(sealed_secret)));
}

std::string VaultSigner::hmac(crypto::HmacAlgo algo, crypto::SecretForm form, std::string_view message) const {
  auto secret = vault_->open(secret_ctx_, sealed_secret_);
  if (!secret) return {};
  if (form == crypto::SecretForm::Raw) return crypto::hmac(algo, secret->reveal(), message);
  auto decoded = crypto::from_base64(secret->reveal());
  if (!decoded) return {};
  std::string mac = crypto::hmac(algo, *decoded, message);
  crypto::secure_zero(*decoded);
  return mac;
}  // the opened Secret wipes itself here

Result<std::unique_ptr<crypto::LocalSigner>> open_signer(const Vault& vault, const FieldContext& key_ctx, const SealedField& sealed_key,
                                                         const FieldContext& secret_ctx, const SealedField& sealed_secret) {
  // Both fields of an account are sealed under its one data key: unwrapped once (locked memory costs
  // system calls), unless they were stored apart.
  if (sealed_key.wrapped_data_key != sealed_secret.wrapped_data_key || sealed_key.master_version != sealed_secret.master_version) {
    auto key = vault.open(key_ctx, sealed_key);
    if (!key) return key.error();
    auto secret = vault.open(secret_ctx, sealed_secret);
    if (!secret) return secret.error();
    return std::make_unique<crypto::LocalSigner>(std::string(key->reveal()), std::move(*secret));
  }
  auto data_key = vault.unwrap(secret_ctx, sealed_secret.wrapped_data_key, sealed_secret.master_version);
  if (!data_key) return data_key.error();
  auto key = vault.open_under(key_ctx, sealed_key, *data_key);
  if (!key) return key.error();
  auto secret = vault.open_under(secret_ctx, sealed_secret, *data_key);
  if (!secret) return secret.error();
  return std::make_unique<crypto::LocalSigner>(std::string(key->reveal()), std::move(*secret));
}

}  // namespace tb::vault
