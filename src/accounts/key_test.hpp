#pragma once
// The key test (DESIGN.md "The key test"), steps 2-6, over any Venue: read the key's rights, read and
// value the portfolio, place a post-only limit buy far below the market at the smallest size, cancel it
// and confirm. Each step is reported as it happens. No HTTP, no database: the caller stores the result.
// The connector never sees the secret: it signs through the Signer.
#include <utility>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/core.hpp"
#include "crypto/signer.hpp"
#include "net/transport.hpp"
#include "venues/venue.hpp"

namespace tb::accounts {

enum class StepState { Running, Ok, Failed, Skipped };
std::string_view to_string(StepState);

struct KeyTestStep {
  std::string name;  // "permissions", "balances", "test_order", "cancel"
  StepState state = StepState::Running;
  std::string message;  // plain words
  int64_t duration_ms = 0;
};

enum class KeyTestStatus { Enabled, Invalid };
enum class InvalidReason {
  None,
  InvalidKey,
  WrongSecret,
  IpNotWhitelisted,
  NoTradingPermission,
  WithdrawalPermission,
  InsufficientFunds,   // the key itself is fine
  ExchangeUnavailable, // try later
  Other,
};
std::string_view to_string(KeyTestStatus);
std::string_view to_string(InvalidReason);  // "invalid_key", "wrong_secret", ...

struct KeyTestResult {
  KeyTestStatus status = KeyTestStatus::Invalid;
  InvalidReason reason = InvalidReason::None;
  std::string message;  // why invalid, in plain words; empty when enabled
  Portfolio portfolio;
  Decimal usd_total;
  std::vector<std::string> warnings;  // no IP restriction, trading right expiry, order left open
  std::optional<int64_t> trading_expires_ms;
  std::optional<OrderRef> order_to_cancel_by_hand;  // the test order, when its cancel could not be confirmed
  std::vector<KeyTestStep> steps;  // every report, in order
};

struct KeyTestOptions {
  std::optional<std::string> egress_ip;  // the server's own address, shown when the key has no IP list
  int cancel_attempts = 4;                // the first try included
  std::chrono::milliseconds cancel_backoff{500};  // doubled after each failed try
  int rate_limit_retries = 2;             // a create refused for rate limit was never processed: safe to resend
};

class KeyTest {
 public:
  using StepCallback = std::function<void(const KeyTestStep&)>;
  // Takes over an order whose cancel could not be confirmed, to keep trying in the background.
  using CancelLater = std::function<void(const OrderRef&)>;
  // The test order about to be sent (symbol and our client order id): the caller records it first, so an
  // order placed just before a crash can be found and cancelled after the restart.
  using OrderPlanned = std::function<void(const OrderRef&)>;

  KeyTest(venues::Venue& venue, const crypto::Signer& signer, const Clock& clock, net::Sleeper& sleeper,
          KeyTestOptions options = {});
  void on_step(StepCallback cb) { on_step_ = std::move(cb); }
  void on_cancel_later(CancelLater cb) { cancel_later_ = std::move(cb); }
  void on_order_planned(OrderPlanned cb) { order_planned_ = std::move(cb); }

  net::Task<KeyTestResult> run();

 private:
  struct Run;
  venues::Venue& venue_;
  const crypto::Signer& signer_;
  const Clock& clock_;
  net::Sleeper& sleeper_;
  KeyTestOptions options_;
  StepCallback on_step_;
  CancelLater cancel_later_;
  OrderPlanned order_planned_;
};

}  // namespace tb::accounts
