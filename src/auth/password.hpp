#pragma once
// Passwords are stored only as argon2id hashes in libsodium's encoded form ("$argon2id$v=19$m=...,t=...,p=1$
// salt$hash"), which carries its own salt and cost, so the cost can be raised later: needs_rehash() says
// when a stored hash was made with other settings, and the caller re-hashes at the next successful login.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace tb::auth {

// argon2id work factors. interactive() is libsodium's recommendation for online logins; fast() is the
// library minimum, for tests only (it offers no real protection).
struct PasswordCost {
  unsigned long long ops_limit = 0;
  size_t mem_limit = 0;
  static PasswordCost interactive();
  static PasswordCost fast();
};

inline constexpr size_t kMinPasswordChars = 10;
inline constexpr size_t kMaxPasswordBytes = 1024;  // bounds the work an anonymous request can cause

// The encoded hash string, or an error if hashing could not run (out of memory, bad cost).
Result<std::string> hash_password(std::string_view password, const PasswordCost& cost = PasswordCost::interactive());

// True when `password` matches `encoded`; false on mismatch, malformed hash or an over-long password.
bool verify_password(std::string_view encoded, std::string_view password);

// True when `encoded` is not an argon2id hash made with exactly `cost` (or is not a hash at all).
bool needs_rehash(std::string_view encoded, const PasswordCost& cost = PasswordCost::interactive());

// Rules for a new password; the error (InvalidArgument) names the problem and never echoes the password.
// `email` is the account's email: a password equal to it (ignoring case and surrounding spaces) is refused.
Status check_password_policy(std::string_view password, std::string_view email);

}  // namespace tb::auth
