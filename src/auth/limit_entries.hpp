#pragma once
// Where the limiters (login_limiter.hpp, window_limit.hpp) keep their entries: one per table (which limit)
// and key (an account, an IP). In this process's memory (MemoryLimitEntries: tests, tools, one serve alone), or
// in the database (serve: app/store_limit_entries.hpp), so that processes sharing one database count the same
// guesses: a guesser alternating between them is locked out after as many failures as on one.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"

namespace tb::auth {

// What a limiter knows of one key; each limiter uses the fields it needs.
struct LimitEntry {
  int64_t hits = 0;  // failures or events in the current window
  int64_t window_start_ms = 0;
  int64_t locked_until_ms = 0;
  int64_t level = 0;           // lockouts so far
  std::vector<int64_t> times;  // a sliding window's event times, oldest first
  int64_t seen_ms = 0;         // last changed
  int64_t expires_ms = 0;      // means nothing after this: storage may forget it then
  bool operator==(const LimitEntry&) const = default;
};

class LimitEntries {
 public:
  virtual ~LimitEntries() = default;
  // `change` gets the entry (none yet: empty) and leaves what to keep (empty: forgotten). No other change of
  // the same entry, in any process sharing the storage, comes between the read and the write. Returns what
  // was kept.
  using Change = std::function<void(std::optional<LimitEntry>& entry)>;
  virtual Result<std::optional<LimitEntry>> change(std::string_view table, std::string_view key, const Change& change) = 0;
  virtual Result<std::optional<LimitEntry>> find(std::string_view table, std::string_view key) = 0;
  virtual Result<size_t> size(std::string_view table) = 0;
};

// In memory, thread-safe. Each table keeps at most max_per_table keys and drops the least recently changed
// first, so memory stays bounded and a flood of keys in one table cannot evict another table's entries.
class MemoryLimitEntries final : public LimitEntries {
 public:
  explicit MemoryLimitEntries(size_t max_per_table = 100'000);

  Result<std::optional<LimitEntry>> change(std::string_view table, std::string_view key, const Change& change) override;
  Result<std::optional<LimitEntry>> find(std::string_view table, std::string_view key) override;
  Result<size_t> size(std::string_view table) override;

 private:
  // An LRU map: the list is ordered most recently changed first, the index points into it.
  struct Table {
    std::list<std::pair<std::string, LimitEntry>> order;
    std::unordered_map<std::string, std::list<std::pair<std::string, LimitEntry>>::iterator> index;
  };
  Table& table(std::string_view name);

  const size_t max_per_table_;
  std::mutex mu_;
  std::map<std::string, Table, std::less<>> tables_;
};

}  // namespace tb::auth
