#include "crypto/aead.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>
#include <vector>

namespace tb::crypto {
namespace {

// Locked memory for keys, handed out in 32-byte slots of blocks taken from sodium_malloc (guard pages
// around each block, mlock'ed) and reused: a fresh sodium_malloc per key costs five system calls, and a
// fan-out opens every trading account's data key at once. A slot is zeroed when it is given back. The
// blocks live as long as the process, and there are only as many as keys alive at one time.
class KeySlots {
 public:
  unsigned char* take() {
    std::lock_guard lock(mu_);
    if (free_.empty()) {
      sodium_ready();
      auto* block = static_cast<unsigned char*>(sodium_malloc(kSlotsPerBlock * kAeadKeyBytes));
      if (!block) throw std::bad_alloc();
      sodium_memzero(block, kSlotsPerBlock * kAeadKeyBytes);
      for (size_t i = kSlotsPerBlock; i-- > 0;) free_.push_back(block + i * kAeadKeyBytes);
    }
    unsigned char* p = free_.back();
    free_.pop_back();
    return p;
  }

  void give(unsigned char* p) noexcept {
    sodium_memzero(p, kAeadKeyBytes);
    std::lock_guard lock(mu_);
    try {
      free_.push_back(p);
    } catch (...) {  // no memory to remember it: the zeroed slot stays unused
    }
  }

 private:
  static constexpr size_t kSlotsPerBlock = 64;
  std::mutex mu_;
  std::vector<unsigned char*> free_;
};

KeySlots& key_slots() {
  static auto* slots = new KeySlots();  // never destroyed: keys may outlive static destruction
  return *slots;
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

AeadKey::AeadKey() : bytes_(key_slots().take()) {}

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
  if (bytes_) key_slots().give(bytes_);
}

AeadKey::AeadKey(AeadKey&& other) noexcept : bytes_(other.bytes_) { other.bytes_ = nullptr; }

AeadKey& AeadKey::operator=(AeadKey&& other) noexcept {
  if (this != &other) {
    if (bytes_) key_slots().give(bytes_);
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
