#pragma once
// XChaCha20-Poly1305 (libsodium) and the few things around it the vault needs: random bytes, a 32-byte
// key held in locked memory, and seal/open with associated data. Outputs are raw bytes.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tb::crypto {

constexpr size_t kAeadKeyBytes = 32;
constexpr size_t kAeadNonceBytes = 24;
constexpr size_t kAeadTagBytes = 16;

// Safe to call many times and from several threads; every function below calls it.
void sodium_ready();

std::string random_bytes(size_t n);

// A 32-byte key in memory that is locked (never swapped), inside guard pages, and zeroed when it goes away.
// Move-only, so no stray copy is left behind.
class AeadKey {
 public:
  AeadKey();  // all zero
  static AeadKey random();
  static std::optional<AeadKey> from_bytes(std::string_view bytes);  // nullopt unless exactly 32 bytes
  ~AeadKey();
  AeadKey(AeadKey&& other) noexcept;
  AeadKey& operator=(AeadKey&& other) noexcept;
  AeadKey(const AeadKey&) = delete;
  AeadKey& operator=(const AeadKey&) = delete;

  const unsigned char* data() const { return bytes_; }
  unsigned char* data() { return bytes_; }
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes_), kAeadKeyBytes}; }

 private:
  unsigned char* bytes_ = nullptr;
};

// ciphertext ‖ tag (plaintext size + 16). The nonce must never repeat under one key: use random_bytes(24).
std::string aead_seal(const AeadKey& key, std::string_view nonce, std::string_view plaintext, std::string_view ad);
// The plaintext, or nullopt if key, nonce, ad or ciphertext do not match (the tag is checked first).
// The caller owns wiping the result; the buffer is allocated on the heap so moves never leave a copy.
std::optional<std::string> aead_open(const AeadKey& key, std::string_view nonce, std::string_view ciphertext, std::string_view ad);

}  // namespace tb::crypto
