#include "venues/kraken/auth.hpp"

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"

namespace tb::venues::kraken {

std::string sign_message(std::string_view uri_path, std::string_view nonce, std::string_view body) {
  std::string inner;
  inner.reserve(nonce.size() + body.size());
  inner.append(nonce).append(body);
  std::string msg(uri_path);
  msg += crypto::sha256(inner);
  return msg;
}

Result<std::string> api_sign(const crypto::Signer& signer, std::string_view uri_path, std::string_view nonce, std::string_view body) {
  auto mac = signer.hmac(crypto::HmacAlgo::Sha512, crypto::SecretForm::Base64, sign_message(uri_path, nonce, body));
  // The signer answers empty when the secret does not decode; say so without echoing it.
  if (mac.empty())
    return Error::make(ErrorKind::InvalidArgument,
                       "kraken API secret is not valid base64 (copy the private key exactly as Kraken shows it)");
  return crypto::base64(mac);
}

Result<std::vector<net::Header>> private_headers(const crypto::Signer& signer, std::string_view uri_path, std::string_view nonce,
                                                 std::string_view body) {
  auto sign = api_sign(signer, uri_path, nonce, body);
  if (!sign) return sign.error();
  return std::vector<net::Header>{
      {"API-Key", signer.api_key()}, {"API-Sign", std::move(*sign)}, {"Content-Type", "application/x-www-form-urlencoded"}};
}

}  // namespace tb::venues::kraken
