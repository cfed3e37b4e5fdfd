#include "app/store_limit_book.hpp"

#include "core/failure_log.hpp"

namespace tb::app {

std::optional<venues::LimitSnapshot> StoreLimitBook::load(std::string_view venue, std::string_view budget) {
  auto rows = store_.venue_limits(venue, egress_ip_);
  if (!rows) return std::nullopt;  // a budget we cannot read starts empty, as it did before it was kept
  for (const auto& r : *rows)
    if (r.name == budget) return venues::LimitSnapshot{r.window_start_ms, r.used, r.blocked_until_ms};
  return std::nullopt;
}

void StoreLimitBook::save(std::string_view venue, std::string_view budget, const venues::LimitSnapshot& s) {
  // Best effort: a failed write costs only the head start after a restart.
  logged("keep a venue's limits",
         store_.save_venue_limit({std::string(venue), egress_ip_, std::string(budget), s.window_start_ms, s.used, s.blocked_until_ms, 0}));
}

}  // namespace tb::app
