#include "crypto/signer.hpp"

#include "crypto/encoding.hpp"

namespace tb::crypto {

const HmacKey* LocalSigner::key_for(HmacAlgo algo, SecretForm form) const {
  size_t slot = static_cast<size_t>(algo) * 2 + static_cast<size_t>(form);
  std::lock_guard lock(mu_);
  if (!tried_[slot]) {
    tried_[slot] = true;
    if (form == SecretForm::Raw) {
      keys_[slot] = std::make_unique<HmacKey>(algo, secret_.reveal());
    } else if (auto decoded = from_base64(secret_.reveal())) {
      keys_[slot] = std::make_unique<HmacKey>(algo, *decoded);
      secure_zero(*decoded);
    }
  }
  return keys_[slot].get();
}

std::string LocalSigner::hmac(HmacAlgo algo, SecretForm form, std::string_view message) const {
  const HmacKey* key = key_for(algo, form);
  return key ? key->mac(message) : std::string();
}

}  // namespace tb::crypto
