#pragma once
// The abuse limits' counts (sign-in failures per account and per IP, wrong codes, registrations per IP), kept
// in the database so every serve process on it counts the same guesses. Part of the store's door (store.hpp).
// What the numbers mean is the limiter's business (auth/login_limiter.hpp, auth/window_limit.hpp); the store
// keeps them, changes one entry at a time as one step across processes, and forgets entries past expiry.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace tb::store {

struct LimitEntry {
  std::string scope;    // which limit: "sign-in.account", "sign-in.ip", "register.ip", ...
  std::string subject;  // what it counts: an email, an IP, a user or Telegram user id
  int64_t hits = 0;     // failures or events in the current window
  int64_t window_start_ms = 0;
  int64_t locked_until_ms = 0;
  int64_t level = 0;  // lockouts so far
  std::string times;  // event times in a sliding window, the limiter's own format
  int64_t seen_ms = 0;
  int64_t expires_ms = 0;  // means nothing after this: purged
  bool operator==(const LimitEntry&) const = default;
};

class LimitStore {
 public:
  virtual ~LimitStore() = default;

  // `change` gets the entry (none yet: empty) and leaves what to keep (empty: removed). Read, change and write
  // are one step for every process on the database: the entry is locked from the read to the write
  // (PostgreSQL: a row lock; SQLite: the write lock), so two processes counting one subject both count.
  using LimitChange = std::function<void(std::optional<LimitEntry>& entry)>;
  virtual Result<std::optional<LimitEntry>> change_limit_entry(std::string_view scope, std::string_view subject,
                                                               const LimitChange& change) = 0;
  virtual Result<std::optional<LimitEntry>> find_limit_entry(std::string_view scope, std::string_view subject) = 0;
  virtual Result<int64_t> count_limit_entries(std::string_view scope) = 0;
  // Entries whose expires_ms has passed (the clock's now); how many went.
  virtual Result<int64_t> delete_expired_limit_entries() = 0;
};

}  // namespace tb::store
