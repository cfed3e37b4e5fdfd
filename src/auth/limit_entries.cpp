#include "auth/limit_entries.hpp"

#include <algorithm>

namespace tb::auth {

MemoryLimitEntries::MemoryLimitEntries(size_t max_per_table) : max_per_table_(std::max<size_t>(max_per_table, 1)) {}

MemoryLimitEntries::Table& MemoryLimitEntries::table(std::string_view name) {
  auto it = tables_.find(name);
  if (it == tables_.end()) it = tables_.emplace(std::string(name), Table{}).first;
  return it->second;
}

Result<std::optional<LimitEntry>> MemoryLimitEntries::change(std::string_view name, std::string_view key, const Change& change) {
  std::lock_guard lock(mu_);
  Table& t = table(name);
  const auto it = t.index.find(std::string(key));
  if (it != t.index.end()) {
    std::optional<LimitEntry> entry = it->second->second;
    change(entry);
    if (!entry) {
      t.order.erase(it->second);
      t.index.erase(it);
      return entry;
    }
    it->second->second = *entry;
    t.order.splice(t.order.begin(), t.order, it->second);  // now the most recently changed
    return entry;
  }
  std::optional<LimitEntry> entry;
  change(entry);
  if (!entry) return entry;
  while (!t.order.empty() && t.order.size() >= max_per_table_) {
    t.index.erase(t.order.back().first);
    t.order.pop_back();
  }
  t.order.emplace_front(std::string(key), *entry);
  t.index.emplace(t.order.front().first, t.order.begin());
  return entry;
}

Result<std::optional<LimitEntry>> MemoryLimitEntries::find(std::string_view name, std::string_view key) {
  std::lock_guard lock(mu_);
  Table& t = table(name);
  const auto it = t.index.find(std::string(key));
  if (it == t.index.end()) return std::optional<LimitEntry>();
  return std::optional<LimitEntry>(it->second->second);
}

Result<size_t> MemoryLimitEntries::size(std::string_view name) {
  std::lock_guard lock(mu_);
  return table(name).order.size();
}

}  // namespace tb::auth
