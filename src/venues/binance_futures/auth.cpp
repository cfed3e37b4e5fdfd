#include "venues/binance_futures/auth.hpp"

#include "crypto/encoding.hpp"

namespace tb::venues::binance_futures {

std::string signature(const crypto::Signer& signer, std::string_view total_params) {
  std::string mac = signer.hmac(crypto::HmacAlgo::Sha256, crypto::SecretForm::Raw, total_params);
  return mac.empty() ? std::string() : crypto::hex(mac);
}

std::string append_signature(const crypto::Signer& signer, std::string_view params, std::string_view signed_prefix) {
  std::string total;
  total.reserve(signed_prefix.size() + params.size());
  total.append(signed_prefix).append(params);
  std::string out(params);
  if (!out.empty()) out += '&';
  out += "signature=";
  out += signature(signer, total);
  return out;
}

}  // namespace tb::venues::binance_futures
