#include "crypto/secret.hpp"

#include <openssl/crypto.h>

namespace tb::crypto {

void secure_zero(void* p, size_t n) noexcept { OPENSSL_cleanse(p, n); }

void secure_zero(std::string& s) noexcept {
  // Zero the whole capacity: a shorter string may have left older bytes behind in its buffer.
  if (s.capacity()) secure_zero(s.data(), s.capacity());
  s.clear();
}

void Secret::wipe() noexcept { secure_zero(value_); }

Secret& Secret::operator=(const Secret& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = std::move(other.value_);
    other.wipe();
  }
  return *this;
}

}  // namespace tb::crypto
