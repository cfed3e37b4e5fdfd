#include "auth/login_limiter.hpp"

#include <algorithm>

#include "core/failure_log.hpp"

namespace tb::auth {

std::string wait_in_words(std::chrono::milliseconds duration) {
  const int64_t ms = duration.count();
  const auto count_of = [](int64_t n, const char* unit) { return std::to_string(n) + " " + unit + (n == 1 ? "" : "s"); };
  std::string wait;
  if (ms <= 60'000) wait = count_of(std::max<int64_t>((ms + 999) / 1000, 1), "second");
  else if (ms <= 3'600'000) wait = count_of((ms + 59'999) / 60'000, "minute");
  else wait = count_of((ms + 3'599'999) / 3'600'000, "hour");
  return wait;
}

std::string retry_message(const LoginDecision& decision) {
  if (decision.allowed) return "";
  return "too many failed sign-in attempts: try again in " + wait_in_words(decision.retry_after);
}

LoginLimiter::LoginLimiter(const Clock& clock, LoginLimits limits)
    : clock_(clock),
      limits_(limits),
      own_(std::make_unique<MemoryLimitEntries>(limits.max_entries)),
      entries_(*own_),
      accounts_("account"),
      ips_("ip") {}

LoginLimiter::LoginLimiter(const Clock& clock, LimitEntries& entries, std::string name, LoginLimits limits)
    : clock_(clock), limits_(limits), entries_(entries), accounts_(name + ".account"), ips_(name + ".ip") {}

// Quiet long enough, and not locked: as if never seen.
bool LoginLimiter::forgotten(const LimitEntry& e, int64_t now_ms) const {
  return now_ms - e.seen_ms >= limits_.forget_after.count() && e.locked_until_ms <= now_ms;
}

void LoginLimiter::fail(std::optional<LimitEntry>& e, int limit, int64_t now_ms) const {
  if (!e || forgotten(*e, now_ms)) e = LimitEntry{0, now_ms, 0, 0, {}, now_ms, 0};
  e->seen_ms = now_ms;
  e->expires_ms = std::max(now_ms + limits_.forget_after.count(), e->locked_until_ms);
  if (e->locked_until_ms > now_ms) return;  // already locked: the attempt was refused, not counted
  if (now_ms - e->window_start_ms >= limits_.window.count()) {
    e->hits = 0;
    e->window_start_ms = now_ms;
  }
  if (++e->hits < limit) return;
  const int doublings = static_cast<int>(std::min<int64_t>(e->level, 30));  // 2^30 minutes is far past any sane cap
  const int64_t lockout = std::min<int64_t>(limits_.first_lockout.count() << doublings, limits_.max_lockout.count());
  e->locked_until_ms = now_ms + lockout;
  e->level += 1;
  e->hits = 0;
  e->window_start_ms = now_ms;
  e->expires_ms = std::max(e->expires_ms, e->locked_until_ms);
}

int64_t LoginLimiter::remaining_ms(const std::optional<LimitEntry>& e, int64_t now_ms) const {
  return e ? std::max<int64_t>(e->locked_until_ms - now_ms, 0) : 0;
}

// Entries that could not be read refuse the attempt: a guesser must not gain from a failing database.
LoginDecision LoginLimiter::decide(const Result<std::optional<LimitEntry>>& account, const Result<std::optional<LimitEntry>>& ip,
                                   int64_t now_ms) const {
  LoginDecision d;
  if (!account || !ip) {
    d.allowed = false;
    d.failure = !account ? account.error() : ip.error();
    return d;
  }
  const int64_t by_account = remaining_ms(*account, now_ms);
  const int64_t by_ip = remaining_ms(*ip, now_ms);
  if (by_account == 0 && by_ip == 0) return d;
  d.allowed = false;
  d.blocked_by = by_account >= by_ip ? LoginDecision::Blocker::Account : LoginDecision::Blocker::Ip;
  d.retry_after = std::chrono::milliseconds(std::max(by_account, by_ip));
  return d;
}

LoginDecision LoginLimiter::check(std::string_view account, std::string_view ip) {
  const int64_t now = clock_.now_ms();
  return decide(entries_.find(accounts_, account), entries_.find(ips_, ip), now);
}

LoginDecision LoginLimiter::record_failure(std::string_view account, std::string_view ip) {
  const int64_t now = clock_.now_ms();
  auto by_account = entries_.change(accounts_, account, [&](std::optional<LimitEntry>& e) { fail(e, limits_.account_failures, now); });
  auto by_ip = entries_.change(ips_, ip, [&](std::optional<LimitEntry>& e) { fail(e, limits_.ip_failures, now); });
  LoginDecision d = decide(by_account, by_ip, now);
  if (d.failure) log_failure("count a failed sign-in", *d.failure);
  return d;
}

void LoginLimiter::record_success(std::string_view account) {
  logged("clear an account's failed sign-ins", entries_.change(accounts_, account, [](std::optional<LimitEntry>& e) { e.reset(); }));
}

size_t LoginLimiter::tracked_accounts() const {
  auto n = entries_.size(accounts_);
  return n ? *n : 0;
}

size_t LoginLimiter::tracked_ips() const {
  auto n = entries_.size(ips_);
  return n ? *n : 0;
}

}  // namespace tb::auth
