#pragma once
// Users, their sessions and their second factor. Part of the store's door (store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace tb::store {

struct User {
  int64_t id = 0;
  std::string email;          // unique, compared case-insensitively
  std::string password_hash;  // an argon2id string; the store never sees a password
  int64_t created_ms = 0;
};

// Users the Telegram bot makes have no email anyone can type: their email column holds this placeholder plus
// the user id (a space and no '@': no normalised address is ever equal to it) and their password hash a marker
// nothing verifies against. They are found only through telegram_identities, by the Telegram user id.
inline constexpr std::string_view kTelegramOnlyEmailPrefix = "telegram-only #";
inline constexpr std::string_view kNoPasswordHash = "!telegram-only: no password";
bool is_telegram_only(const User& user);

struct Session {
  std::string token_hash;  // the token itself is only in the browser's cookie
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t expires_ms = 0;
  std::string ip;
  std::string user_agent;
  int64_t created_ms = 0;
  int64_t last_seen_ms = 0;  // the last request it authenticated (coarsely: see touch_session); created_ms at first
};

// A user's second factor: the TOTP secret sealed by the vault (like an exchange secret; the user's field
// "totp_secret"), pending until a first code confirms it, and the newest time step a code was accepted for:
// a code opens once.
struct TwoFactor {
  int64_t user_id = 0;
  std::string sealed_secret;
  int master_version = 0;
  bool enabled = false;
  int64_t last_step = 0;
  int64_t created_ms = 0;
  std::optional<int64_t> enabled_ms;
};

class UserStore {
 public:
  virtual ~UserStore() = default;

  // users
  virtual Result<User> create_user(std::string_view email, std::string_view password_hash) = 0;
  virtual Result<std::optional<User>> find_user(int64_t id) = 0;
  // Inside a transaction: the user's row is held until it ends, so a user's writes that read before they
  // write (a generated account name) take turns across processes. SQLite's writers take turns anyway.
  virtual Status lock_user(int64_t id) = 0;
  virtual Result<std::optional<User>> find_user_by_email(std::string_view email) = 0;
  virtual Status set_password_hash(int64_t user_id, std::string_view password_hash) = 0;

  // sessions
  virtual Status create_session(const Session& session) = 0;  // created_ms filled from the clock if 0
  virtual Result<std::optional<Session>> find_session(std::string_view token_hash) = 0;
  virtual Status delete_session(std::string_view token_hash) = 0;
  virtual Result<int64_t> delete_user_sessions(int64_t user_id) = 0;               // log out everywhere; returns how many
  virtual Result<int64_t> delete_expired_sessions() = 0;                           // expires_ms <= now; returns how many
  virtual Result<int64_t> delete_idle_sessions(int64_t seen_before_ms) = 0;        // last_seen_ms < it; how many
  virtual Result<std::vector<Session>> list_user_sessions(int64_t user_id) = 0;    // newest first
  virtual Status touch_session(std::string_view token_hash, int64_t seen_ms) = 0;  // sets last_seen_ms
  // Sign out everywhere else: every session of the user but `keep`, in one statement; returns the hashes
  // of those it ended, so their open streams can be told.
  virtual Result<std::vector<std::string>> delete_user_sessions_except(int64_t user_id, std::string_view keep) = 0;

  // two-factor authentication; the user's recovery codes are kept only as hashes
  virtual Result<std::optional<TwoFactor>> find_two_factor(int64_t user_id) = 0;
  virtual Result<std::vector<TwoFactor>> list_two_factors() = 0;  // every user's, for keys verify and rotation
  // Inserts or replaces the user's row (created_ms from the clock if 0).
  virtual Status save_two_factor(const TwoFactor& two_factor) = 0;
  // The row and the recovery codes go.
  virtual Status delete_two_factor(int64_t user_id) = 0;
  // Takes time step `step` for the user if it is newer than the last one taken, in one statement: of two
  // requests with the same code (two processes even) only one gets true.
  virtual Result<bool> use_totp_step(int64_t user_id, int64_t step) = 0;
  virtual Status replace_recovery_codes(int64_t user_id, const std::vector<std::string>& code_hashes) = 0;
  // Removes the code if the user has it; true when it did (each code opens once).
  virtual Result<bool> use_recovery_code(int64_t user_id, std::string_view code_hash) = 0;
  virtual Result<int64_t> count_recovery_codes(int64_t user_id) = 0;
};

}  // namespace tb::store
