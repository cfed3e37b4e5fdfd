#include "crypto/signer.hpp"

#include "crypto/encoding.hpp"

namespace tb::crypto {

std::string LocalSigner::hmac(HmacAlgo algo, SecretForm form, std::string_view message) const {
  if (form == SecretForm::Raw) return crypto::hmac(algo, secret_.reveal(), message);
  auto key = from_base64(secret_.reveal());
  if (!key) return {};
  auto mac = crypto::hmac(algo, *key, message);
  secure_zero(*key);
  return mac;
}

}  // namespace tb::crypto
