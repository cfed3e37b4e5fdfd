#include "venues/common/nonce.hpp"

namespace tb::venues {

uint64_t NonceSource::next(std::string_view api_key) {
  std::atomic<uint64_t>* counter;
  {
    std::lock_guard lock(mu_);
    auto& slot = last_[std::string(api_key)];
    if (!slot) slot = std::make_unique<std::atomic<uint64_t>>(0);
    counter = slot.get();
  }
  uint64_t now = static_cast<uint64_t>(clock_.now_us());
  uint64_t last = counter->load(std::memory_order_relaxed);
  uint64_t next;
  do {
    next = now > last ? now : last + 1;
  } while (!counter->compare_exchange_weak(last, next, std::memory_order_relaxed));
  return next;
}

}  // namespace tb::venues
