#include "accounts/key_test.hpp"


#include "accounts/account_view.hpp"
#include "accounts/key_input.hpp"
#include "accounts/test_order.hpp"
#include "accounts/valuation.hpp"

namespace tb::accounts {

std::string_view to_string(StepState s) {
  switch (s) {
    case StepState::Running: return "running";
    case StepState::Ok: return "ok";
    case StepState::Failed: return "failed";
    case StepState::Skipped: return "skipped";
  }
  return "?";
}

std::string_view to_string(KeyTestStatus s) { return s == KeyTestStatus::Enabled ? "enabled" : "invalid"; }

std::string_view to_string(InvalidReason r) {
  switch (r) {
    case InvalidReason::None: return "none";
    case InvalidReason::InvalidKey: return "invalid_key";
    case InvalidReason::WrongSecret: return "wrong_secret";
    case InvalidReason::IpNotWhitelisted: return "ip_not_whitelisted";
    case InvalidReason::NoTradingPermission: return "no_trading_permission";
    case InvalidReason::WithdrawalPermission: return "withdrawal_permission";
    case InvalidReason::InsufficientFunds: return "insufficient_funds";
    case InvalidReason::ExchangeUnavailable: return "exchange_unavailable";
    case InvalidReason::Other: return "other";
  }
  return "?";
}

namespace {

std::string utc_date(int64_t ms) { return iso_time(ms).substr(0, 10); }  // "2026-11-26"

struct Refusal {
  InvalidReason reason;
  std::string message;
};

std::string ip_hint(const std::optional<std::string>& egress_ip) {
  return "If the key is restricted to IP addresses, add this server's address" + (egress_ip ? " " + *egress_ip : std::string()) + " to its list.";
}

// The reason a venue error gives, in words a user can act on. `step` says what we were doing. Venues often
// cannot tell an unknown key from a mismatched secret or a caller outside the key's IP list (Binance -2015,
// Kraken "Invalid key" / "Permission denied", Bitfinex "apikey: invalid"), so those messages name every cause.
Refusal refusal_for(const Error& e, std::string_view step, const VenueKeyFacts& facts, const std::optional<std::string>& egress_ip) {
  switch (e.kind) {
    case ErrorKind::InvalidKey:
      return {InvalidReason::InvalidKey,
              "The exchange refused this API key: check that the key and its secret were copied in full, belong together, and that the "
              "key was not deleted. " + ip_hint(egress_ip)};
    case ErrorKind::InvalidSignature: return {InvalidReason::WrongSecret, "The API secret does not match this key: copy the secret again."};
    case ErrorKind::IpNotAllowed: return {InvalidReason::IpNotWhitelisted, "This key is restricted to other IP addresses. " + ip_hint(egress_ip)};
    case ErrorKind::PermissionDenied:
      return {InvalidReason::NoTradingPermission,
              "The key may not " + std::string(step) + ". " + std::string(facts.trade_on_hint) + " " + ip_hint(egress_ip)};
    case ErrorKind::InsufficientFunds:
      return {InvalidReason::InsufficientFunds, "The key itself is fine, but the account has not enough funds to place the smallest test order. Add funds, then test again."};
    case ErrorKind::RateLimited:
    case ErrorKind::ExchangeUnavailable:
    case ErrorKind::NetworkError:
    case ErrorKind::BadResponse:
    case ErrorKind::InvalidNonce:
      return {InvalidReason::ExchangeUnavailable, "The exchange is unavailable right now (" + std::string(to_string(e.kind)) + "); try again later."};
    case ErrorKind::InvalidOrder:
    case ErrorKind::OrderNotFound:
    case ErrorKind::InvalidArgument:
    case ErrorKind::NotFound:
    case ErrorKind::Conflict:
    case ErrorKind::Unauthenticated:
      break;
  }
  return {InvalidReason::Other, "The exchange refused to " + std::string(step) + ": " + e.message};
}

}  // namespace

// One run's state: the result being built and the step being timed.
struct KeyTest::Run {
  KeyTest& t;
  KeyTestResult result;
  const VenueKeyFacts& facts;
  std::string step;
  int64_t step_start = 0;

  void report(StepState state, std::string message) {
    KeyTestStep s{step, state, std::move(message), state == StepState::Running ? 0 : t.clock_.now_ms() - step_start};
    result.steps.push_back(s);
    if (t.on_step_) t.on_step_(s);
  }
  void begin(std::string name) {
    step = std::move(name);
    step_start = t.clock_.now_ms();
    report(StepState::Running, "");
  }
  void skip(std::string name, std::string message) {
    step = std::move(name);
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
  KeyTestResult refuse(const Error& e, std::string_view doing) {
    auto r = refusal_for(e, doing, facts, t.options_.egress_ip);
    return refuse(r.reason, std::move(r.message));
  }
};

KeyTest::KeyTest(venues::Venue& venue, const crypto::Signer& signer, const Clock& clock, net::Sleeper& sleeper, KeyTestOptions options)
    : venue_(venue), signer_(signer), clock_(clock), sleeper_(sleeper), options_(std::move(options)) {}

net::Task<KeyTestResult> KeyTest::run() {
  Run r{*this, {}, key_facts(venue_.id())};

  // 2. Permissions -------------------------------------------------------------------------------------
  r.begin("permissions");
  auto perms = co_await venue_.permissions(signer_);
  if (!perms) {
    // A key that may not read its own rights is judged by the calls below; anything else ends the test.
    if (perms.error().kind != ErrorKind::PermissionDenied) co_return r.refuse(perms.error(), "read its permissions");
    r.report(StepState::Skipped, "The exchange does not tell this key's rights; the test order will show them.");
  } else {
    const KeyPermissions& p = *perms;
    if (p.can_withdraw.value_or(false))
      co_return r.refuse(InvalidReason::WithdrawalPermission,
                         "This key may withdraw funds; we never accept such keys. " + std::string(r.facts.withdraw_off_hint));
    if (p.can_trade == false || p.can_trade_futures == false)
      co_return r.refuse(InvalidReason::NoTradingPermission, "This key may not trade. " + std::string(r.facts.trade_on_hint));
    if (p.ip_restricted == false) {
      std::string w = "This key has no IP restriction: anyone who obtains it can use it. Restrict it to this server's address";
      w += options_.egress_ip ? " " + *options_.egress_ip + "." : ".";
      r.result.warnings.push_back(std::move(w));
    } else if (!p.ip_restricted) {
      // Bitfinex does not tell: the advice stands, since an unrestricted key is just as likely.
      std::string w = "The exchange does not say whether this key is restricted to IP addresses; if it is not, restrict it to this server's address";
      w += options_.egress_ip ? " " + *options_.egress_ip + "." : ".";
      r.result.warnings.push_back(std::move(w));
    }
    if (p.trading_expires_ms) {
      r.result.trading_expires_ms = p.trading_expires_ms;
      r.result.warnings.push_back("Without an IP restriction this key loses its trading right on " + utc_date(*p.trading_expires_ms) + " (UTC).");
    }
    // Say only what the venue told; the test order shows the rest.
    std::string said = p.can_withdraw ? "Withdrawals are off. " : "The exchange does not say whether withdrawals are on. ";
    said += (p.can_trade || p.can_trade_futures) ? "Trading is allowed." : "The test order will show whether trading is allowed.";
    r.report(StepState::Ok, std::move(said));
  }

  // 3. Portfolio ---------------------------------------------------------------------------------------
  r.begin("balances");
  auto portfolio = co_await venue_.balances(signer_);
  if (!portfolio) co_return r.refuse(portfolio.error(), "read balances");
  r.result.portfolio = *portfolio;
  auto markets = co_await venue_.markets();
  if (!markets) co_return r.refuse(markets.error(), "list its markets");
  auto unvalued = co_await value_in_usd(venue_, *portfolio, *markets, r.result.usd_total);
  if (!unvalued.empty()) {
    std::string w = "No USD price for";
    for (const auto& asset : unvalued) w += " " + asset;
    r.result.warnings.push_back(w + "; left out of the total.");
  }
  r.report(StepState::Ok, std::to_string(portfolio->balances.size()) + " balances, " + std::to_string(portfolio->positions.size()) +
                              " positions, about " + r.result.usd_total.rescale(2, Rounding::Down).to_string() + " USD.");

  // 4. Test order --------------------------------------------------------------------------------------
  r.begin("test_order");
  const Market* market = pick_test_market(*markets);
  if (!market) co_return r.refuse(InvalidReason::Other, "The exchange lists no BTC market to place the test order in.");
  auto ticker = co_await venue_.ticker(market->id);
  if (!ticker) co_return r.refuse(ticker.error(), "read the price");
  auto planned = plan_test_order(*market, ticker->last, make_client_order_id(venue_.id(), static_cast<uint64_t>(clock_.now_ms())));
  if (!planned) co_return r.refuse(InvalidReason::ExchangeUnavailable, planned.error().message + "; try again later.");
  const OrderRequest request = *planned;
  OrderRef ref{request.symbol, "", request.client_order_id};
  if (order_planned_) order_planned_(ref);

  std::optional<Order> placed;
  for (int attempt = 1;; ++attempt) {
    auto created = co_await venue_.create_order(signer_, request);
    if (created) {
      placed = *created;
      break;
    }
    const Error& e = created.error();
    if (e.outcome_unknown) {
      // The venue may hold the order: only a query by our client order id can say; never send it again.
      auto settled = co_await venue_.fetch_order(signer_, ref);
      if (settled) {
        placed = *settled;
        break;
      }
      if (settled.error().kind == ErrorKind::OrderNotFound)
        co_return r.refuse(InvalidReason::ExchangeUnavailable,
                           "The exchange did not answer the test order and has no such order; try again later.");
      co_return r.refuse(settled.error(), "report the test order");
    }
    // Refused for rate limit before processing: nothing was placed, so the same order may go again.
    if (e.kind == ErrorKind::RateLimited && attempt <= options_.rate_limit_retries) {
      co_await sleeper_.sleep(e.retry_after.value_or(options_.cancel_backoff));
      continue;
    }
    co_return r.refuse(e, "place an order");
  }
  ref.order_id = placed->id;
  std::string what = "Limit buy " + request.amount.to_plain_string() + " " + market->symbol + " at " + request.price->to_plain_string() +
                     " (post-only), order " + placed->id;
  if (!is_open(placed->status)) {
    // Post-only orders that would take are cancelled by the venue itself; the key still traded.
    r.report(StepState::Ok, what + ", closed at once by the exchange (" + std::string(to_string(placed->status)) + ").");
    r.skip("cancel", "Nothing to cancel.");
  } else {
    r.report(StepState::Ok, what + ".");

    // 5. Cancel and confirm --------------------------------------------------------------------------
    r.begin("cancel");
    bool confirmed = co_await cancel_and_confirm(venue_, signer_, sleeper_, ref, options_.cancel_attempts, options_.cancel_backoff);
    if (confirmed) {
      r.report(StepState::Ok, "Order " + placed->id + " cancelled and confirmed.");
    } else {
      std::string w = "The test order " + placed->id + " (" + market->symbol + ", client id " + ref.client_order_id +
                      ") could not be cancelled; please cancel it by hand on the exchange. We keep trying in the background.";
      r.result.order_to_cancel_by_hand = ref;
      r.result.warnings.push_back(w);
      if (cancel_later_) cancel_later_(ref);
      r.report(StepState::Failed, w);
    }
  }

  // 6. Result: the key placed an order, so it can trade.
  r.result.status = KeyTestStatus::Enabled;
  r.result.reason = InvalidReason::None;
  co_return std::move(r.result);
}

}  // namespace tb::accounts
