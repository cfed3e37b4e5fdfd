#include "crypto/hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace tb::crypto {
namespace {

const EVP_MD* md(HmacAlgo algo) {
  switch (algo) {
    case HmacAlgo::Sha256: return EVP_sha256();
    case HmacAlgo::Sha384: return EVP_sha384();
    case HmacAlgo::Sha512: return EVP_sha512();
  }
  return EVP_sha256();
}

}  // namespace

std::string sha256(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr) != 1) throw std::runtime_error("sha256 failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string hmac(HmacAlgo algo, std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // HMAC() is the one-shot form; it is deprecated-free in OpenSSL 3 and avoids a context allocation.
  if (!HMAC(md(algo), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
            message.size(), out, &len))
    throw std::runtime_error("hmac failed");
  std::string r(reinterpret_cast<char*>(out), len);
  OPENSSL_cleanse(out, sizeof out);
  return r;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace tb::crypto
