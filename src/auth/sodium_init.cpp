#include "auth/sodium_init.hpp"

#include <sodium.h>

namespace tb::auth::detail {

bool ensure_sodium() {
  static const bool ready = sodium_init() >= 0;  // a function-local static: initialised once, race-free
  return ready;
}

}  // namespace tb::auth::detail
