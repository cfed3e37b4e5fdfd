#pragma once
// Users and their sessions: register, sign in (rate-limited per account and per IP), sign out, and
// authenticate a request's token; a user's own sessions (list, sign out everywhere else, change the
// password: user_sessions.cpp). The REST API (web/) is its door to people; Telegram identities are
// telegram_identities.hpp. Thread-safe and synchronous: password hashing takes tens of
// milliseconds on purpose, so the API calls register, login and change_password from a worker pool, not
// its io thread.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "accounts/two_factor.hpp"
#include "auth/auth.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"

namespace tb::users {

struct UserOptions {
  auth::PasswordCost cost = auth::PasswordCost::interactive();
  std::chrono::milliseconds session_ttl = std::chrono::hours(24 * 7);  // absolute, from sign-in
  // A session unused this long ends, whatever its absolute expiry.
  std::chrono::milliseconds session_idle = std::chrono::hours(12);
  // How often a session's last use is written (at most; and at least 10 times per idle period): one write a
  // minute per busy session instead of one per request.
  std::chrono::milliseconds session_touch_interval = std::chrono::minutes(1);
  // authenticate() keeps a session it found this long before asking the store again (zero: always asks).
  // Logout through this service forgets it at once; a session deleted behind its back (another process)
  // still works for at most this long.
  std::chrono::milliseconds session_cache_ttl = std::chrono::seconds(2);
  size_t session_cache_max = 10'000;
  // New accounts per client IP per window (0: no limit): each costs an argon2 hash and a row.
  int register_limit = 10;
  std::chrono::milliseconds register_window = std::chrono::hours(1);
  // Where registrations are counted (serve: the database, so every process counts the same); none: in this
  // process's memory. Must outlive the service.
  auth::LimitEntries* limit_entries = nullptr;
};

struct SignedIn {
  std::string token;       // goes to the client once, as JSON and as the cookie
  std::string csrf_token;  // the header cookie requests that change state must carry
  store::User user;
  int64_t expires_ms = 0;
};

// One of a user's sessions as its owner sees it: never the token, nor its hash.
struct SessionView {
  std::string id;  // opaque and one-way: derived from the token hash (UserService::session_id)
  int64_t created_ms = 0;
  int64_t last_seen_ms = 0;
  int64_t expires_ms = 0;  // the sooner of the absolute expiry and last use + the idle timeout
  std::string ip;
  std::string user_agent;
  bool current = false;  // the session of the request that asked
};

// Who makes a request, after authenticate().
struct Caller {
  int64_t user_id = 0;
  std::string token_hash;
  std::string csrf_token;
};

class UserService {
 public:
  UserService(store::Store& store, const Clock& clock, auth::LoginLimiter& limiter, accounts::TwoFactorService& two_factor,
              auth::CsrfTokens csrf, UserOptions options = {});

  // InvalidArgument "email: ..." / "password: ..."; Conflict "email: ..." when already registered;
  // RateLimited with retry_after past the IP's register_limit (only tries that would hash count).
  Result<store::User> register_user(std::string_view email, std::string_view password, std::string_view ip);
  // InvalidArgument "email: ..." for what cannot be an address (bad form, reserved domain); Unauthenticated
  // "wrong email or password" (the same words whether or not the email exists); RateLimited with
  // retry_after when locked out. With two-factor on, after the right password: SecondFactorRequired
  // "totp_code: ..." when `code` is missing (not counted) or wrong (counted like a wrong password).
  Result<SignedIn> login(std::string_view email, std::string_view password, std::string_view ip, std::string_view user_agent,
                         std::optional<std::string_view> code = std::nullopt);
  Status logout(std::string_view token);
  Status logout_hash(std::string_view token_hash);  // the session authenticate() found
  // Unauthenticated for a missing, malformed, unknown or expired token.
  Result<Caller> authenticate(std::string_view token);
  Result<store::User> user(int64_t id);
  static bool csrf_matches(const Caller& caller, std::string_view header);  // constant-time

  // Told the token hash of every session this service ends (logout, sign-out everywhere else, a password
  // change), after the store forgot it, on the thread that ended it: open event streams end at once. Set
  // before serving; must be quick.
  using SessionEndListener = std::function<void(const std::string& token_hash)>;
  void on_session_end(SessionEndListener listener);
  // Sessions ended here are also handed to `out` (the other serve processes over the same database), and
  // theirs arrive by session_ended_elsewhere: the cached copy goes and open streams end, as for one ended here.
  void relay_session_ends(SessionEndListener out) { relay_ = std::move(out); }
  void session_ended_elsewhere(const std::string& token_hash);
  // Whether the session exists, unexpired and not idle, asked of the store itself (no cache): how an open
  // event stream learns of an expiry or of a sign-out by another process.
  bool session_alive(std::string_view token_hash);
  Result<std::vector<SessionView>> sessions(const Caller& caller);  // newest first
  // Sign out everywhere else: every session of the caller's user but the caller's; returns how many ended.
  Result<int64_t> end_other_sessions(const Caller& caller, std::string_view ip);
  // One of the caller's sessions by its id; NotFound when it is not theirs or gone. True when it was the
  // caller's own.
  Result<bool> end_session(const Caller& caller, std::string_view id, std::string_view ip);
  // InvalidArgument "new_password: ..." (the password policy) or "current_password: ..." when wrong
  // (counted like a failed sign-in: RateLimited after too many). Ends every other session; returns how many.
  Result<int64_t> change_password(const Caller& caller, std::string_view current, std::string_view next, std::string_view ip);
  // Deletes expired and idle sessions (the server runs it at start and hourly); returns how many.
  Result<int64_t> purge_expired_sessions();
  static std::string session_id(std::string_view token_hash);

 private:
  int64_t expiry_of(const store::Session& s) const;          // absolute expiry or idle timeout, the sooner
  void ended(const std::vector<std::string>& token_hashes);  // forget and tell the listener
  void audit(int64_t user_id, std::string_view action, std::string_view ip, std::string detail_json = "{}");
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
  accounts::TwoFactorService& two_factor_;
  auth::WindowLimit registrations_;  // per client IP
  auth::CsrfTokens csrf_;
  UserOptions options_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
  std::mutex sessions_mu_;
  std::unordered_map<std::string, CachedSession> sessions_;  // by token hash
  SessionEndListener on_end_;
  SessionEndListener relay_;
};

}  // namespace tb::users
