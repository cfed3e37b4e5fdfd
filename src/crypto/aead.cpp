#include "crypto/aead.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>

namespace tb::crypto {
namespace {

unsigned char* locked_alloc() {
  sodium_ready();
  // sodium_malloc: guard pages around the block, mlock'ed, and sodium_free zeroes it.
  auto* p = static_cast<unsigned char*>(sodium_malloc(kAeadKeyBytes));
  if (!p) throw std::bad_alloc();
  std::memset(p, 0, kAeadKeyBytes);
  return p;
}

const unsigned char* u8(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

void sodium_ready() {
  static const int status = sodium_init();  // thread-safe once; < 0 means no usable randomness
  if (status < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string random_bytes(size_t n) {
  sodium_ready();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

AeadKey::AeadKey() : bytes_(locked_alloc()) {}

AeadKey AeadKey::random() {
  AeadKey key;
  crypto_aead_xchacha20poly1305_ietf_keygen(key.bytes_);
  return key;
}

std::optional<AeadKey> AeadKey::from_bytes(std::string_view bytes) {
  if (bytes.size() != kAeadKeyBytes) return std::nullopt;
  AeadKey key;
  std::memcpy(key.bytes_, bytes.data(), kAeadKeyBytes);
  return key;
}

AeadKey::~AeadKey() {
  if (bytes_) sodium_free(bytes_);
}

AeadKey::AeadKey(AeadKey&& other) noexcept : bytes_(other.bytes_) { other.bytes_ = nullptr; }

AeadKey& AeadKey::operator=(AeadKey&& other) noexcept {
  if (this != &other) {
    if (bytes_) sodium_free(bytes_);
    bytes_ = other.bytes_;
    other.bytes_ = nullptr;
  }
  return *this;
}

std::string aead_seal(const AeadKey& key, std::string_view nonce, std::string_view plaintext, std::string_view ad) {
  sodium_ready();
  if (nonce.size() != kAeadNonceBytes || !key.data()) throw std::invalid_argument("aead_seal: bad nonce or key");
  std::string out(plaintext.size() + kAeadTagBytes, '\0');
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data()), &len, u8(plaintext), plaintext.size(), u8(ad),
                                             ad.size(), nullptr, u8(nonce), key.data());
  out.resize(len);
  return out;
}

std::optional<std::string> aead_open(const AeadKey& key, std::string_view nonce, std::string_view ciphertext, std::string_view ad) {
  sodium_ready();
  if (nonce.size() != kAeadNonceBytes || ciphertext.size() < kAeadTagBytes || !key.data()) return std::nullopt;
  std::string out;
  // At least 32 bytes of capacity keeps the plaintext out of the small-string buffer, so moving the
  // string hands over the heap block instead of copying secret bytes.
  out.reserve(std::max<size_t>(ciphertext.size(), 32));
  out.resize(ciphertext.size() - kAeadTagBytes);
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &len, nullptr, u8(ciphertext),
                                                 ciphertext.size(), u8(ad), ad.size(), u8(nonce), key.data()) != 0) {
    sodium_memzero(out.data(), out.capacity());
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

}  // namespace tb::crypto
