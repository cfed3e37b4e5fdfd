#pragma once
// Users and their sessions: register, sign in (rate-limited per account and per IP), sign out, and
// authenticate a request's token. Thread-safe and synchronous: password hashing takes tens of
// milliseconds on purpose, so the API calls register and login from a worker pool, not its io thread.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/auth.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"

namespace tb::web {

struct UserOptions {
  auth::PasswordCost cost = auth::PasswordCost::interactive();
  std::chrono::milliseconds session_ttl = std::chrono::hours(24 * 7);
  // authenticate() keeps a session it found this long before asking the store again (zero: always asks).
  // Logout through this service forgets it at once; a session deleted behind its back (another process)
  // still works for at most this long.
  std::chrono::milliseconds session_cache_ttl = std::chrono::seconds(2);
  size_t session_cache_max = 10'000;
  // New accounts per client IP per window (0: no limit): each costs an argon2 hash and a row.
  int register_limit = 10;
  std::chrono::milliseconds register_window = std::chrono::hours(1);
};

struct SignedIn {
  std::string token;       // goes to the client once, as JSON and as the cookie
  std::string csrf_token;  // the header cookie requests that change state must carry
  store::User user;
  int64_t expires_ms = 0;
};

// Who makes a request, after authenticate().
struct Caller {
  int64_t user_id = 0;
  std::string token_hash;
  std::string csrf_token;
};

class UserService {
 public:
  UserService(store::Store& store, const Clock& clock, auth::LoginLimiter& limiter, auth::CsrfTokens csrf,
              UserOptions options = {});

  // InvalidArgument "email: ..." / "password: ..."; Conflict "email: ..." when already registered;
  // RateLimited with retry_after past the IP's register_limit (only tries that would hash count).
  Result<store::User> register_user(std::string_view email, std::string_view password, std::string_view ip);
  // InvalidArgument "email: ..." for what cannot be an address (bad form, reserved domain); Unauthenticated
  // "wrong email or password" (the same words whether or not the email exists); RateLimited with
  // retry_after when locked out.
  Result<SignedIn> login(std::string_view email, std::string_view password, std::string_view ip, std::string_view user_agent);
  Status logout(std::string_view token);
  Status logout_hash(std::string_view token_hash);  // the session authenticate() found
  // Unauthenticated for a missing, malformed, unknown or expired token.
  Result<Caller> authenticate(std::string_view token);
  Result<store::User> user(int64_t id);
  static bool csrf_matches(const Caller& caller, std::string_view header);  // constant-time

 private:
  const std::string& dummy_hash();  // verified against for unknown emails, so both take the same time
  void forget_session(std::string_view token_hash);

  struct CachedSession {
    Caller caller;
    int64_t expires_ms = 0;
    int64_t found_ms = 0;  // when the store last confirmed it
  };

  store::Store& store_;
  const Clock& clock_;
  auth::LoginLimiter& limiter_;
  auth::WindowLimit registrations_;  // per client IP
  auth::CsrfTokens csrf_;
  UserOptions options_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
  std::mutex sessions_mu_;
  std::unordered_map<std::string, CachedSession> sessions_;  // by token hash
};

}  // namespace tb::web
