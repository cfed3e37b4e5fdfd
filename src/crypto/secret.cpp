#include "crypto/secret.hpp"

#include <openssl/crypto.h>

#include "crypto/encoding.hpp"

namespace tb::crypto {
namespace {

constexpr std::string_view kWhitespace = " \t\n\v\f\r";

}  // namespace

void secure_zero(void* p, size_t n) noexcept { OPENSSL_cleanse(p, n); }

void secure_zero(std::string& s) noexcept {
  // Zero the whole capacity: a shorter string may have left older bytes behind in its buffer.
  if (s.capacity()) secure_zero(s.data(), s.capacity());
  s.clear();
}

void Secret::wipe() noexcept { secure_zero(value_); }

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = std::move(other.value_);
    other.wipe();
  }
  return *this;
}

Secret Secret::trimmed() const {
  size_t first = value_.find_first_not_of(kWhitespace);
  if (first == std::string::npos) return Secret();
  size_t last = value_.find_last_not_of(kWhitespace);
  return Secret(value_.substr(first, last - first + 1));
}

bool Secret::contains_whitespace() const { return value_.find_first_of(kWhitespace) != std::string::npos; }

bool Secret::all_in(std::string_view allowed) const { return value_.find_first_not_of(allowed) == std::string::npos; }

std::optional<size_t> Secret::base64_decoded_size() const {
  auto decoded = from_base64(value_);
  if (!decoded) return std::nullopt;
  size_t n = decoded->size();
  secure_zero(*decoded);
  return n;
}

}  // namespace tb::crypto
