#include "accounts/signer_cache.hpp"

namespace tb::accounts {

std::shared_ptr<crypto::Signer> SignerCache::find(const store::Account& a, int64_t now_ms) {
  std::lock_guard lock(mu_);
  sweep(now_ms);
  auto it = entries_.find(a.id);
  if (it == entries_.end()) return nullptr;
  if (it->second.updated_ms != a.updated_ms || it->second.masked_key != a.masked_key) {
    entries_.erase(it);  // the row changed since: its keys may have
    return nullptr;
  }
  it->second.used_ms = now_ms;
  return it->second.signer;
}

void SignerCache::keep(const store::Account& a, std::shared_ptr<crypto::Signer> signer, int64_t now_ms) {
  std::lock_guard lock(mu_);
  entries_[a.id] = Entry{a.updated_ms, a.masked_key, std::move(signer), now_ms};
}

void SignerCache::forget(int64_t account_id) {
  std::lock_guard lock(mu_);
  entries_.erase(account_id);
}

size_t SignerCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

void SignerCache::sweep(int64_t now_ms) {
  if (now_ms - swept_ms_ < idle_ms_ / 4) return;
  swept_ms_ = now_ms;
  for (auto it = entries_.begin(); it != entries_.end();) it = now_ms - it->second.used_ms >= idle_ms_ ? entries_.erase(it) : std::next(it);
}

}  // namespace tb::accounts
