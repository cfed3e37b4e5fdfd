#include "venues/bitfinex/auth.hpp"

#include "crypto/encoding.hpp"

namespace tb::venues::bitfinex {

std::string signature_payload(std::string_view path, std::string_view nonce, std::string_view body) {
  std::string s;
  s.reserve(5 + path.size() + nonce.size() + body.size());
  s.append("/api/").append(path).append(nonce).append(body);
  return s;
}

std::string ws_auth_payload(std::string_view nonce) { return "AUTH" + std::string(nonce); }

std::string sign_hex(const crypto::Signer& signer, std::string_view payload) {
  auto mac = signer.hmac(crypto::HmacAlgo::Sha384, crypto::SecretForm::Raw, payload);
  if (mac.empty()) return {};
  return crypto::hex(mac);
}

std::vector<net::Header> auth_headers(const crypto::Signer& signer, std::string_view path, uint64_t nonce, std::string_view body) {
  std::string n = std::to_string(nonce);
  std::string sig = sign_hex(signer, signature_payload(path, n, body));
  if (sig.empty()) return {};
  return {{"Content-Type", "application/json"}, {"bfx-nonce", n}, {"bfx-apikey", signer.api_key()}, {"bfx-signature", sig}};
}

}  // namespace tb::venues::bitfinex
