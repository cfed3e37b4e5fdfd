#pragma once
// The users service over the real store (SQLite in a scratch directory), the account service (accounts a
// Telegram-only user may hold) and a manual clock: tests/accounts' ServiceWorld.
#include <string>

#include "accounts/service_world.hpp"
#include "accounts/two_factor.hpp"
#include "auth/auth.hpp"
#include "users/telegram_identities.hpp"
#include "users/user_service.hpp"

namespace tb::users::test {

// Bytes 0, 1, 2, ...: a link code is then the alphabet's first letters.
class CountingRandom final : public auth::RandomSource {
 public:
  void fill(std::span<unsigned char> out) override {
    for (auto& b : out) b = static_cast<unsigned char>(n_++);
  }

 private:
  unsigned n_ = 0;
};

struct UsersWorld {
  static UserOptions fast(int register_limit = 10) {
    UserOptions o{auth::PasswordCost::fast()};
    o.register_limit = register_limit;
    return o;
  }
  explicit UsersWorld(UserOptions options = fast()) : user_options(options) {}

  accounts::test::ServiceWorld w{"kraken"};
  ManualClock& clock = w.sim.harness.clock;
  auth::LoginLimiter limiter{clock};
  accounts::TwoFactorService two_factor{*w.store, w.vault, clock};
  UserOptions user_options;
  UserService users{*w.store, clock, limiter, two_factor, *auth::CsrfTokens::make(crypto::Secret(std::string(32, 'k'))), user_options};
  CountingRandom random;
  TelegramIdentities identities{*w.store, clock, random};
};

}  // namespace tb::users::test
