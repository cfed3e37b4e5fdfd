#pragma once
// Session and CSRF tokens. A session token is 32 random bytes in base64url (43 characters, no padding);
// the server stores only token_hash(token), so a leaked sessions table cannot be replayed as cookies.
// A CSRF token is an HMAC of the session id under a server key: bound to one session, needs no storage.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "crypto/hash.hpp"
#include "crypto/secret.hpp"

namespace tb::auth {

// Randomness is injected so tests can make it repeatable; the real one reads the OS CSPRNG.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(std::span<unsigned char> out) = 0;
};

class SystemRandom final : public RandomSource {
 public:
  void fill(std::span<unsigned char> out) override;  // libsodium randombytes_buf
  static SystemRandom& instance();
};

inline constexpr size_t kSessionTokenBytes = 32;
inline constexpr size_t kSessionTokenChars = 43;  // base64url of 32 bytes, unpadded

std::string base64url(std::string_view bytes);  // URL- and cookie-safe alphabet, no padding

std::string new_session_token(RandomSource& random = SystemRandom::instance());
// Lower-case hex SHA-256 of the token: the only form in which a session token is stored.
std::string token_hash(std::string_view token);
// Whether `token` hashes to `stored_hash`, compared in constant time.
bool token_matches(std::string_view token, std::string_view stored_hash);
// Whether `text` has the exact shape of a session token: rejects junk before any lookup.
bool looks_like_session_token(std::string_view text);

// Issues and checks CSRF tokens. The server key must be at least 32 bytes; it is kept only as a
// prepared HMAC state, and the given Secret zeroes itself.
class CsrfTokens {
 public:
  static Result<CsrfTokens> make(const crypto::Secret& server_key);
  std::string issue(std::string_view session_id) const;
  bool verify(std::string_view session_id, std::string_view token) const;  // constant-time

 private:
  explicit CsrfTokens(std::shared_ptr<const crypto::HmacKey> key) : key_(std::move(key)) {}
  std::shared_ptr<const crypto::HmacKey> key_;
};

struct CookieOptions {
  std::string name = "tb_session";
  // Off only for plain-HTTP loopback (a browser drops Secure cookies there); on everywhere else.
  bool secure = true;
  std::chrono::seconds max_age = std::chrono::hours(24 * 7);
};

// The value of a Set-Cookie header carrying the session token: HttpOnly (no script reads it), Secure
// when configured, SameSite=Strict (no cross-site sends), Path=/, Max-Age.
std::string session_cookie(std::string_view token, const CookieOptions& options = {});
// A Set-Cookie value that makes the browser forget the session cookie (logout).
std::string clear_session_cookie(const CookieOptions& options = {});
// The value of cookie `name` in a Cookie request header ("a=1; b=2"), if present.
std::optional<std::string> find_cookie(std::string_view cookie_header, std::string_view name);

}  // namespace tb::auth
