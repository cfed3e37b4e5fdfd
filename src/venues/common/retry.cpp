#include "venues/common/retry.hpp"

#include <algorithm>

namespace tb::venues {

namespace {
constexpr std::chrono::milliseconds kMaxWait{10'000};
}

bool is_transient(const Error& e) {
  switch (e.kind) {
    case ErrorKind::NetworkError:
    case ErrorKind::ExchangeUnavailable: return true;
    case ErrorKind::RateLimited: return !e.retry_after || *e.retry_after <= kMaxWait;
    default: return false;
  }
}

std::chrono::milliseconds retry_delay(const Error& e, int attempt) {
  if (e.retry_after) return std::min(*e.retry_after, kMaxWait);
  // 250 ms, 500 ms, 1 s, ... capped.
  return std::min(std::chrono::milliseconds(250LL << std::min(attempt - 1, 5)), kMaxWait);
}

Error rate_limit_wait(std::string_view venue_name, std::chrono::milliseconds wait) {
  Error e = Error::make(ErrorKind::RateLimited, std::string(venue_name) + " asked us to wait " +
                                                    std::to_string((wait.count() + 999) / 1000) + " s before calling it again");
  e.retry_after = wait;
  return e;
}

}  // namespace tb::venues
