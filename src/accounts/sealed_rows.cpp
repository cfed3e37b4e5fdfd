#include "accounts/sealed_rows.hpp"

namespace tb::accounts {

std::vector<store::AccountSecret> to_rows(int64_t account_id, const vault::SealedCredentials& sealed) {
  std::vector<store::AccountSecret> rows;
  auto add = [&](std::string_view field, const vault::SealedField& f) {
    rows.push_back({account_id, std::string(field), f.to_text(), f.master_version});
  };
  add(vault::kFieldApiKey, sealed.api_key);
  add(vault::kFieldSecret, sealed.secret);
  if (sealed.passphrase) add(vault::kFieldPassphrase, *sealed.passphrase);
  return rows;
}

Result<vault::SealedCredentials> from_rows(const std::vector<store::AccountSecret>& rows) {
  std::optional<vault::SealedField> key, secret, passphrase;
  for (const auto& r : rows) {
    auto f = vault::SealedField::from_text(r.sealed);
    if (!f) return Error::make(ErrorKind::Internal, "account " + std::to_string(r.account_id) + " " + r.field + ": " + f.error().message);
    if (r.field == vault::kFieldApiKey) key = std::move(*f);
    else if (r.field == vault::kFieldSecret) secret = std::move(*f);
    else if (r.field == vault::kFieldPassphrase) passphrase = std::move(*f);
  }
  if (!key || !secret) return Error::make(ErrorKind::InvalidArgument, "no stored key pair");
  return vault::SealedCredentials{std::move(*key), std::move(*secret), std::move(passphrase)};
}

}  // namespace tb::accounts
