#include "auth/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "auth/sodium_init.hpp"

namespace tb::auth {
namespace {

constexpr std::string_view kArgon2idPrefix = "$argon2id$";

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && is_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Characters as a person counts them: UTF-8 continuation bytes do not start a new character.
size_t utf8_chars(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// libsodium declares its hash argument as a full crypto_pwhash_STRBYTES array: hand it exactly that,
// NUL-padded, rather than a shorter buffer. The caller has checked that `encoded` fits.
struct EncodedHash {
  explicit EncodedHash(std::string_view encoded) { std::memcpy(text, encoded.data(), encoded.size()); }
  char text[crypto_pwhash_STRBYTES] = {};
};

Error invalid(std::string message) { return Error::make(ErrorKind::InvalidArgument, std::move(message)); }

}  // namespace

PasswordCost PasswordCost::interactive() {
  return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::fast() { return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN}; }

Result<std::string> hash_password(std::string_view password, const PasswordCost& cost) {
  if (!detail::ensure_sodium()) return invalid("password hashing unavailable: libsodium failed to initialise");
  if (password.size() > kMaxPasswordBytes) return invalid("password is too long: at most 1024 bytes");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops_limit, cost.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return invalid("password hashing failed: out of memory or invalid cost settings");
  return std::string(out);
}

bool verify_password(std::string_view encoded, std::string_view password) {
  if (!detail::ensure_sodium()) return false;
  // No stored password can be longer, and refusing early bounds the work of a hostile request.
  if (password.size() > kMaxPasswordBytes || encoded.size() >= crypto_pwhash_STRBYTES) return false;
  const EncodedHash hash(encoded);
  return crypto_pwhash_str_verify(hash.text, password.data(), password.size()) == 0;
}

bool needs_rehash(std::string_view encoded, const PasswordCost& cost) {
  if (!detail::ensure_sodium()) return true;
  if (encoded.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix || encoded.size() >= crypto_pwhash_STRBYTES) return true;
  const EncodedHash hash(encoded);
  // 0: matches the cost; 1: other cost; -1: not a well-formed hash. Both of the latter need a new hash.
  return crypto_pwhash_argon2id_str_needs_rehash(hash.text, cost.ops_limit, cost.mem_limit) != 0;
}

Status check_password_policy(std::string_view password, std::string_view email) {
  if (password.size() > kMaxPasswordBytes) return invalid("password is too long: at most 1024 bytes");
  if (trim(password).empty()) return invalid("password must not be empty or only spaces");
  if (utf8_chars(password) < kMinPasswordChars)
    return invalid("password is too short: at least " + std::to_string(kMinPasswordChars) + " characters");
  const std::string_view mail = trim(email);
  if (!mail.empty() && equal_ignoring_ascii_case(trim(password), mail))
    return invalid("password must not be the same as the email address");
  return ok_status();
}

}  // namespace tb::auth
