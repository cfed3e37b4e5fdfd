#include "venues/bitfinex/bitfinex.hpp"

#include <functional>
#include <map>

#include "venues/bitfinex/dates.hpp"
#include "venues/bitfinex/endpoints.hpp"
#include "venues/bitfinex/errors.hpp"
#include "venues/bitfinex/parse.hpp"
#include "venues/bitfinex/requests.hpp"
#include "venues/common/json_util.hpp"
#include "venues/common/params.hpp"
#include "venues/common/rate_limit.hpp"
#include "venues/common/retry.hpp"

namespace tb::venues {
namespace bitfinex {
namespace {

struct Reply {
  net::HttpResponse response;
  json body;
};

// Whether a call may be sent again after a transient failure: reads yes, orders never.
enum class Repeat { Safe, Never };

Error needs_key_error() { return invalid_argument(std::string(kVenueId) + ": this action needs an API key and its secret"); }

// For a state-changing call: could the venue have acted although we saw no clear answer?
bool outcome_open(const Error& e) {
  switch (e.kind) {
    case ErrorKind::NetworkError:
    case ErrorKind::BadResponse: return true;
    case ErrorKind::ExchangeUnavailable: return e.venue_code != "20060";  // maintenance is a clear refusal
    default: return false;
  }
}

Error order_not_found(const OrderRef& ref) {
  Error e =
      Error::make(ErrorKind::OrderNotFound, std::string(kVenueId) + " has no order " +
                                                (ref.order_id.empty() ? "with client order id " + ref.client_order_id : ref.order_id) +
                                                " among active orders or recent history");
  return e;
}

std::string orders_path(const std::string& symbol) {
  return symbol.empty() ? std::string(kOrders.path) : std::string(kOrders.path) + "/" + symbol;
}
std::string history_path(const std::string& symbol) {
  return symbol.empty() ? std::string(kOrdersHist.path) : std::string(kOrders.path) + "/" + symbol + "/hist";
}

class BitfinexVenue final : public Venue {
 public:
  BitfinexVenue(VenueContext ctx, VenueConfig config) : ctx_(ctx), config_(std::move(config)), urls_(base_urls(config_)) {
    for (const auto& ep : kAllEndpoints) {
      auto [it, added] = limiters_.emplace(ep.family, std::make_unique<WindowLimiter>(ep.per_minute, 60'000));
      if (added) it->second->keep_in(ctx_.limits, std::string(kVenueId), std::string(ep.family), now_ms());
    }
  }

  std::string_view id() const override { return kVenueId; }
  std::string_view display_name() const override { return kDisplayName; }

  // No time endpoint: the platform status answer's Date header is the venue's clock (second resolution).
  Task<Result<int64_t>> server_time() override {
    auto r = co_await call(kPlatformStatus, public_request(std::string(kPlatformStatus.path)), Repeat::Safe);
    if (!r) co_return r.error();
    const std::string* date = r->response.header("Date");
    if (!date) co_return bad_response(std::string(kVenueId) + ": platform status answer has no Date header", r->response.status);
    auto ms = parse_http_date(*date);
    if (!ms) co_return bad_response(std::string(kVenueId) + ": malformed Date header '" + snippet(*date, 40) + "'", r->response.status);
    co_return *ms;
  }

  Task<Result<std::vector<Market>>> markets() override {
    auto r = co_await call(kConfPairs, public_request(std::string(kConfPairs.path)), Repeat::Safe);
    if (!r) co_return r.error();
    co_return parse_markets(r->body);
  }

  Task<Result<Ticker>> ticker(std::string symbol) override {
    auto path = ticker_path(symbol);
    if (!path) co_return path.error();
    auto r = co_await call(kTicker, public_request(*path), Repeat::Safe);
    if (!r) co_return r.error();
    co_return parse_ticker(r->body, symbol, now_ms());
  }

  Task<Result<std::vector<Candle>>> candles(CandleQuery query) override {
    auto path = candles_path(query);
    if (!path) co_return path.error();
    auto r = co_await call(kCandles, public_request(*path), Repeat::Safe);
    if (!r) co_return r.error();
    co_return parse_candles(r->body);
  }

  // Spot only: the exchange wallet. Derivatives positions (auth/r/positions) are not read yet.
  Task<Result<Portfolio>> balances(const crypto::Signer& signer) override {
    auto r = co_await call(kWallets, signed_request(signer, std::string(kWallets.path), "{}"), Repeat::Safe);
    if (!r) co_return r.error();
    co_return parse_wallets(r->body);
  }

  Task<Result<Order>> create_order(const crypto::Signer& signer, OrderRequest request) override {
    auto body = submit_body(request, now_ms());
    if (!body) co_return body.error();
    auto r = co_await call(kOrderSubmit, signed_request(signer, std::string(kOrderSubmit.path), *body), Repeat::Never);
    if (!r) co_return r.error();
    co_return settle_unclear(parse_order_notification(r->body, "on-req"));
  }

  Task<Result<Order>> cancel_order(const crypto::Signer& signer, OrderRef ref) override {
    auto body = cancel_body(ref, now_ms());
    if (!body) co_return body.error();
    auto r = co_await call(kOrderCancel, signed_request(signer, std::string(kOrderCancel.path), *body), Repeat::Never);
    if (!r) co_return r.error();
    co_return settle_unclear(parse_cancel_notification(r->body));
  }

  // Active orders first, then the recent history, so finished and cancelled orders are found too: an
  // order whose answer never came is settled by this query.
  Task<Result<Order>> fetch_order(const crypto::Signer& signer, OrderRef ref) override {
    std::string symbol;
    if (!ref.symbol.empty()) {
      auto s = checked_symbol(ref.symbol);
      if (!s) co_return s.error();
      symbol = *s;
    }
    std::function<bool(const Order&)> matches;
    std::string active_body, history_body;
    if (!ref.order_id.empty()) {
      auto id = parse_order_id(ref.order_id);
      if (!id) co_return id.error();
      active_body = history_body = orders_by_id_body(*id);
      matches = [want = std::to_string(*id)](const Order& o) { return o.id == want; };
    } else {
      auto cid = parse_client_order_id(ref.client_order_id, now_ms());
      if (!cid) co_return cid.error();
      active_body = orders_by_cid_body(*cid);
      history_body = history_since_body(*day_start_ms(cid->date));
      matches = [c = *cid](const Order& o) {
        return o.client_order_id == std::to_string(c.cid) && (o.created_ms == 0 || utc_date(o.created_ms) == c.date);
      };
    }
    const std::pair<const Endpoint*, std::pair<std::string, std::string>> lookups[] = {
        {&kOrders, {orders_path(symbol), active_body}},
        {&kOrdersHist, {history_path(symbol), history_body}},
    };
    for (const auto& [ep, req] : lookups) {
      auto r = co_await call(*ep, signed_request(signer, req.first, req.second), Repeat::Safe);
      if (!r) co_return r.error();
      auto orders = parse_orders(r->body);
      if (!orders) co_return orders.error();
      for (auto& o : *orders)
        if (matches(o)) co_return std::move(o);
    }
    co_return order_not_found(ref);
  }

  Task<Result<std::vector<Order>>> open_orders(const crypto::Signer& signer, std::optional<std::string> symbol) override {
    auto path = open_orders_path(symbol);
    if (!path) co_return path.error();
    auto r = co_await call(kOrders, signed_request(signer, *path, "{}"), Repeat::Safe);
    if (!r) co_return r.error();
    co_return parse_orders(r->body);
  }

  // Fills of trades up to 10 days old, as the venue keeps them.
  Task<Result<std::vector<Trade>>> order_trades(const crypto::Signer& signer, OrderRef ref) override {
    auto symbol = checked_symbol(ref.symbol);
    if (!symbol) co_return symbol.error();
    auto id = parse_order_id(ref.order_id);
    if (!id) co_return id.error();
    std::string path = std::string(kOrderTrades.path) + *symbol + ":" + std::to_string(*id) + "/trades";
    auto r = co_await call(kOrderTrades, signed_request(signer, std::move(path), "{}"), Repeat::Safe);
    if (!r) co_return r.error();
    co_return parse_trades(r->body);
  }

  Task<Result<KeyPermissions>> permissions(const crypto::Signer& signer) override {
    auto r = co_await call(kPermissions, signed_request(signer, std::string(kPermissions.path), "{}"), Repeat::Safe);
    if (!r) co_return r.error();
    co_return parse_permissions(r->body);
  }

  Result<net::HttpRequest> prepare(Action action, const ActionParams& params, const crypto::Signer* signer,
                                   const RequestStamp& stamp) override {
    if (needs_key(action) && !signer) return needs_key_error();
    int64_t now = stamp.timestamp_ms.value_or(now_ms());
    auto sign = [&](std::string_view path, std::string body) -> Result<net::HttpRequest> {
      uint64_t nonce = stamp.nonce ? *stamp.nonce : next_nonce(*signer);
      return signed_post(urls_, *signer, path, std::move(body), nonce);
    };
    switch (action) {
      case Action::ServerTime: return public_get(urls_, kPlatformStatus.path);
      case Action::Markets: return public_get(urls_, kConfPairs.path);
      case Action::Ticker: {
        auto symbol = required_param(params, "symbol");
        if (!symbol) return symbol.error();
        auto path = ticker_path(*symbol);
        if (!path) return path.error();
        return public_get(urls_, *path);
      }
      case Action::Candles: {
        auto q = parse_candle_query(params);
        if (!q) return q.error();
        auto path = candles_path(*q);
        if (!path) return path.error();
        return public_get(urls_, *path);
      }
      case Action::Balances: return sign(kWallets.path, "{}");
      case Action::CreateOrder: {
        auto req = parse_order_request(params);
        if (!req) return req.error();
        auto body = submit_body(*req, now);
        if (!body) return body.error();
        return sign(kOrderSubmit.path, *body);
      }
      case Action::CancelOrder: {
        auto ref = parse_order_ref(params);
        if (!ref) return ref.error();
        auto body = cancel_body(*ref, now);
        if (!body) return body.error();
        return sign(kOrderCancel.path, *body);
      }
      case Action::FetchOrder: {
        auto ref = parse_order_ref(params);
        if (!ref) return ref.error();
        std::string symbol;
        if (!ref->symbol.empty()) {
          auto s = checked_symbol(ref->symbol);
          if (!s) return s.error();
          symbol = *s;
        }
        if (!ref->order_id.empty()) {
          auto id = parse_order_id(ref->order_id);
          if (!id) return id.error();
          return sign(orders_path(symbol), orders_by_id_body(*id));
        }
        auto cid = parse_client_order_id(ref->client_order_id, now);
        if (!cid) return cid.error();
        return sign(orders_path(symbol), orders_by_cid_body(*cid));
      }
      case Action::OpenOrders: {
        auto path = open_orders_path(optional_param(params, "symbol"));
        if (!path) return path.error();
        return sign(*path, "{}");
      }
      case Action::Permissions: return sign(kPermissions.path, "{}");
    }
    return invalid_argument(std::string(kVenueId) + ": unknown action");
  }

 private:
  using Build = std::function<Result<net::HttpRequest>()>;

  int64_t now_ms() const { return ctx_.clock->now_ms(); }
  uint64_t next_nonce(const crypto::Signer& signer) {
    return ctx_.nonces ? ctx_.nonces->next(signer.api_key()) : static_cast<uint64_t>(ctx_.clock->now_us());
  }

  Build public_request(std::string path) {
    return [this, path = std::move(path)]() -> Result<net::HttpRequest> { return public_get(urls_, path); };
  }
  // Signed afresh for each attempt: a retry needs a new nonce.
  Build signed_request(const crypto::Signer& signer, std::string path, std::string body) {
    return [this, &signer, path = std::move(path), body = std::move(body)] {
      return signed_post(urls_, signer, path, body, next_nonce(signer));
    };
  }

  // A state-changing call's answer we could not read may still have been acted on.
  template <typename T>
  static Result<T> settle_unclear(Result<T> r) {
    if (!r && r.error().kind == ErrorKind::BadResponse) r.error().outcome_unknown = true;
    return r;
  }

  // Waits for room in the endpoint's budget; past config_.max_throttle_wait the wait comes back as
  // RateLimited for the caller to honour (a key test is deferred, not refused).
  Task<Status> throttle(const Endpoint& ep) {
    WindowLimiter& limiter = *limiters_.at(ep.family);
    for (;;) {
      auto wait = limiter.reserve(1, now_ms());
      if (wait.count() <= 0) co_return ok_status();
      if (config_.max_throttle_wait && wait > *config_.max_throttle_wait) co_return rate_limit_wait(kDisplayName, wait);
      co_await ctx_.sleeper->sleep(wait);
    }
  }

  static Result<Reply> interpret(net::HttpResponse response) {
    if (auto e = error_from_response(response)) return *e;
    auto body = parse_json_body(response.body, response.status);
    if (!body) {
      body.error().message = std::string(kVenueId) + ": " + body.error().message;
      return body.error();
    }
    return Reply{std::move(response), std::move(*body)};
  }

  Task<Result<Reply>> call(const Endpoint& ep, Build build, Repeat repeat) {
    for (int attempt = 1;; ++attempt) {
      auto request = build();
      if (!request) co_return request.error();
      if (auto room = co_await throttle(ep); !room) co_return room.error();
      auto response = co_await ctx_.transport->send(std::move(*request), config_.request);
      Result<Reply> r = response ? interpret(std::move(*response)) : Result<Reply>(response.error());
      if (r) co_return r;
      Error e = r.error();
      // The venue blocks the IP for a minute: spend nothing more from this budget until the window turns.
      if (e.kind == ErrorKind::RateLimited) {
        limiters_.at(ep.family)->observe(ep.per_minute, now_ms());
        if (e.retry_after) limiters_.at(ep.family)->block_until(now_ms() + e.retry_after->count(), now_ms());
      }
      if (repeat == Repeat::Safe && attempt < config_.max_attempts && is_transient(e)) {
        co_await ctx_.sleeper->sleep(retry_delay(e, attempt));
        continue;
      }
      if (repeat == Repeat::Never && outcome_open(e)) e.outcome_unknown = true;
      co_return e;
    }
  }

  VenueContext ctx_;
  VenueConfig config_;
  BaseUrls urls_;
  std::map<std::string_view, std::unique_ptr<WindowLimiter>> limiters_;
};

}  // namespace
}  // namespace bitfinex

std::unique_ptr<Venue> make_bitfinex(VenueContext ctx, VenueConfig config) {
  return std::make_unique<bitfinex::BitfinexVenue>(ctx, std::move(config));
}

}  // namespace tb::venues
