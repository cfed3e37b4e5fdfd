#include "auth/login_limiter.hpp"

#include <algorithm>

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

LoginLimiter::LoginLimiter(const Clock& clock, LoginLimits limits) : clock_(clock), limits_(limits) {}

LoginLimiter::Entry* LoginLimiter::find(Table& table, std::string_view key, int64_t now_ms) {
  const auto it = table.index.find(std::string(key));
  if (it == table.index.end()) return nullptr;
  Entry& e = it->second->second;
  if (now_ms - e.last_seen_ms >= limits_.forget_after.count() && e.locked_until_ms <= now_ms) {
    table.order.erase(it->second);  // quiet long enough: as if never seen
    table.index.erase(it);
    return nullptr;
  }
  return &e;
}

LoginLimiter::Entry& LoginLimiter::find_or_add(Table& table, std::string_view key, int64_t now_ms) {
  if (Entry* e = find(table, key, now_ms)) {
    const auto it = table.index.find(std::string(key));
    table.order.splice(table.order.begin(), table.order, it->second);  // now the most recently seen
    return *e;
  }
  while (!table.order.empty() && table.order.size() >= std::max<size_t>(limits_.max_entries, 1)) {
    table.index.erase(table.order.back().first);
    table.order.pop_back();
  }
  table.order.emplace_front(std::string(key), Entry{0, now_ms, 0, 0, now_ms});
  table.index.emplace(table.order.front().first, table.order.begin());
  return table.order.front().second;
}

void LoginLimiter::fail(Entry& e, int limit, int64_t now_ms) const {
  e.last_seen_ms = now_ms;
  if (e.locked_until_ms > now_ms) return;  // already locked: the attempt was refused, not counted
  if (now_ms - e.window_start_ms >= limits_.window.count()) {
    e.failures = 0;
    e.window_start_ms = now_ms;
  }
  if (++e.failures < limit) return;
  const int doublings = std::min(e.lockouts, 30);  // 2^30 minutes is far past any sane cap
  const int64_t lockout = std::min<int64_t>(limits_.first_lockout.count() << doublings, limits_.max_lockout.count());
  e.locked_until_ms = now_ms + lockout;
  e.lockouts += 1;
  e.failures = 0;
  e.window_start_ms = now_ms;
}

int64_t LoginLimiter::remaining_ms(const Entry* e, int64_t now_ms) const {
  return e ? std::max<int64_t>(e->locked_until_ms - now_ms, 0) : 0;
}

LoginDecision LoginLimiter::decide(std::string_view account, std::string_view ip, int64_t now_ms) {
  const int64_t by_account = remaining_ms(find(accounts_, account, now_ms), now_ms);
  const int64_t by_ip = remaining_ms(find(ips_, ip, now_ms), now_ms);
  LoginDecision d;
  if (by_account == 0 && by_ip == 0) return d;
  d.allowed = false;
  d.blocked_by = by_account >= by_ip ? LoginDecision::Blocker::Account : LoginDecision::Blocker::Ip;
  d.retry_after = std::chrono::milliseconds(std::max(by_account, by_ip));
  return d;
}

LoginDecision LoginLimiter::check(std::string_view account, std::string_view ip) {
  const int64_t now = clock_.now_ms();
  std::lock_guard lock(mu_);
  return decide(account, ip, now);
}

LoginDecision LoginLimiter::record_failure(std::string_view account, std::string_view ip) {
  const int64_t now = clock_.now_ms();
  std::lock_guard lock(mu_);
  fail(find_or_add(accounts_, account, now), limits_.account_failures, now);
  fail(find_or_add(ips_, ip, now), limits_.ip_failures, now);
  return decide(account, ip, now);
}

void LoginLimiter::record_success(std::string_view account) {
  std::lock_guard lock(mu_);
  const auto it = accounts_.index.find(std::string(account));
  if (it == accounts_.index.end()) return;
  accounts_.order.erase(it->second);
  accounts_.index.erase(it);
}

size_t LoginLimiter::tracked_accounts() const {
  std::lock_guard lock(mu_);
  return accounts_.order.size();
}

size_t LoginLimiter::tracked_ips() const {
  std::lock_guard lock(mu_);
  return ips_.order.size();
}

}  // namespace tb::auth
