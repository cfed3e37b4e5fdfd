#pragma once
// The limiters' entries (auth/limit_entries.hpp) kept in the store's limit_entries, so every serve process on
// one database counts the same sign-in failures, wrong codes and registrations: a guesser alternating between
// processes is locked out after as many failures as on one. Each change is one step across processes (the
// store locks the entry from its read to its write); the hourly purge removes expired entries.
#include "auth/limit_entries.hpp"
#include "store/store.hpp"

namespace tb::app {

class StoreLimitEntries final : public auth::LimitEntries {
 public:
  explicit StoreLimitEntries(store::Store& store) : store_(store) {}

  Result<std::optional<auth::LimitEntry>> change(std::string_view table, std::string_view key, const Change& change) override;
  Result<std::optional<auth::LimitEntry>> find(std::string_view table, std::string_view key) override;
  Result<size_t> size(std::string_view table) override;

 private:
  store::Store& store_;
};

}  // namespace tb::app
