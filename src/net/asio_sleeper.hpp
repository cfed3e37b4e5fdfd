#pragma once
// Real waiting for production: a steady_timer on the awaiting coroutine's own executor.
#include <utility>

#include "net/transport.hpp"

namespace tb::net {

class AsioSleeper final : public Sleeper {
 public:
  Task<void> sleep(std::chrono::milliseconds duration) override;
};

}  // namespace tb::net
