#pragma once
// Venues that sign with a nonce reject one that is not larger than the last one the key used. One NonceSource
// per process hands out, per API key, values that only ever increase, from any thread.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace tb::venues {

class NonceSource {
 public:
  explicit NonceSource(const Clock& clock) : clock_(clock) {}
  // Microseconds since the epoch, or one more than the last value handed out for this key if the
  // clock has not moved past it.
  uint64_t next(std::string_view api_key);

 private:
  const Clock& clock_;
  std::mutex mu_;  // guards the map only; each counter is lock-free
  std::unordered_map<std::string, std::unique_ptr<std::atomic<uint64_t>>> last_;
};

}  // namespace tb::venues
