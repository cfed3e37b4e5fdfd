// The Binance USD-M Futures connector: builds the exact requests (signed where the endpoint is SIGNED),
// keeps the client inside the venue's rate limits, syncs the timestamp with the server clock, and turns
// answers into core types or unified errors. Only reads are ever sent twice.
#include "venues/binance_futures/binance_futures.hpp"

#include <atomic>
#include <charconv>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "net/ws_client.hpp"
#include "venues/binance_futures/auth.hpp"
#include "venues/binance_futures/endpoints.hpp"
#include "venues/binance_futures/errors.hpp"
#include "venues/binance_futures/parse.hpp"
#include "venues/binance_futures/requests.hpp"
#include "venues/binance_futures/symbols.hpp"
#include "venues/binance_futures/ws_answers.hpp"
#include "venues/binance_futures/ws_requests.hpp"
#include "venues/common/json_util.hpp"
#include "venues/common/params.hpp"
#include "venues/common/rate_limit.hpp"
#include "venues/common/retry.hpp"
#include "venues/futures_settings.hpp"

namespace tb::venues {
namespace {

namespace bf = binance_futures;
using bf::Call;
using bf::candles_call;
using bf::open_orders_call;
using bf::order_call;
using bf::Params;
using bf::plain_call;
using bf::ref_call;
using bf::symbol_param;
using bf::ticker_call;

Error needs_key_error() { return invalid_argument("binance_futures: this action needs an API key and its secret"); }

// The key goes into a header as it is: refuse anything that could break the header line.
bool valid_api_key(std::string_view key) {
  if (key.empty() || key.size() > 256) return false;
  for (char c : key)
    if (c <= ' ' || c > '~') return false;
  return true;
}

std::optional<int64_t> header_int(const net::HttpResponse& r, std::string_view name) {
  auto h = r.header(name);
  if (!h) return std::nullopt;
  int64_t v = 0;
  auto res = std::from_chars(h->data(), h->data() + h->size(), v);
  if (res.ec != std::errc{} || res.ptr != h->data() + h->size()) return std::nullopt;
  return v;
}

// For create/cancel: could the venue have executed the request although we got no success answer?
bool may_have_executed(const Error& e) {
  if (e.outcome_unknown) return true;
  if (e.http_status == 0) return e.kind == ErrorKind::NetworkError || e.kind == ErrorKind::BadResponse;
  if (e.http_status >= 500 || e.http_status == 408) return !bf::is_documented_failure(e);
  return false;
}

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

class BinanceFuturesVenue final : public Venue, public FuturesSettings {
 public:
  BinanceFuturesVenue(VenueContext ctx, VenueConfig cfg)
      : ctx_(ctx),
        cfg_(std::move(cfg)),
        fapi_base_(cfg_.base_url ? trim_slash(*cfg_.base_url) : std::string(bf::kFapiBase)),
        sapi_base_(cfg_.base_url ? trim_slash(*cfg_.base_url) : std::string(bf::kSapiBase)) {
    const std::string venue(bf::kVenueId);
    fapi_weight_.keep_in(ctx_.limits, venue, "fapi_weight", now_ms());
    sapi_weight_.keep_in(ctx_.limits, venue, "sapi_weight", now_ms());
  }

  std::string_view id() const override { return bf::kVenueId; }
  std::string_view display_name() const override { return bf::kDisplayName; }

  Task<Result<int64_t>> server_time() override {
    auto j = co_await execute(plain_call(bf::kServerTime), nullptr);
    if (!j) co_return j.error();
    co_return bf::parse_server_time(*j);
  }

  Task<Result<std::vector<Market>>> markets() override {
    auto j = co_await execute(plain_call(bf::kExchangeInfo), nullptr);
    if (!j) co_return j.error();
    co_return bf::parse_markets(*j);
  }

  Task<Result<Ticker>> ticker(std::string symbol) override {
    auto id = symbol_param(symbol);
    if (!id) co_return id.error();
    auto j = co_await execute(ticker_call(*id), nullptr);
    if (!j) co_return j.error();
    co_return bf::parse_ticker(*j);
  }

  Task<Result<std::vector<Candle>>> candles(CandleQuery query) override {
    auto call = candles_call(query);
    if (!call) co_return call.error();
    auto j = co_await execute(std::move(*call), nullptr);
    if (!j) co_return j.error();
    co_return bf::parse_candles(*j);
  }

  Task<Result<Portfolio>> balances(const crypto::Signer& signer) override {
    auto j = co_await execute(plain_call(bf::kAccount), &signer);
    if (!j) co_return j.error();
    co_return bf::parse_account(*j);
  }

  Task<Result<Order>> create_order(const crypto::Signer& signer, OrderRequest request) override {
    std::string cid = request.client_order_id.empty() ? generated_client_order_id(signer.api_key(), std::nullopt) : request.client_order_id;
    const bool side_given = request.position_side.has_value();
    KeyState& key = of_key(signer);
    if (!side_given && key.mode == kHedge) request.position_side = bf::hedge_side(request);
    auto order = co_await send_order(signer, request, cid, key);
    // -4061 refuses an order whose position side does not fit the account's mode (nothing is placed): learn
    // the mode and, in hedge mode, send it once more naming the position it acts on.
    if (!order && !side_given && order.error().venue_code == std::to_string(bf::kPositionSideMismatch)) {
      auto mode = co_await position_mode(signer);
      if (mode && *mode == PositionMode::Hedge) {
        request.position_side = bf::hedge_side(request);
        order = co_await send_order(signer, request, cid, key);
      }
    }
    co_return order;
  }

  Task<Result<Order>> cancel_order(const crypto::Signer& signer, OrderRef ref) override {
    auto call = ref_call(bf::kCancelOrder, ref);
    if (!call) co_return call.error();
    co_return co_await order_answer(std::move(*call), signer, true);
  }

  Task<Result<Order>> fetch_order(const crypto::Signer& signer, OrderRef ref) override {
    auto call = ref_call(bf::kQueryOrder, ref);
    if (!call) co_return call.error();
    co_return co_await order_answer(std::move(*call), signer, false);
  }

  Task<Result<std::vector<Order>>> open_orders(const crypto::Signer& signer, std::optional<std::string> symbol) override {
    auto call = open_orders_call(symbol);
    if (!call) co_return call.error();
    auto j = co_await execute(std::move(*call), &signer);
    if (!j) co_return j.error();
    co_return bf::parse_orders(*j);
  }

  Task<Result<std::vector<Trade>>> order_trades(const crypto::Signer& signer, OrderRef ref) override {
    auto call = bf::order_trades_call(ref);
    if (!call) co_return call.error();
    auto j = co_await execute(std::move(*call), &signer);
    if (!j) co_return j.error();
    co_return bf::parse_trades(*j);
  }

  FuturesSettings* futures_settings() override { return this; }

  Task<Result<PositionMode>> position_mode(const crypto::Signer& signer) override {
    auto j = co_await execute(plain_call(bf::kPositionSideDual), &signer);
    if (!j) co_return j.error();
    auto mode = bf::parse_position_mode(*j);
    if (mode) of_key(signer).mode = *mode == PositionMode::Hedge ? kHedge : kOneWay;
    co_return mode;
  }

  Task<Result<SymbolSettings>> symbol_settings(const crypto::Signer& signer, std::string symbol) override {
    auto call = bf::position_risk_call(symbol);
    if (!call) co_return call.error();
    std::string id = call->params.front().second;
    auto j = co_await execute(std::move(*call), &signer);
    if (!j) co_return j.error();
    co_return bf::parse_symbol_settings(*j, id);
  }

  Task<Result<SymbolSettings>> set_leverage(const crypto::Signer& signer, std::string symbol, int leverage) override {
    auto call = bf::leverage_call(symbol, leverage);
    if (!call) co_return call.error();
    auto j = co_await execute(std::move(*call), &signer);
    if (!j) co_return j.error();
    co_return co_await symbol_settings(signer, std::move(symbol));
  }

  Task<Result<SymbolSettings>> set_margin_type(const crypto::Signer& signer, std::string symbol, MarginType type) override {
    auto call = bf::margin_type_call(symbol, type);
    if (!call) co_return call.error();
    auto j = co_await execute(std::move(*call), &signer);
    // -4046 "No need to change margin type.": it already is what was asked.
    if (!j && j.error().venue_code != std::to_string(bf::kNoNeedToChangeMarginType)) co_return j.error();
    co_return co_await symbol_settings(signer, std::move(symbol));
  }

  Result<net::HttpRequest> prepare_setting(SettingAction action, const ActionParams& params, const crypto::Signer* signer,
                                           const RequestStamp& stamp) override {
    if (!signer) return needs_key_error();
    auto call = setting_call(action, params);
    if (!call) return call.error();
    return build(*call, signer, stamp.timestamp_ms.value_or(signed_timestamp()));
  }

  Task<Result<KeyPermissions>> permissions(const crypto::Signer& signer) override {
    auto j = co_await execute(plain_call(bf::kApiRestrictions), &signer);
    if (!j) co_return j.error();
    co_return bf::parse_permissions(*j);
  }

  Result<net::HttpRequest> prepare(Action action, const ActionParams& params, const crypto::Signer* signer,
                                   const RequestStamp& stamp) override {
    if (needs_key(action) && !signer) return needs_key_error();
    auto call = call_for(action, params, signer, stamp);
    if (!call) return call.error();
    return build(*call, signer, stamp.timestamp_ms.value_or(signed_timestamp()));
  }

 private:
  static constexpr int kUnknown = 0, kOneWay = 1, kHedge = 2;

  struct KeyState;
  Task<Result<Order>> send_order(const crypto::Signer& signer, const OrderRequest& request, const std::string& cid, KeyState& key) {
    auto call = order_call(request, cid);
    if (!call) co_return call.error();
    co_return co_await order_answer(std::move(*call), signer, true, &key);
  }

  // position-mode reads; leverage and margin-type read without their value and set with it.
  static Result<Call> setting_call(SettingAction action, const ActionParams& params) {
    if (action == SettingAction::PositionMode) return plain_call(bf::kPositionSideDual);
    auto symbol = required_param(params, "symbol");
    if (!symbol) return symbol.error();
    const char* name = action == SettingAction::Leverage ? "leverage" : "margin_type";
    auto value = optional_param(params, name);
    if (!value) return bf::position_risk_call(*symbol);
    if (action == SettingAction::MarginType) {
      auto type = parse_margin_type(*value);
      if (!type) return invalid_argument("parameter 'margin_type' must be cross or isolated, got '" + *value + "'");
      return bf::margin_type_call(*symbol, *type);
    }
    int leverage = 0;
    auto res = std::from_chars(value->data(), value->data() + value->size(), leverage);
    if (res.ec != std::errc{} || res.ptr != value->data() + value->size())
      return invalid_argument("parameter 'leverage' must be a whole number, got '" + *value + "'");
    return bf::leverage_call(*symbol, leverage);
  }

  Result<Call> call_for(Action action, const ActionParams& params, const crypto::Signer* signer, const RequestStamp& stamp) {
    switch (action) {
      case Action::ServerTime: return plain_call(bf::kServerTime);
      case Action::Markets: return plain_call(bf::kExchangeInfo);
      case Action::Ticker: {
        auto s = required_param(params, "symbol");
        if (!s) return s.error();
        auto id = symbol_param(*s);
        if (!id) return id.error();
        return ticker_call(*id);
      }
      case Action::Candles: {
        auto q = parse_candle_query(params);
        if (!q) return q.error();
        return candles_call(*q);
      }
      case Action::Balances: return plain_call(bf::kAccount);
      case Action::CreateOrder: {
        auto r = parse_order_request(params);
        if (!r) return r.error();
        std::string cid = r->client_order_id.empty() ? generated_client_order_id(signer->api_key(), stamp.nonce) : r->client_order_id;
        return order_call(*r, cid);
      }
      case Action::CancelOrder:
      case Action::FetchOrder: {
        auto ref = parse_order_ref(params);
        if (!ref) return ref.error();
        return ref_call(action == Action::CancelOrder ? bf::kCancelOrder : bf::kQueryOrder, *ref);
      }
      case Action::OpenOrders: return open_orders_call(optional_param(params, "symbol"));
      case Action::Permissions: return plain_call(bf::kApiRestrictions);
    }
    return invalid_argument("binance_futures: unknown action");
  }

  // Without an id of ours an unanswered order could never be found again: make one, unique per key.
  std::string generated_client_order_id(const std::string& api_key, std::optional<uint64_t> nonce) {
    uint64_t n = nonce ? *nonce : ctx_.nonces ? ctx_.nonces->next(api_key) : static_cast<uint64_t>(ctx_.clock->now_us());
    return "tb-" + std::to_string(n);
  }

  const std::string& base(bf::Host h) const { return h == bf::Host::Fapi ? fapi_base_ : sapi_base_; }
  WindowLimiter& weight_limiter(bf::Host h) { return h == bf::Host::Fapi ? fapi_weight_ : sapi_weight_; }
  int64_t now_ms() const { return ctx_.clock->now_ms(); }
  int64_t signed_timestamp() const { return now_ms() + offset_ms_.load(); }

  Result<net::HttpRequest> build(const Call& call, const crypto::Signer* signer, int64_t timestamp_ms) const {
    const bf::Endpoint& ep = *call.endpoint;
    net::HttpRequest r;
    r.method = std::string(ep.method);
    r.url = base(ep.host) + std::string(ep.path);
    std::string encoded;
    if (ep.is_signed) {
      if (!signer) return needs_key_error();
      if (!valid_api_key(signer->api_key()))
        return invalid_argument("binance_futures: the API key is empty or contains spaces or control characters");
      encoded = net::form_encode(call.params);  // then the two stamps, digits that need no encoding
      if (!encoded.empty()) encoded += '&';
      encoded += "recvWindow=";
      encoded += std::to_string(cfg_.recv_window.count());
      encoded += "&timestamp=";
      encoded += std::to_string(timestamp_ms);
      std::string sig = bf::signature(*signer, encoded);
      if (sig.empty()) return invalid_argument("binance_futures: the secret cannot be used to sign");
      encoded += "&signature=" + sig;  // always the last parameter
      r.headers.push_back({std::string(bf::kApiKeyHeader), signer->api_key()});
    } else {
      encoded = net::form_encode(call.params);
    }
    if (r.method == "POST" || r.method == "PUT") {
      r.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
      r.body = std::move(encoded);
    } else if (!encoded.empty()) {
      r.url += "?" + encoded;
    }
    return r;
  }

  // The cost booked if the limiter has room now: the usual case, which needs no coroutine (acquire's).
  bool room_now(WindowLimiter& limiter, int64_t cost) { return cost <= 0 || limiter.reserve(cost, now_ms()).count() <= 0; }

  // Waits (through the injected sleeper) until the limiter has room, then books the cost; a longer wait
  // (a ban, a Retry-After) comes back as RateLimited for the caller to honour.
  Task<Status> acquire(WindowLimiter& limiter, int64_t cost) {
    if (cost <= 0) co_return ok_status();
    for (;;) {
      auto wait = limiter.reserve(cost, now_ms());
      if (wait.count() <= 0) co_return ok_status();
      if (cfg_.max_throttle_wait && wait > *cfg_.max_throttle_wait) co_return rate_limit_wait(display_name(), wait);
      co_await ctx_.sleeper->sleep(wait);
    }
  }

  // `key`: the API key's state when the call is an order.
  void observe(const net::HttpResponse& r, const bf::Endpoint& ep, KeyState* key) {
    if (auto used = header_int(r, bf::kUsedWeightHeader)) weight_limiter(ep.host).observe(*used, now_ms());
    if (!key) return;
    if (auto n = header_int(r, bf::kOrderCount10sHeader)) key->orders_10s.observe(*n, now_ms());
    if (auto n = header_int(r, bf::kOrderCount1mHeader)) key->orders_1m.observe(*n, now_ms());
  }

  Task<Status> sync_time() {
    int64_t before = now_ms();
    auto j = co_await execute(plain_call(bf::kServerTime), nullptr);
    if (!j) co_return j.error();
    auto server = bf::parse_server_time(*j);
    if (!server) co_return server.error();
    int64_t after = now_ms();
    offset_ms_ = *server - (before + after) / 2;
    synced_ = true;
    co_return ok_status();
  }

  // An order over the WebSocket API: answered as the REST call would be (its status, its result or error).
  Task<Result<net::HttpResponse>> send_ws(const Call& call, std::string_view method, const crypto::Signer& signer) {
    const uint64_t id = ctx_.ws_api->next_id();
    auto text = bf::ws_request(call, method, signer, signed_timestamp(), cfg_.recv_window.count(), id);
    if (!text) co_return text.error();
    auto answer = co_await ctx_.ws_api->call(id, std::move(*text), cfg_.request.total_timeout);
    if (!answer) co_return answer.error();
    auto response = bf::ws_answer_as_response(*answer);
    if (!response) response.error().outcome_unknown = true;  // answered, but unreadable: it may have been done
    co_return response;
  }

  // A 2xx answer's body as a document; one that is not JSON after a call that is not repeated (an order
  // sent) leaves its outcome unknown.
  Task<Result<json>> execute(Call call, const crypto::Signer* signer) {
    const bool repeatable = call.endpoint->repeatable;
    auto response = co_await exchange(std::move(call), signer);
    if (!response) co_return response.error();
    auto body = parse_json_body(response->body, response->status);
    if (!body && !repeatable) body.error().outcome_unknown = true;  // accepted, but the answer is unreadable
    co_return body;
  }

  // An order's answer read as it came (bf::parse_order_body); `sent`: the call was an order sent or cancelled,
  // so an answer that cannot be read leaves the outcome unknown.
  // `key`: the API key's state when the caller has it already.
  Task<Result<Order>> order_answer(Call call, const crypto::Signer& signer, bool sent, KeyState* key = nullptr) {
    auto response = co_await exchange(std::move(call), &signer, key);
    if (!response) co_return response.error();
    auto order = bf::parse_order_body(response->body, response->status);
    if (!order && sent) order.error().outcome_unknown = true;  // accepted, but we cannot read what was done
    co_return order;
  }

  // The call sent (signed, within the limits, again while the error is transient and the call repeatable):
  // the 2xx answer, or the error the venue's answer maps to.
  Task<Result<net::HttpResponse>> exchange(Call call, const crypto::Signer* signer, KeyState* known_key = nullptr) {
    const bf::Endpoint& ep = *call.endpoint;
    const int max_attempts = ep.repeatable ? std::max(1, cfg_.max_attempts) : 1;
    bool resynced = false;
    for (int attempt = 1;; ++attempt) {
      if (ep.is_signed && !signer) co_return needs_key_error();
      if (ep.is_signed && !synced_) {
        auto s = co_await sync_time();
        if (!s) co_return s.error();
      }
      // Orders go over the WebSocket API when there is one; everything else, and every order without it, over HTTP.
      const auto ws_method = ctx_.ws_api && signer ? bf::ws_method(ep) : std::nullopt;
      Result<net::HttpRequest> request = net::HttpRequest{};
      if (!ws_method) request = build(call, signer, signed_timestamp());
      if (!request) co_return request.error();
      if (!room_now(weight_limiter(ep.host), call.weight))
        if (auto room = co_await acquire(weight_limiter(ep.host), call.weight); !room) co_return room.error();
      KeyState* key = ep.is_order && signer ? (known_key ? known_key : &of_key(*signer)) : nullptr;
      if (key) {
        if (!room_now(key->orders_10s, 1))
          if (auto room = co_await acquire(key->orders_10s, 1); !room) co_return room.error();
        if (!room_now(key->orders_1m, 1))
          if (auto room = co_await acquire(key->orders_1m, 1); !room) co_return room.error();
      }
      Result<net::HttpResponse> response = Error{};
      if (ws_method) response = co_await send_ws(call, *ws_method, *signer);
      else response = co_await ctx_.transport->send(std::move(*request), cfg_.request);
      Error error;
      if (!response) {
        error = response.error();
      } else {
        observe(*response, ep, key);
        if (response->status >= 200 && response->status < 300) co_return std::move(*response);
        error = bf::map_error(*response);
        bf::read_ban_end(error, now_ms());
        // A 429 or a ban names its wait: no call on this host spends from the budget before it ends.
        if (error.kind == ErrorKind::RateLimited && error.retry_after)
          weight_limiter(ep.host).block_until(now_ms() + error.retry_after->count(), now_ms());
        // The venue refused the timestamp, so nothing was executed: re-measure the offset and send again once.
        if (ep.is_signed && !resynced && error.venue_code == std::to_string(bf::kTimestampOutsideWindow)) {
          resynced = true;
          auto s = co_await sync_time();
          if (!s) co_return s.error();
          --attempt;
          continue;
        }
      }
      if (!ep.repeatable) {
        if (may_have_executed(error)) error.outcome_unknown = true;
        co_return error;
      }
      if (attempt >= max_attempts || !is_transient(error)) co_return error;
      co_await ctx_.sleeper->sleep(retry_delay(error, attempt));
    }
  }

  VenueContext ctx_;
  VenueConfig cfg_;
  std::string fapi_base_, sapi_base_;
  // Per venue object; the venue's X-MBX-USED-WEIGHT-1M folds in what other objects on the IP used.
  WindowLimiter fapi_weight_{bf::kWeightPerMinute, 60'000};
  WindowLimiter sapi_weight_{bf::kSapiWeightPerMinute, 60'000};
  std::atomic<int64_t> offset_ms_{0};  // server clock minus ours
  std::atomic<bool> synced_{false};
  // The venue counts orders per account and keeps each account's position mode: one state per API key
  // (the IP's weight above is shared by every key this process uses).
  struct KeyState {
    WindowLimiter orders_10s{bf::kOrdersPer10s, 10'000};
    WindowLimiter orders_1m{bf::kOrdersPerMinute, 60'000};
    std::atomic<int> mode{kUnknown};  // once the venue has told it
  };
  // Found without a copy of the key (asked three times an order), made on first use.
  KeyState& of_key(const crypto::Signer& signer) {
    std::lock_guard lock(keys_mu_);
    auto it = keys_.find(signer.api_key());
    if (it == keys_.end()) it = keys_.try_emplace(signer.api_key()).first;
    return it->second;
  }
  std::mutex keys_mu_;
  std::unordered_map<std::string, KeyState> keys_;  // a node each: a state stays where it is, next to its key
};

}  // namespace

std::unique_ptr<Venue> make_binance_futures(VenueContext ctx, VenueConfig config) {
  return std::make_unique<BinanceFuturesVenue>(ctx, std::move(config));
}

}  // namespace tb::venues
