#include "vault/credentials.hpp"

namespace tb::vault {

bool SealedCredentials::needs_rewrap(const Vault& vault) const {
  return vault.needs_rewrap(api_key) || vault.needs_rewrap(secret) || (passphrase && vault.needs_rewrap(*passphrase));
}

Result<SealedCredentials> seal_credentials(const Vault& vault, const AccountRef& account, const PlainCredentials& plain) {
  const int version = vault.current_version();
  DataKey data_key = vault.new_data_key();
  auto wrapped = vault.wrap(field_of(account, kFieldApiKey), data_key, version);  // the field is not in the wrap
  if (!wrapped) return wrapped.error();
  auto seal = [&](std::string_view field, const crypto::Secret& value) {
    return vault.seal_under(field_of(account, field), value, data_key, version, *wrapped);
  };
  SealedCredentials out{seal(kFieldApiKey, plain.api_key), seal(kFieldSecret, plain.secret), std::nullopt};
  if (plain.passphrase) out.passphrase = seal(kFieldPassphrase, *plain.passphrase);
  return out;
}

Result<PlainCredentials> open_credentials(const Vault& vault, const AccountRef& account, const SealedCredentials& sealed) {
  auto key = vault.open(field_of(account, kFieldApiKey), sealed.api_key);
  if (!key) return key.error();
  auto secret = vault.open(field_of(account, kFieldSecret), sealed.secret);
  if (!secret) return secret.error();
  PlainCredentials out{std::move(*key), std::move(*secret), std::nullopt};
  if (sealed.passphrase) {
    auto pass = vault.open(field_of(account, kFieldPassphrase), *sealed.passphrase);
    if (!pass) return pass.error();
    out.passphrase = std::move(*pass);
  }
  return out;
}

Result<SealedCredentials> rewrap_credentials(const Vault& vault, const AccountRef& account, const SealedCredentials& sealed,
                                             int new_version) {
  // Every part must open before anything changes.
  auto opened = open_credentials(vault, account, sealed);
  if (!opened) return opened.error();
  const bool shared = sealed.api_key.wrapped_data_key == sealed.secret.wrapped_data_key &&
                      sealed.api_key.master_version == sealed.secret.master_version &&
                      (!sealed.passphrase || (sealed.passphrase->wrapped_data_key == sealed.api_key.wrapped_data_key &&
                                              sealed.passphrase->master_version == sealed.api_key.master_version));
  SealedCredentials out = sealed;
  if (shared) {  // one data key: re-wrap it once, so the parts keep sharing the same bytes
    auto rewrapped = vault.rewrap(field_of(account, kFieldApiKey), sealed.api_key, new_version);
    if (!rewrapped) return rewrapped.error();
    out.api_key = *rewrapped;
    out.secret.master_version = new_version;
    out.secret.wrapped_data_key = rewrapped->wrapped_data_key;
    if (out.passphrase) {
      out.passphrase->master_version = new_version;
      out.passphrase->wrapped_data_key = rewrapped->wrapped_data_key;
    }
    return out;
  }
  auto key = vault.rewrap(field_of(account, kFieldApiKey), sealed.api_key, new_version);
  if (!key) return key.error();
  auto secret = vault.rewrap(field_of(account, kFieldSecret), sealed.secret, new_version);
  if (!secret) return secret.error();
  out.api_key = std::move(*key);
  out.secret = std::move(*secret);
  if (sealed.passphrase) {
    auto pass = vault.rewrap(field_of(account, kFieldPassphrase), *sealed.passphrase, new_version);
    if (!pass) return pass.error();
    out.passphrase = std::move(*pass);
  }
  return out;
}

Result<std::unique_ptr<VaultSigner>> make_signer(std::shared_ptr<const Vault> vault, const AccountRef& account,
                                                 const SealedCredentials& sealed) {
  return VaultSigner::make(std::move(vault), field_of(account, kFieldApiKey), sealed.api_key, field_of(account, kFieldSecret),
                           sealed.secret);
}

Result<std::unique_ptr<crypto::Signer>> make_open_signer(const Vault& vault, const AccountRef& account, const SealedCredentials& sealed) {
  auto signer = open_signer(vault, field_of(account, kFieldApiKey), sealed.api_key, field_of(account, kFieldSecret), sealed.secret);
  if (!signer) return signer.error();
  return std::unique_ptr<crypto::Signer>(std::move(*signer));
}

}  // namespace tb::vault
