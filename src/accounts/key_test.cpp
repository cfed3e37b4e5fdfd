#include "accounts/key_test.hpp"

#include <atomic>

#include "accounts/account_view.hpp"
#include "accounts/key_input.hpp"
#include "accounts/test_order.hpp"
#include "accounts/valuation.hpp"
#include "orders/settle.hpp"
#include "venues/futures_settings.hpp"

namespace tb::accounts {

std::string_view to_string(KeyTestStatus s) {
  switch (s) {
    case KeyTestStatus::Enabled: return "enabled";
    case KeyTestStatus::Invalid: return "invalid";
    case KeyTestStatus::Deferred: return "deferred";
  }
  return "?";
}

namespace {

std::string utc_date(int64_t ms) { return iso_time(ms).substr(0, 10); }  // "2026-11-26"

struct Refusal {
  InvalidReason reason;
  std::string message;
};

// "this server's address 203.0.113.7"; unknown, the operator is told how to make it known, never a guess.
std::string server_address(const std::optional<std::string>& egress_ip) {
  if (egress_ip) return "this server's address " + *egress_ip;
  return "this server's public address (unknown here: the operator sets it with --egress-ip)";
}

std::string ip_hint(const std::optional<std::string>& egress_ip) {
  return "If the key is restricted to IP addresses, add " + server_address(egress_ip) + " to its list.";
}

// The reason a venue error gives, in words a user can act on. `step` says what we were doing. Venues often
// cannot tell an unknown key from a mismatched secret or a caller outside the key's IP list (one answers
// "invalid key, IP or permissions" for all three), so those messages name every cause.
// The reason only: what to do about it is the advice of user_texts.hpp, the same in every channel.
Refusal refusal_for(const Error& e, std::string_view step, const std::optional<std::string>& egress_ip) {
  switch (e.kind) {
    case ErrorKind::InvalidKey:
      return {InvalidReason::InvalidKey,
              "The exchange refused this API key: check that the key and its secret were copied in full, belong together, and that the "
              "key was not deleted. " +
                  ip_hint(egress_ip)};
    case ErrorKind::InvalidSignature: return {InvalidReason::WrongSecret, "The API secret does not match this key: copy the secret again."};
    case ErrorKind::IpNotAllowed:
      return {InvalidReason::IpNotWhitelisted, "This key is restricted to other IP addresses. " + ip_hint(egress_ip)};
    case ErrorKind::PermissionDenied:
      return {InvalidReason::NoTradingPermission, "The key may not " + std::string(step) + ". " + ip_hint(egress_ip)};
    case ErrorKind::InsufficientFunds:
      return {InvalidReason::InsufficientFunds,
              "The key itself is fine, but the account has not enough funds to place the smallest test order. Add funds, then test again."};
    case ErrorKind::RateLimited:
    case ErrorKind::ExchangeUnavailable:
    case ErrorKind::NetworkError:
    case ErrorKind::BadResponse:
    case ErrorKind::InvalidNonce: break;  // the exchange's trouble: deferred, see trouble_text
    case ErrorKind::InvalidOrder:
    case ErrorKind::OrderNotFound:
    case ErrorKind::InvalidArgument:
    case ErrorKind::NotFound:
    case ErrorKind::Conflict:
    case ErrorKind::Unauthenticated:
    case ErrorKind::SecondFactorRequired:
    case ErrorKind::Internal: break;
  }
  return {InvalidReason::Other, "The exchange refused to " + std::string(step) + ": " + e.message};
}

// The exchange's own trouble, not a verdict on the key: the test waits and runs again.
bool is_exchange_trouble(ErrorKind k) {
  switch (k) {
    case ErrorKind::RateLimited:
    case ErrorKind::ExchangeUnavailable:
    case ErrorKind::NetworkError:
    case ErrorKind::BadResponse:
    case ErrorKind::InvalidNonce:
    case ErrorKind::Internal: return true;  // ours (the store, say), not the key's: waited out the same way
    default: return false;
  }
}

// What we wait for, in words: "<venue> asks us to wait 60 s (rate limit) before we read its permissions."
std::string trouble_text(const Error& e, std::string_view venue, std::string_view doing) {
  std::string v(venue);
  switch (e.kind) {
    case ErrorKind::RateLimited:
      if (e.retry_after)
        return v + " asks us to wait " + std::to_string((e.retry_after->count() + 999) / 1000) + " s (rate limit) before we " +
               std::string(doing) + "; the test goes on by itself.";
      return v + " limits our requests right now (rate limit); we wait, then " + std::string(doing) + " again.";
    case ErrorKind::ExchangeUnavailable:
      return v + " is unavailable right now (maintenance or overload) as we " + std::string(doing) + "; the test goes on by itself.";
    case ErrorKind::NetworkError: return v + " did not answer as we " + std::string(doing) + "; the test goes on by itself.";
    case ErrorKind::BadResponse:
      return v + " sent an answer we could not read as we " + std::string(doing) + "; the test goes on by itself.";
    case ErrorKind::Internal: return "Something failed on our side as we " + std::string(doing) + "; the test goes on by itself.";
    default: return v + " refused our request counter (nonce) as we " + std::string(doing) + "; the test goes on by itself.";
  }
}

}  // namespace

// One run's state: the result being built and the step being timed.
struct KeyTest::Run {
  KeyTest& t;
  KeyTestResult result;
  StepName step = StepName::Permissions;
  int64_t step_start = 0;
  // What the steps hand on: the venue's markets, the test order's market, request, reference and answer.
  std::vector<Market> markets;
  const Market* market = nullptr;
  OrderRequest request;
  OrderRef ref;
  Order placed;

  void report(StepState state, std::string message) {
    KeyTestStep s{step, state, std::move(message), state == StepState::Running ? 0 : t.clock_.now_ms() - step_start};
    result.steps.push_back(s);
    if (t.on_step_) t.on_step_(s);
  }
  void begin(StepName name) {
    step = name;
    step_start = t.clock_.now_ms();
    report(StepState::Running, "");
  }
  void skip(StepName name, std::string message) {
    step = name;
    step_start = t.clock_.now_ms();
    report(StepState::Skipped, std::move(message));
  }
  KeyTestResult refuse(InvalidReason reason, std::string message) {
    report(StepState::Failed, message);
    result.status = KeyTestStatus::Invalid;
    result.reason = reason;
    result.message = std::move(message);
    return std::move(result);
  }
  // Not the key's fault: the step waits and the caller runs the test again later.
  KeyTestResult defer(std::string message, std::optional<std::chrono::milliseconds> retry_after = std::nullopt) {
    report(StepState::Waiting, message);
    result.status = KeyTestStatus::Deferred;
    result.reason = InvalidReason::ExchangeUnavailable;
    result.message = std::move(message);
    result.retry_after = retry_after;
    return std::move(result);
  }
  // The venue's verdict refuses the key; the exchange's trouble defers the test.
  KeyTestResult refuse(const Error& e, std::string_view doing) {
    if (is_exchange_trouble(e.kind)) return defer(trouble_text(e, t.venue_.display_name(), doing), e.retry_after);
    auto r = refusal_for(e, doing, t.options_.egress_ip);
    return refuse(r.reason, std::move(r.message));
  }
  void learnt(const OrderRef& ref, orders::OrderState state, std::string note) {
    if (t.order_learnt_) t.order_learnt_(ref, state, std::move(note));
  }
};

KeyTest::KeyTest(venues::Venue& venue, const crypto::Signer& signer, const Clock& clock, net::Sleeper& sleeper, KeyTestOptions options)
    : venue_(venue), signer_(signer), clock_(clock), sleeper_(sleeper), options_(std::move(options)) {}

// The steps, in order; a step that ends the test early hands back the result.
net::Task<KeyTestResult> KeyTest::run() {
  Run r{*this, {}};
  if (auto ended = co_await check_permissions(r)) co_return std::move(*ended);
  if (auto ended = co_await read_balances(r)) co_return std::move(*ended);
  if (auto ended = co_await plan_order(r)) co_return std::move(*ended);
  if (auto ended = co_await send_order(r)) co_return std::move(*ended);
  co_await cancel_order(r);
  // 6. Result: the key placed an order, so it can trade.
  r.result.status = KeyTestStatus::Enabled;
  r.result.reason = InvalidReason::None;
  co_return std::move(r.result);
}

// 2. Permissions: a key that may withdraw or may not trade ends the test; missing IP limits are warnings.
net::Task<KeyTest::Ended> KeyTest::check_permissions(Run& r) {
  r.begin(StepName::Permissions);
  auto perms = co_await venue_.permissions(signer_);
  if (!perms) {
    // A key that may not read its own rights is judged by the calls below; anything else ends the test.
    if (perms.error().kind != ErrorKind::PermissionDenied) co_return r.refuse(perms.error(), "read its permissions");
    r.report(StepState::Skipped, "The exchange does not tell this key's rights; the test order will show them.");
    co_return std::nullopt;
  }
  const KeyPermissions& p = *perms;
  if (p.can_withdraw.value_or(false))
    co_return r.refuse(InvalidReason::WithdrawalPermission, "This key may withdraw funds; we never accept such keys.");
  if (p.can_trade == false || p.can_trade_futures == false)
    co_return r.refuse(InvalidReason::NoTradingPermission, "This key may not trade.");
  if (p.ip_restricted == false) {
    r.result.warnings.push_back("This key has no IP restriction: anyone who obtains it can use it. Restrict it to " +
                                server_address(options_.egress_ip) + ".");
  } else if (!p.ip_restricted) {
    // The venue does not tell: the advice stands, since an unrestricted key is just as likely.
    r.result.warnings.push_back("The exchange does not say whether this key is restricted to IP addresses; if it is not, restrict it to " +
                                server_address(options_.egress_ip) + ".");
  }
  if (p.trading_expires_ms) {
    r.result.trading_expires_ms = p.trading_expires_ms;
    r.result.warnings.push_back("Without an IP restriction this key loses its trading right on " + utc_date(*p.trading_expires_ms) +
                                " (UTC).");
  }
  // Say only what the venue told; the test order shows the rest.
  std::string said = p.can_withdraw ? "Withdrawals are off. " : "The exchange does not say whether withdrawals are on. ";
  said += (p.can_trade || p.can_trade_futures) ? "Trading is allowed." : "The test order will show whether trading is allowed.";
  r.report(StepState::Ok, std::move(said));
  co_return std::nullopt;
}

// 3. Portfolio: the balances and positions, valued in USD; the markets are kept for the test order.
net::Task<KeyTest::Ended> KeyTest::read_balances(Run& r) {
  r.begin(StepName::Balances);
  auto portfolio = co_await venue_.balances(signer_);
  if (!portfolio) co_return r.refuse(portfolio.error(), "read balances");
  r.result.portfolio = *portfolio;
  auto markets = co_await venue_.markets();
  if (!markets) co_return r.refuse(markets.error(), "list its markets");
  r.markets = std::move(*markets);
  auto unvalued = co_await value_in_usd(venue_, *portfolio, r.markets, r.result.usd_total);
  if (!unvalued.empty()) {
    std::string w = "No USD price for";
    for (const auto& asset : unvalued) w += " " + asset;
    r.result.warnings.push_back(w + "; left out of the total.");
  }
  std::string mode = co_await read_position_mode(r);
  r.report(StepState::Ok, std::to_string(portfolio->balances.size()) + " balances, " + std::to_string(portfolio->positions.size()) +
                              " positions, about " + r.result.usd_total.rescale(2, Rounding::Down).to_string() + " USD." + mode);
  co_return std::nullopt;
}

// Futures venues: the position mode robots trade in (hedge mode: each order names the long or short
// position it acts on). Not read is a warning, not a failed test: the key works either way.
net::Task<std::string> KeyTest::read_position_mode(Run& r) {
  venues::FuturesSettings* settings = venues::futures_settings(venue_);
  if (!settings) co_return "";
  auto mode = co_await settings->position_mode(signer_);
  if (!mode) {
    r.result.warnings.push_back("Could not read the position mode (" + std::string(to_string(mode.error().kind)) + ").");
    co_return "";
  }
  r.result.position_mode = std::string(venues::to_string(*mode));
  co_return *mode == venues::PositionMode::Hedge ? " Position mode: hedge (each order names the long or short position)."
                                                 : " Position mode: one-way.";
}

// 4a. The test order: its market, price and client order id, written down by the caller before it is sent.
net::Task<KeyTest::Ended> KeyTest::plan_order(Run& r) {
  r.begin(StepName::TestOrder);
  r.market = pick_test_market(r.markets);
  if (!r.market) co_return r.refuse(InvalidReason::Other, "The exchange lists no BTC market to place the test order in.");
  auto ticker = co_await venue_.ticker(r.market->id);
  if (!ticker) co_return r.refuse(ticker.error(), "read the price");
  // Unique per account in the ledger: the time, and a sequence for tests started within one millisecond.
  static std::atomic<uint64_t> sequence{0};
  const uint64_t unique = static_cast<uint64_t>(clock_.now_ms()) * 1000 + sequence++ % 1000;
  auto planned = plan_test_order(*r.market, ticker->last, make_client_order_id(venue_.id(), unique));
  if (!planned)
    co_return r.defer(std::string(venue_.display_name()) + " gave no usable price to place the test order at (" + planned.error().message +
                      "); the test goes on by itself.");
  r.request = *planned;
  r.ref = OrderRef{r.request.symbol, "", r.request.client_order_id};
  if (order_planned_)
    if (auto written = order_planned_(r.request); !written)
      co_return r.defer("We could not write the test order down before sending it; the test goes on by itself.");
  co_return std::nullopt;
}

// 4b. Sent once; an answer that never came is settled by asking for the client order id, never by sending
// again; a create refused for rate limit was never processed and may go again after the venue's wait.
net::Task<KeyTest::Ended> KeyTest::send_order(Run& r) {
  for (int attempt = 1;; ++attempt) {
    auto created = co_await venue_.create_order(signer_, r.request);
    if (created) {
      r.placed = *created;
      break;
    }
    const Error& e = created.error();
    if (e.outcome_unknown) {
      auto settled = co_await venue_.fetch_order(signer_, r.ref);
      if (settled) {
        r.placed = *settled;
        break;
      }
      co_return order_in_doubt(r, e, settled.error());
    }
    const bool short_wait = !e.retry_after || *e.retry_after <= options_.max_inline_wait;
    if (e.kind == ErrorKind::RateLimited && short_wait && attempt <= options_.rate_limit_retries) {
      if (e.retry_after && *e.retry_after >= std::chrono::seconds(1))
        r.report(StepState::Waiting, trouble_text(e, venue_.display_name(), "place the test order"));
      co_await sleeper_.sleep(e.retry_after.value_or(options_.cancel_backoff));
      r.report(StepState::Running, "");
      continue;
    }
    r.learnt(r.ref, orders::OrderState::Rejected, "the exchange refused it (" + std::string(to_string(e.kind)) + ")");
    co_return r.refuse(e, "place an order");
  }
  r.learnt({r.ref.symbol, r.placed.id, r.ref.client_order_id}, orders::state_of(r.placed), "placed");
  r.ref.order_id = r.placed.id;
  co_return std::nullopt;
}

// Still in doubt after the query: the order stays recorded as in flight and is settled in the background
// by the venue's answers; this test is deferred, and the next run places its own order.
KeyTestResult KeyTest::order_in_doubt(Run& r, const Error& create, const Error& query) {
  r.learnt(r.ref, orders::OrderState::Unknown,
           "no answer to the create (" + std::string(to_string(create.kind)) + "), nor to the query (" +
               std::string(to_string(query.kind)) + ")");
  r.result.order_in_doubt = r.ref;
  if (cancel_later_) cancel_later_(r.ref);
  return r.defer(std::string(venue_.display_name()) + " did not answer the test order (client order id " + r.ref.client_order_id +
                 "), and cannot tell yet whether it holds it: we keep asking, cancel it if it is there, and test the key again.");
}

// 5. Cancel and confirm; an order the venue closed at once (a post-only that would take) has nothing to
// cancel. A cancel that is not confirmed is handed to the background, and the user is told.
net::Task<void> KeyTest::cancel_order(Run& r) {
  const Order& placed = r.placed;
  std::string what = "Limit buy " + r.request.amount.to_plain_string() + " " + r.market->symbol + " at " +
                     r.request.price->to_plain_string() + " (post-only), order " + placed.id;
  if (!is_open(placed.status)) {
    r.report(StepState::Ok, what + ", closed at once by the exchange (" + std::string(to_string(placed.status)) + ").");
    r.skip(StepName::Cancel, "Nothing to cancel.");
    co_return;
  }
  r.report(StepState::Ok, what + ".");
  r.begin(StepName::Cancel);
  bool confirmed = co_await orders::cancel_and_confirm(venue_, signer_, sleeper_, r.ref, options_.cancel_attempts, options_.cancel_backoff);
  if (confirmed) {
    r.learnt(r.ref, orders::OrderState::Cancelled, "cancelled and confirmed");
    r.report(StepState::Ok, "Order " + placed.id + " cancelled and confirmed.");
    co_return;
  }
  r.learnt(r.ref, orders::OrderState::Open, "its cancel was not confirmed");
  r.result.order_to_cancel_by_hand = r.ref;
  if (cancel_later_) cancel_later_(r.ref);
  r.report(StepState::Failed, "The test order " + placed.id + " (" + r.market->symbol + ", client id " + r.ref.client_order_id +
                                  ") could not be cancelled yet; we keep trying in the background. Cancel it by hand on the "
                                  "exchange if you can.");
}

}  // namespace tb::accounts
