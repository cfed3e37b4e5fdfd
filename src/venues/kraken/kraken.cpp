#include "venues/kraken/kraken.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "venues/common/json_util.hpp"
#include "venues/common/params.hpp"
#include "venues/common/rate_limit.hpp"
#include "venues/common/retry.hpp"
#include "venues/kraken/auth.hpp"
#include "venues/kraken/endpoints.hpp"
#include "venues/kraken/errors.hpp"
#include "venues/kraken/parse.hpp"
#include "venues/kraken/requests.hpp"
#include "venues/kraken/symbols.hpp"

namespace tb::venues {
namespace kraken {
namespace {

Error needs_key_error() { return invalid_argument("this kraken action needs an API key and its secret"); }

Error order_not_found(const std::string& what) { return Error::make(ErrorKind::OrderNotFound, "kraken has no order with " + what); }

// A state-changing call whose answer we did not get (or could not read) may have been carried out.
void mark_outcome_unknown(Error& e) {
  bool no_answer = e.kind == ErrorKind::NetworkError;
  bool gateway = e.kind == ErrorKind::ExchangeUnavailable && e.http_status >= 500 && e.venue_code.empty();
  bool unreadable = e.kind == ErrorKind::BadResponse && e.venue_code.empty();
  if (no_answer || gateway || unreadable) e.outcome_unknown = true;
}

class KrakenVenue final : public Venue {
 public:
  KrakenVenue(VenueContext ctx, VenueConfig config)
      : ctx_(ctx),
        config_(std::move(config)),
        clock_(ctx.clock ? *ctx.clock : SystemClock::instance()),
        own_nonces_(clock_),
        nonces_(ctx.nonces ? *ctx.nonces : own_nonces_),
        base_url_(config_.base_url ? *config_.base_url : std::string(kBaseUrl)) {
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
  }

  std::string_view id() const override { return kVenueId; }
  std::string_view display_name() const override { return kDisplayName; }

  Task<Result<int64_t>> server_time() override {
    auto r = co_await read({endpoint::kTime, {}}, nullptr);
    if (!r) co_return r.error();
    co_return parse_server_time(*r);
  }

  Task<Result<std::vector<Market>>> markets() override {
    auto pairs = co_await read({endpoint::kAssetPairs, {}}, nullptr);
    if (!pairs) co_return pairs.error();
    // Assets only improves names (altname); the built-in renames cover the legacy ids without it.
    auto assets = co_await read({endpoint::kAssets, {}}, nullptr);
    auto markets = parse_markets(*pairs, assets ? parse_asset_codes(*assets) : std::map<std::string, std::string>{});
    if (markets)
      for (auto& m : *markets) pairs_.add(m.id, m.altname);
    co_return markets;
  }

  Task<Result<Ticker>> ticker(std::string symbol) override {
    auto call = ticker_call(symbol);
    if (!call) co_return call.error();
    auto r = co_await read(*call, nullptr);
    if (!r) co_return r.error();
    std::string key;
    auto entry = pair_entry(*r, symbol, pairs_, &key);
    if (!entry) co_return bad_response("kraken ticker has no entry for " + symbol);
    auto t = parse_ticker(*entry, key);
    if (t) t->time_ms = clock_.now_ms();
    co_return t;
  }

  Task<Result<std::vector<Candle>>> candles(CandleQuery q) override {
    auto call = ohlc_call(q);
    if (!call) co_return call.error();
    auto r = co_await read(*call, nullptr);
    if (!r) co_return r.error();
    auto entry = pair_entry(*r, q.symbol, pairs_);
    if (!entry) co_return bad_response("kraken OHLC has no entry for " + q.symbol);
    auto rows = parse_candles(*entry);
    if (!rows) co_return rows.error();
    auto& v = *rows;
    if (q.since_ms) std::erase_if(v, [&](const Candle& c) { return c.open_time_ms < *q.since_ms; });
    if (q.limit && v.size() > static_cast<size_t>(*q.limit)) {
      // With `since` the first candles after it; without, the most recent ones.
      if (q.since_ms) v.resize(*q.limit);
      else v.erase(v.begin(), v.end() - *q.limit);
    }
    co_return rows;
  }

  Task<Result<Portfolio>> balances(const crypto::Signer& signer) override {
    auto r = co_await read({endpoint::kBalanceEx, {}}, &signer);
    if (!r) co_return r.error();
    co_return parse_balances(*r);
  }

  Task<Result<Order>> create_order(const crypto::Signer& signer, OrderRequest request) override {
    auto call = add_order_call(request);
    if (!call) co_return call.error();
    auto r = co_await write(*call, signer);
    if (!r) co_return r.error();
    co_return parse_add_order(*r, request, clock_.now_ms());
  }

  Task<Result<Order>> cancel_order(const crypto::Signer& signer, OrderRef ref) override {
    auto call = cancel_order_call(ref);
    if (!call) co_return call.error();
    auto r = co_await write(*call, signer);
    if (!r) co_return r.error();
    auto o = parse_cancel(*r, ref, clock_.now_ms());
    if (!o && o.error().kind == ErrorKind::OrderNotFound)
      co_return order_not_found(ref.order_id.empty() ? "client order id " + ref.client_order_id : "id " + ref.order_id);
    co_return o;
  }

  Task<Result<Order>> fetch_order(const crypto::Signer& signer, OrderRef ref) override {
    if (!ref.order_id.empty()) {
      auto r = co_await read(query_order_call(ref.order_id), &signer);
      if (!r) co_return r.error();
      if (!r->is_object() || !r->contains(ref.order_id)) co_return order_not_found("id " + ref.order_id);
      co_return parse_order(ref.order_id, (*r)[ref.order_id]);
    }
    if (ref.client_order_id.empty()) co_return invalid_argument("missing parameter 'order_id' or 'client_order_id'");
    // Open first, then finished ones: an order whose create answer never came is settled either way.
    auto open = co_await find_by_client_id(open_orders_call(ref.client_order_id), "open", ref.client_order_id, signer);
    if (!open || open->has_value()) co_return open ? Result<Order>(**open) : Result<Order>(open.error());
    auto closed = co_await find_by_client_id(closed_orders_call(ref.client_order_id), "closed", ref.client_order_id, signer);
    if (!closed) co_return closed.error();
    if (!closed->has_value()) co_return order_not_found("client order id " + ref.client_order_id);
    co_return **closed;
  }

  Task<Result<std::vector<Order>>> open_orders(const crypto::Signer& signer, std::optional<std::string> symbol) override {
    auto r = co_await read(open_orders_call(), &signer);
    if (!r) co_return r.error();
    if (!r->is_object() || !r->contains("open")) co_return bad_response("kraken OpenOrders answer lacks 'open'");
    auto orders = parse_orders((*r)["open"]);
    if (!orders || !symbol) co_return orders;
    // Orders name their pair by altname; learn the id <-> altname pairs once if the filter is new to us.
    if (!pairs_.id_of(*symbol))
      if (auto learnt = co_await markets(); !learnt) co_return learnt.error();  // unmatched, the filter would drop every order
    std::erase_if(*orders, [&](const Order& o) { return !pairs_.same_pair(o.symbol, *symbol); });
    co_return orders;
  }

  Task<Result<KeyPermissions>> permissions(const crypto::Signer& signer) override {
    auto r = co_await read({endpoint::kGetApiKeyInfo, {}}, &signer);
    if (r) co_return parse_key_info(*r);
    const Error& e = r.error();
    if (e.venue_code != "EGeneral:Unknown method" && e.http_status != 404) co_return e;
    // No rights list: probe a funding call that needs the withdraw right and read the denial.
    auto probe = co_await read({endpoint::kWithdrawMethods, {}}, &signer);
    KeyPermissions k;
    if (probe) k.can_withdraw = true;
    else if (probe.error().kind == ErrorKind::PermissionDenied) k.can_withdraw = false;
    else co_return probe.error();
    co_return k;
  }

  Result<net::HttpRequest> prepare(Action action, const ActionParams& p, const crypto::Signer* signer, const RequestStamp& stamp) override {
    auto call = first_call(action, p);
    if (!call) return call.error();
    return build(*call, signer, stamp);
  }

 private:
  Result<Call> first_call(Action action, const ActionParams& p) {
    switch (action) {
      case Action::ServerTime: return Call{endpoint::kTime, {}};
      case Action::Markets: return Call{endpoint::kAssetPairs, {}};
      case Action::Ticker: {
        auto s = required_param(p, "symbol");
        if (!s) return s.error();
        return ticker_call(*s);
      }
      case Action::Candles: {
        auto q = parse_candle_query(p);
        if (!q) return q.error();
        return ohlc_call(*q);
      }
      case Action::Balances: return Call{endpoint::kBalanceEx, {}};
      case Action::CreateOrder: {
        auto r = parse_order_request(p);
        if (!r) return r.error();
        return add_order_call(*r);
      }
      case Action::CancelOrder: {
        auto ref = parse_order_ref(p);
        if (!ref) return ref.error();
        return cancel_order_call(*ref);
      }
      case Action::FetchOrder: {
        auto ref = parse_order_ref(p);
        if (!ref) return ref.error();
        return ref->order_id.empty() ? open_orders_call(ref->client_order_id) : query_order_call(ref->order_id);
      }
      case Action::OpenOrders: return open_orders_call();
      case Action::Permissions: return Call{endpoint::kGetApiKeyInfo, {}};
    }
    return invalid_argument("unknown action");
  }

  // The exact request: public GET with a query, or private POST with a form body starting nonce=<n>,
  // signed. The stamp fixes the nonce (or a timestamp in ms, as µs) for reproducible dry runs.
  Result<net::HttpRequest> build(const Call& call, const crypto::Signer* signer, const RequestStamp& stamp) {
    net::HttpRequest req;
    const auto& ep = call.endpoint;
    if (!ep.is_private) {
      req.method = "GET";
      req.url = base_url_ + std::string(kPublicPrefix) + std::string(ep.method);
      if (!call.params.empty()) req.url += "?" + net::form_encode(call.params);
      return req;
    }
    if (!signer) return needs_key_error();
    uint64_t nonce = stamp.nonce          ? *stamp.nonce
                     : stamp.timestamp_ms ? static_cast<uint64_t>(*stamp.timestamp_ms) * 1000
                                          : nonces_.next(signer->api_key());
    Params body{{"nonce", std::to_string(nonce)}};
    body.insert(body.end(), call.params.begin(), call.params.end());
    std::string path = std::string(kPrivatePrefix) + std::string(ep.method);
    req.method = "POST";
    req.url = base_url_ + path;
    req.body = net::form_encode(body);
    auto headers = private_headers(*signer, path, std::to_string(nonce), req.body);
    if (!headers) return headers.error();
    req.headers = std::move(*headers);
    return req;
  }

  DecayLimiter& limiter_for(const Call& call, const crypto::Signer* signer) {
    if (!call.endpoint.is_private || !signer) return public_limiter_;
    std::lock_guard lock(mu_);
    auto& slot = key_limiters_[signer->api_key()];
    if (!slot) slot = std::make_unique<DecayLimiter>(kKeyCounterMax, kKeyCounterDecayPerSecond);
    return *slot;
  }

  // Waits until the call's cost fits the counter (Kraken has no usage headers: we count ourselves).
  Task<void> throttle(const Call& call, const crypto::Signer* signer) {
    if (call.endpoint.cost <= 0) co_return;
    auto& lim = limiter_for(call, signer);
    for (int i = 0; i < 8; ++i) {
      auto wait = lim.reserve(call.endpoint.cost, clock_.now_ms());
      if (wait.count() <= 0 || !ctx_.sleeper) co_return;
      co_await ctx_.sleeper->sleep(wait);
    }
  }

  Task<Result<json>> send_once(const Call& call, const crypto::Signer* signer) {
    if (call.endpoint.is_private && !signer) co_return needs_key_error();
    if (!ctx_.transport) co_return Error::make(ErrorKind::NetworkError, "kraken: no HTTP transport configured");
    co_await throttle(call, signer);
    auto req = build(call, signer, {});  // after the wait, so the nonce is taken as late as possible
    if (!req) co_return req.error();
    auto resp = co_await ctx_.transport->send(std::move(*req), config_.request);
    if (!resp) co_return resp.error();
    co_return unwrap_response(*resp);
  }

  // Reads are safe to repeat: transient failures are retried, each time with a fresh nonce.
  Task<Result<json>> read(const Call& call, const crypto::Signer* signer) {
    int max_attempts = std::max(1, config_.max_attempts);
    for (int attempt = 1;; ++attempt) {
      auto r = co_await send_once(call, signer);
      if (r || attempt >= max_attempts || !is_transient(r.error()) || !ctx_.sleeper) co_return r;
      co_await ctx_.sleeper->sleep(retry_delay(r.error(), attempt));
    }
  }

  // Create and cancel go out once, whatever happens: a second AddOrder could double the order.
  Task<Result<json>> write(const Call& call, const crypto::Signer& signer) {
    auto r = co_await send_once(call, &signer);
    if (!r) mark_outcome_unknown(r.error());
    co_return r;
  }

  // The newest order under result.<section> carrying this client order id, or nullopt.
  Task<Result<std::optional<Order>>> find_by_client_id(const Call& call, const char* section, const std::string& cl_ord_id,
                                                       const crypto::Signer& signer) {
    auto r = co_await read(call, &signer);
    if (!r) co_return r.error();
    if (!r->is_object() || !r->contains(section)) co_return bad_response(std::string("kraken answer lacks '") + section + "'");
    auto orders = parse_orders((*r)[section]);
    if (!orders) co_return orders.error();
    for (auto& o : *orders)
      if (o.client_order_id == cl_ord_id) co_return std::optional<Order>(o);
    co_return std::optional<Order>{};
  }

  VenueContext ctx_;
  VenueConfig config_;
  const Clock& clock_;
  NonceSource own_nonces_;  // only when the context brings none
  NonceSource& nonces_;
  std::string base_url_;
  PairBook pairs_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<DecayLimiter>> key_limiters_;
  DecayLimiter public_limiter_{kPublicCounterMax, kPublicCounterDecayPerSecond};
};

}  // namespace
}  // namespace kraken

std::unique_ptr<Venue> make_kraken(VenueContext ctx, VenueConfig config) {
  return std::make_unique<kraken::KrakenVenue>(ctx, std::move(config));
}

}  // namespace tb::venues
