#pragma once
// Slows down password guessing. Failures are counted per account and per client IP in a sliding window;
// reaching the limit locks that key out for a time that doubles with each lockout (up to a cap), and
// the lockout level is forgotten after a quiet period. A successful login clears the account's record
// but not the IP's, so one known password cannot reset the counter for guessing others.
//
// The entries live in a LimitEntries (limit_entries.hpp): this process's memory by default, bounded to
// max_entries keys per table, the least recently seen dropped first; or storage shared by every serve process
// on the database. Accounts and IPs have separate tables, so a flood of IPs cannot evict an account's lockout.
// Callers pass the normalised email as the account key (unknown emails too, so locking reveals nothing)
// and may pass an IPv6 /64 prefix instead of the full address.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/limit_entries.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"

namespace tb::auth {

struct LoginLimits {
  int account_failures = 5;  // failures per window that lock an account
  int ip_failures = 20;      // failures per window that lock an IP
  std::chrono::milliseconds window = std::chrono::minutes(15);
  std::chrono::milliseconds first_lockout = std::chrono::minutes(1);  // doubles with each further lockout
  std::chrono::milliseconds max_lockout = std::chrono::hours(1);
  std::chrono::milliseconds forget_after = std::chrono::hours(24);  // quiet time that resets the level
  size_t max_entries = 100'000;                                     // per table, in memory
};

struct LoginDecision {
  enum class Blocker { None, Account, Ip };
  bool allowed = true;
  Blocker blocked_by = Blocker::None;        // the longer of the two lockouts, when both apply
  std::chrono::milliseconds retry_after{0};  // how long to wait; report it to the user
  std::optional<Error> failure;              // the entries could not be read: refused, and report this instead
};

// What to tell the user when an attempt is refused, e.g. "too many failed sign-in attempts: try again
// in 2 minutes". The wait is rounded up, so the user never retries a moment too early. It never says
// whether the account or the IP is locked, nor whether the account exists.
std::string retry_message(const LoginDecision& decision);
// "45 seconds", "2 minutes", "1 hour": a wait rounded up to the unit that reads best.
std::string wait_in_words(std::chrono::milliseconds duration);

class LoginLimiter {
 public:
  // Entries in this process's memory.
  explicit LoginLimiter(const Clock& clock, LoginLimits limits = {});
  // Entries in `entries` (which must outlive the limiter), in the tables name + ".account" and name + ".ip".
  LoginLimiter(const Clock& clock, LimitEntries& entries, std::string name, LoginLimits limits = {});

  // Ask before checking the password; if not allowed, do not check it at all.
  LoginDecision check(std::string_view account, std::string_view ip);
  // A wrong password (or unknown account), after check() allowed the attempt. Returns the decision for
  // the next attempt.
  LoginDecision record_failure(std::string_view account, std::string_view ip);
  // A correct password: the account's failures and lockout level are cleared.
  void record_success(std::string_view account);

  size_t tracked_accounts() const;
  size_t tracked_ips() const;

 private:
  bool forgotten(const LimitEntry& e, int64_t now_ms) const;
  void fail(std::optional<LimitEntry>& e, int limit, int64_t now_ms) const;
  int64_t remaining_ms(const std::optional<LimitEntry>& e, int64_t now_ms) const;
  LoginDecision decide(const Result<std::optional<LimitEntry>>& account, const Result<std::optional<LimitEntry>>& ip, int64_t now_ms) const;

  const Clock& clock_;
  const LoginLimits limits_;
  std::unique_ptr<LimitEntries> own_;  // when none were given
  LimitEntries& entries_;
  const std::string accounts_, ips_;  // the tables' names
};

}  // namespace tb::auth
