#pragma once
// Slows down password guessing. Failures are counted per account and per client IP in a sliding window;
// reaching the limit locks that key out for a time that doubles with each lockout (up to a cap), and
// the lockout level is forgotten after a quiet period. A successful login clears the account's record
// but not the IP's, so one known password cannot reset the counter for guessing others.
//
// Memory is bounded: each table keeps at most max_entries keys and drops the least recently seen first.
// Accounts and IPs have separate tables, so a flood of IPs cannot evict an account's lockout.
// Callers pass the normalised email as the account key (unknown emails too, so locking reveals nothing)
// and may pass an IPv6 /64 prefix instead of the full address.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace tb::auth {

struct LoginLimits {
  int account_failures = 5;  // failures per window that lock an account
  int ip_failures = 20;      // failures per window that lock an IP
  std::chrono::milliseconds window = std::chrono::minutes(15);
  std::chrono::milliseconds first_lockout = std::chrono::minutes(1);  // doubles with each further lockout
  std::chrono::milliseconds max_lockout = std::chrono::hours(1);
  std::chrono::milliseconds forget_after = std::chrono::hours(24);  // quiet time that resets the level
  size_t max_entries = 100'000;                                     // per table
};

struct LoginDecision {
  enum class Blocker { None, Account, Ip };
  bool allowed = true;
  Blocker blocked_by = Blocker::None;        // the longer of the two lockouts, when both apply
  std::chrono::milliseconds retry_after{0};  // how long to wait; report it to the user
};

// What to tell the user when an attempt is refused, e.g. "too many failed sign-in attempts: try again
// in 2 minutes". The wait is rounded up, so the user never retries a moment too early. It never says
// whether the account or the IP is locked, nor whether the account exists.
std::string retry_message(const LoginDecision& decision);
// "45 seconds", "2 minutes", "1 hour": a wait rounded up to the unit that reads best.
std::string wait_in_words(std::chrono::milliseconds duration);

class LoginLimiter {
 public:
  explicit LoginLimiter(const Clock& clock, LoginLimits limits = {});

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
  struct Entry {
    int failures = 0;
    int64_t window_start_ms = 0;
    int64_t locked_until_ms = 0;
    int lockouts = 0;
    int64_t last_seen_ms = 0;
  };
  // An LRU map: the list is ordered most recently seen first, the index points into it.
  struct Table {
    std::list<std::pair<std::string, Entry>> order;
    std::unordered_map<std::string, std::list<std::pair<std::string, Entry>>::iterator> index;
  };

  Entry* find(Table& table, std::string_view key, int64_t now_ms);
  Entry& find_or_add(Table& table, std::string_view key, int64_t now_ms);
  void fail(Entry& e, int limit, int64_t now_ms) const;
  int64_t remaining_ms(const Entry* e, int64_t now_ms) const;
  LoginDecision decide(std::string_view account, std::string_view ip, int64_t now_ms);

  const Clock& clock_;
  const LoginLimits limits_;
  mutable std::mutex mu_;
  Table accounts_, ips_;
};

}  // namespace tb::auth
