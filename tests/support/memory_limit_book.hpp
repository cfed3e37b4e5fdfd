#pragma once
// A venues::LimitBook in memory, as the store keeps it between processes: for tests of kept rate budgets.
#include <map>
#include <string>

#include "venues/common/rate_limit.hpp"

namespace tb::test {

struct MemoryLimitBook : venues::LimitBook {
  std::map<std::string, venues::LimitSnapshot> kept;
  int saves = 0;
  std::optional<venues::LimitSnapshot> load(std::string_view venue, std::string_view budget) override {
    auto it = kept.find(std::string(venue) + "/" + std::string(budget));
    if (it == kept.end()) return std::nullopt;
    return it->second;
  }
  void save(std::string_view venue, std::string_view budget, const venues::LimitSnapshot& s) override {
    ++saves;
    kept[std::string(venue) + "/" + std::string(budget)] = s;
  }
};

}  // namespace tb::test
