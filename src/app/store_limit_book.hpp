#pragma once
// The venues' rate budgets kept in the store, per venue and egress IP: a restarted serve (or another serve
// on the same address) starts from what the venue last told us, not from an empty budget.
#include <string>

#include "store/store.hpp"
#include "venues/common/rate_limit.hpp"

namespace tb::app {

class StoreLimitBook final : public venues::LimitBook {
 public:
  StoreLimitBook(store::Store& store, std::string egress_ip) : store_(store), egress_ip_(std::move(egress_ip)) {}
  std::optional<venues::LimitSnapshot> load(std::string_view venue, std::string_view budget) override;
  void save(std::string_view venue, std::string_view budget, const venues::LimitSnapshot& snapshot) override;

 private:
  store::Store& store_;
  std::string egress_ip_;
};

}  // namespace tb::app
