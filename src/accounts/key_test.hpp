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
#include "orders/order_state.hpp"
#include "store/key_test_store.hpp"
#include "venues/venue.hpp"

namespace tb::accounts {

// The step states and refusal reasons are the store's (store/key_test_store.hpp), so a test is stored as it ran.
using StepState = store::StepState;
using InvalidReason = store::InvalidReason;
using StepName = store::StepName;
using KeyTestStep = store::KeyTestStep;

// Deferred: the exchange's own trouble kept the test from a verdict; it is not the key's fault, and the
// caller runs the test again later (reason ExchangeUnavailable, retry_after when the venue asked for a wait).
enum class KeyTestStatus { Enabled, Invalid, Deferred };
std::string_view to_string(KeyTestStatus);

struct KeyTestResult {
  KeyTestStatus status = KeyTestStatus::Invalid;
  InvalidReason reason = InvalidReason::None;
  std::string message;                                   // why invalid or deferred, in plain words; empty when enabled
  std::optional<std::chrono::milliseconds> retry_after;  // deferred: the wait the venue asked for
  Portfolio portfolio;
  Decimal usd_total;
  std::vector<std::string> warnings;  // no IP restriction, trading right expiry, order left open
  std::optional<int64_t> trading_expires_ms;
  std::optional<std::string> position_mode;         // futures venues: "one_way" or "hedge"
  std::optional<OrderRef> order_to_cancel_by_hand;  // the test order, when its cancel could not be confirmed
  std::optional<OrderRef> order_in_doubt;           // the test order, when no answer told whether the venue holds it
  std::vector<KeyTestStep> steps;                   // every report, in order
};

struct KeyTestOptions {
  std::optional<std::string> egress_ip;               // the server's own address, shown when the key has no IP list
  int cancel_attempts = 4;                            // the first try included
  std::chrono::milliseconds cancel_backoff{500};      // doubled after each failed try
  int rate_limit_retries = 2;                         // a create refused for rate limit was never processed: safe to resend
  std::chrono::milliseconds max_inline_wait{90'000};  // a rate-limited create waits this long at most, else the test is deferred
};

class KeyTest {
 public:
  using StepCallback = std::function<void(const KeyTestStep&)>;
  // Takes over an order left unsettled (its cancel not confirmed, or its create answer lost), to settle
  // it in the background.
  using CancelLater = std::function<void(const OrderRef&)>;
  // The test order about to be sent: the caller writes it down first, so an order placed just before a
  // crash or a lost answer is still found and cancelled. An error stops the send (the test is deferred).
  using OrderPlanned = std::function<Status(const OrderRequest&)>;
  // What the venue's answers made of the test order, as it happens.
  using OrderLearnt = std::function<void(const OrderRef&, orders::OrderState, std::string note)>;

  KeyTest(venues::Venue& venue, const crypto::Signer& signer, const Clock& clock, net::Sleeper& sleeper, KeyTestOptions options = {});
  void on_step(StepCallback cb) { on_step_ = std::move(cb); }
  void on_cancel_later(CancelLater cb) { cancel_later_ = std::move(cb); }
  void on_order_planned(OrderPlanned cb) { order_planned_ = std::move(cb); }
  void on_order_learnt(OrderLearnt cb) { order_learnt_ = std::move(cb); }

  net::Task<KeyTestResult> run();

 private:
  struct Run;
  using Ended = std::optional<KeyTestResult>;  // a step that ends the test early hands back the result
  net::Task<Ended> check_permissions(Run& r);
  net::Task<Ended> read_balances(Run& r);
  net::Task<std::string> read_position_mode(Run& r);  // " Position mode: ..." for the report, or ""
  net::Task<Ended> plan_order(Run& r);
  net::Task<Ended> send_order(Run& r);
  KeyTestResult order_in_doubt(Run& r, const Error& create, const Error& query);
  net::Task<void> cancel_order(Run& r);
  venues::Venue& venue_;
  const crypto::Signer& signer_;
  const Clock& clock_;
  net::Sleeper& sleeper_;
  KeyTestOptions options_;
  StepCallback on_step_;
  CancelLater cancel_later_;
  OrderPlanned order_planned_;
  OrderLearnt order_learnt_;
};

}  // namespace tb::accounts
