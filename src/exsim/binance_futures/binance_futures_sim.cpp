// Binance USD-M Futures on the simulator's engine: routing, the venue's checks in the venue's order
// (IP weight, key, IP whitelist, timestamp window, signature on the raw bytes, permissions, order counts),
// and every answer in the venue's shapes and errors (exchanges.md §2, §5).
#include "exsim/binance_futures/binance_futures_sim.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <variant>

#include "exsim/binance_futures/orders.hpp"
#include "exsim/binance_futures/protocol.hpp"
#include "exsim/binance_futures/render.hpp"
#include "exsim/binance_futures/settings.hpp"
#include "exsim/binance_futures/ws_api.hpp"
#include "exsim/gateway_pages.hpp"

namespace tb::exsim {
namespace {

namespace bf = binance_futures;
using bf::ojson;
using bf::Params;
using bf::VenueError;

constexpr std::string_view kVenue = "binance_futures";
constexpr int64_t kWeightPerMinute = 2400;
constexpr int64_t kOrdersPerMinute = 1200;
constexpr int64_t kOrdersPer10s = 300;
constexpr int64_t kMaxRecvWindow = 60'000;

// Endpoint security types of §2.2: MARKET_DATA needs a valid key and no signature; TRADE needs the
// trading right on top of what USER_DATA needs.
enum class Security { None, MarketData, UserData, Trade };

struct Call {
  const SimRequest& request;
  const Params& params;
  const ApiKey* key;  // signed endpoints only
  int64_t now_ms;
};

class BinanceFuturesSim;
using HandlerFn = net::HttpResponse (BinanceFuturesSim::*)(const Call&);

struct Route {
  std::string_view method;
  std::string_view path;
  Security security;
  bool is_order;  // counts on the account's ORDERS limiters (§2.5)
  int weight;     // IP weight; endpoints whose weight depends on the params compute it in weight_of
  HandlerFn handler;
};

net::HttpResponse json_response(const ojson& j) { return bf::json_ok(j.dump(-1, ' ', false, ojson::error_handler_t::replace)); }
net::HttpResponse fail(const VenueError& e) { return bf::error_response(e); }

std::optional<int64_t> interval_ms(std::string_view s) {
  static const std::pair<std::string_view, int64_t> kIntervals[] = {
      {"1m", 60'000},      {"3m", 180'000},    {"5m", 300'000},     {"15m", 900'000},    {"30m", 1'800'000},
      {"1h", 3'600'000},   {"2h", 7'200'000},  {"4h", 14'400'000},  {"6h", 21'600'000},  {"8h", 28'800'000},
      {"12h", 43'200'000}, {"1d", 86'400'000}, {"3d", 259'200'000}, {"1w", 604'800'000}, {"1M", 2'592'000'000}};
  for (auto& [name, ms] : kIntervals)
    if (name == s) return ms;
  return std::nullopt;
}

int klines_weight(int64_t limit) { return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10; }

bool ip_allowed(const ApiKey& key, const std::string& ip) {
  return key.ip_whitelist.empty() || std::find(key.ip_whitelist.begin(), key.ip_whitelist.end(), ip) != key.ip_whitelist.end();
}

class BinanceFuturesSim final : public VenueSim {
 public:
  explicit BinanceFuturesSim(Exchange& ex) : ex_(ex) {}

  std::string_view venue() const override { return kVenue; }
  bool owns(std::string_view path) const override { return path.starts_with("/fapi/") || path.starts_with("/sapi/"); }

  // "/fapi/v1/order" -> "order", "/fapi/v1/ticker/24hr" -> "ticker/24hr", "/sapi/v1/account/apiRestrictions"
  // -> "account/apiRestrictions": the path after the API version, as Binance's docs name endpoints.
  std::string endpoint(std::string_view path) const override {
    for (std::string_view prefix : {"/fapi/", "/sapi/"}) {
      if (!path.starts_with(prefix)) continue;
      auto rest = path.substr(prefix.size());
      auto slash = rest.find('/');
      return std::string(slash == std::string_view::npos ? rest : rest.substr(slash + 1));
    }
    return std::string(path);
  }

  std::vector<std::string> endpoint_names() const override {
    std::vector<std::string> out;
    for (auto& r : routes()) {
      std::string name = endpoint(r.path);
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
    }
    return out;
  }

  net::HttpResponse rate_limited() const override {
    auto r = fail(bf::too_many_requests(kWeightPerMinute));
    r.headers.push_back({"Retry-After", std::to_string(seconds_to_next_minute())});
    return r;
  }

  net::HttpResponse maintenance() const override {
    // ccxt reads this text as OnMaintenance; a 503 tells every client to come back later.
    return fail({503, 1, "System is under maintenance."});
  }

  // Binance's own spelling ("occured"), as its -1000 text reads on the wire.
  net::HttpResponse internal_error() const override { return fail({500, -1000, "An unknown error occured while processing the request."}); }

  net::HttpResponse bad_gateway() const override { return cloudfront_bad_gateway_answer(); }

  net::HttpResponse handle(const SimRequest& request) override {
    try {
      return dispatch(request);
    } catch (const std::exception&) {
      return internal_error();
    }
  }

  std::string_view ws_api_path() const override { return "/ws-fapi/v1"; }
  std::string ws_request(std::string_view text, const std::string& peer_ip, const WsFaults& faults) override {
    auto call = bf::ws_call(text, peer_ip);
    if (call.refused) return bf::ws_refusal(call, *call.refused);
    const WsFault fault = faults ? faults(endpoint(call.rest->path)) : WsFault{};
    if (fault.what == WsFault::What::NoAnswer) return {};
    if (fault.what == WsFault::What::Answer) return bf::ws_answer(call, fault.answer);
    std::string answer = bf::ws_answer(call, handle(*call.rest));
    if (fault.what == WsFault::What::Truncate) answer.resize(answer.size() / 2);
    return answer;
  }

 private:
  int64_t seconds_to_next_minute() const {
    int64_t now = ex_.clock().now_ms();
    return (60'000 - now % 60'000 + 999) / 1000;
  }

  static const Route* find_route(std::string_view method, std::string_view path);

  int weight_of(const Route& route, const Params& p) const {
    if (route.path == "/fapi/v1/klines") {
      auto limit = p.get("limit") ? bf::parse_int(*p.get("limit")) : std::optional<int64_t>(500);
      return klines_weight(limit.value_or(500));
    }
    bool all = !p.has("symbol");
    if (route.path == "/fapi/v1/ticker/24hr") return all ? 40 : 1;
    if (route.path.ends_with("/ticker/price")) return all ? 2 : 1;
    if (route.path == "/fapi/v1/ticker/bookTicker") return all ? 5 : 2;
    if (route.path == "/fapi/v1/openOrders") return all ? 40 : 1;
    return route.weight;
  }

  net::HttpResponse dispatch(const SimRequest& req) {
    const Route* route = find_route(req.method, req.path);
    if (!route) return fail(bf::unknown_path(req.method, req.path));
    bool sapi = req.path.starts_with("/sapi/");
    auto params = Params::parse(req.query, req.body);
    if (!params) return fail({400, -1100, "Illegal characters found in a parameter."});

    // IP weight first: a banned or throttled address is answered before anything else is looked at.
    std::string weight_header = sapi ? "X-SAPI-USED-IP-WEIGHT-1M" : "X-MBX-USED-WEIGHT-1M";
    int64_t used = ex_.count_request(std::string(kVenue) + (sapi ? "/sapi-ip/" : "/ip/") + req.peer_ip, 60'000, weight_of(*route, *params));
    auto with_weight = [&](net::HttpResponse r) {
      r.headers.push_back({weight_header, std::to_string(used)});
      return r;
    };
    if (used > kWeightPerMinute) {
      // An address that keeps calling after its 429s is banned (418); here until the window ends.
      if (used > 2 * kWeightPerMinute) {
        int64_t now = ex_.clock().now_ms();
        auto r = fail(bf::ip_banned(now - now % 60'000 + 60'000));
        r.headers.push_back({"Retry-After", std::to_string(seconds_to_next_minute())});
        return with_weight(std::move(r));
      }
      return with_weight(rate_limited());
    }

    int64_t now = ex_.clock().now_ms();
    std::optional<ApiKey> key;
    if (route->security != Security::None) {
      auto checked = authenticate(req, *params, *route, now);
      if (auto* e = std::get_if<VenueError>(&checked)) return with_weight(fail(*e));
      key = std::get<ApiKey>(std::move(checked));
    }

    std::vector<net::Header> order_headers;
    if (route->is_order) {
      int64_t n10 = ex_.count_request(std::string(kVenue) + "/orders10s/" + key->key, 10'000, 1);
      int64_t n1m = ex_.count_request(std::string(kVenue) + "/orders1m/" + key->key, 60'000, 1);
      if (n10 > kOrdersPer10s) return with_weight(fail(bf::too_many_orders(kOrdersPer10s, "10 seconds")));
      if (n1m > kOrdersPerMinute) return with_weight(fail(bf::too_many_orders(kOrdersPerMinute, "1 minute")));
      order_headers = {{"X-MBX-ORDER-COUNT-10S", std::to_string(n10)}, {"X-MBX-ORDER-COUNT-1M", std::to_string(n1m)}};
    }

    Call call{req, *params, key ? &*key : nullptr, now};
    net::HttpResponse r = (this->*(route->handler))(call);
    // Rejected orders carry no order counts, as on the venue.
    if (r.status == 200)
      for (auto& h : order_headers) r.headers.push_back(h);
    return with_weight(std::move(r));
  }

  std::variant<ApiKey, VenueError> authenticate(const SimRequest& req, const Params& p, const Route& route, int64_t now) {
    const std::string* api_key = req.header("X-MBX-APIKEY");
    if (!api_key || !bf::key_format_valid(*api_key)) return bf::api_key_format_invalid();
    auto key = ex_.find_key(std::string(kVenue), *api_key);
    if (!key) return bf::invalid_key_ip_or_permission(req.peer_ip);
    if (!ip_allowed(*key, req.peer_ip)) return bf::invalid_key_ip_or_permission(req.peer_ip);
    if (route.security == Security::MarketData) return std::move(*key);

    const std::string* ts_text = p.get("timestamp");
    auto ts = ts_text ? bf::parse_int(*ts_text) : std::nullopt;
    if (!ts) return bf::mandatory_param("timestamp");
    int64_t recv_window = 5'000;
    if (auto* rw = p.get("recvWindow")) {
      auto v = bf::parse_int(*rw);
      if (!v || *v <= 0 || *v > kMaxRecvWindow) return bf::param_not_valid("recvWindow");
      recv_window = *v;
    }
    if (auto e = bf::check_timestamp(*ts, recv_window, now)) return *e;

    auto payload = bf::signed_payload(req.query, req.body);
    if (!payload || payload->signature.empty()) return bf::mandatory_param("signature");
    if (!bf::signature_matches(key->secret, *payload)) return bf::signature_invalid();

    // The key's rights (§2.11): without futures every fapi USER_DATA/TRADE call is -2015; a futures key
    // without the trading right may read but not trade. The spot host's key endpoints need neither.
    bool fapi = req.path.starts_with("/fapi/");
    if (fapi && (!key->permissions.futures || !key->permissions.read)) return bf::invalid_key_ip_or_permission(req.peer_ip);
    if (route.security == Security::Trade && !key->permissions.trade) return bf::not_authorized();
    return std::move(*key);
  }

  // --- market data ----------------------------------------------------------------------------------

  std::optional<SimMarket> market_param(const Params& p, VenueError* error) const {
    const std::string* s = p.get("symbol");
    if (!s || s->empty()) {
      *error = bf::mandatory_param("symbol");
      return std::nullopt;
    }
    auto m = ex_.market(std::string(kVenue), *s);
    if (!m) *error = bf::invalid_symbol();
    return m;
  }

  net::HttpResponse ping(const Call&) { return bf::json_ok("{}"); }
  net::HttpResponse time(const Call& c) { return json_response({{"serverTime", c.now_ms}}); }
  net::HttpResponse exchange_info(const Call& c) {
    return json_response(bf::exchange_info(ex_.markets(std::string(kVenue)), c.now_ms, kWeightPerMinute, kOrdersPerMinute));
  }

  // Endpoints answering one symbol, or an array of every symbol when none is named.
  net::HttpResponse per_symbol(const Call& c, const std::function<ojson(const SimMarket&, const Decimal&)>& one) {
    if (c.params.has("symbol")) {
      VenueError e{};
      auto m = market_param(c.params, &e);
      if (!m) return fail(e);
      return json_response(one(*m, ex_.price(std::string(kVenue), m->id)));
    }
    ojson all = ojson::array();
    for (auto& m : ex_.markets(std::string(kVenue))) all.push_back(one(m, ex_.price(std::string(kVenue), m.id)));
    return json_response(all);
  }

  net::HttpResponse ticker_24h(const Call& c) {
    return per_symbol(c, [&](const SimMarket& m, const Decimal& last) {
      auto hourly = ex_.candles(std::string(kVenue), m.id, 3'600'000, c.now_ms - 86'400'000, 25);
      return bf::ticker_24h(m, last, hourly, c.now_ms);
    });
  }
  net::HttpResponse ticker_price(const Call& c) {
    return per_symbol(c, [&](const SimMarket& m, const Decimal& last) { return bf::ticker_price(m, last, c.now_ms); });
  }
  net::HttpResponse book_ticker(const Call& c) {
    return per_symbol(c, [&](const SimMarket& m, const Decimal& last) { return bf::book_ticker(m, last, c.now_ms); });
  }
  net::HttpResponse premium_index(const Call& c) {
    return per_symbol(c, [&](const SimMarket& m, const Decimal& last) { return bf::premium_index(m, last, c.now_ms); });
  }

  net::HttpResponse klines(const Call& c) {
    VenueError e{};
    auto m = market_param(c.params, &e);
    if (!m) return fail(e);
    const std::string* interval = c.params.get("interval");
    if (!interval) return fail(bf::mandatory_param("interval"));
    auto tf = interval_ms(*interval);
    if (!tf) return fail({400, -1120, "Invalid interval."});
    int64_t limit = 500;
    if (auto* l = c.params.get("limit")) {
      auto v = bf::parse_int(*l);
      if (!v || *v < 1 || *v > 1500) return fail(bf::param_not_valid("limit"));
      limit = *v;
    }
    std::optional<int64_t> since, until;
    if (auto* s = c.params.get("startTime")) {
      since = bf::parse_int(*s);
      if (!since) return fail(bf::param_not_valid("startTime"));
    }
    if (auto* s = c.params.get("endTime")) {
      until = bf::parse_int(*s);
      if (!until) return fail(bf::param_not_valid("endTime"));
    }
    auto candles = ex_.candles(std::string(kVenue), m->id, *tf, since, static_cast<int>(limit));
    ojson rows = ojson::array();
    for (auto& k : candles)
      if (!until || k.open_time_ms <= *until) rows.push_back(bf::kline_row(k, *m, *tf));
    return json_response(rows);
  }

  // --- account --------------------------------------------------------------------------------------

  bf::AccountView account_view(const Call& c) {
    bf::AccountView a;
    a.balances = ex_.balances(c.key->key);
    a.positions = ex_.positions(c.key->key);
    a.markets = ex_.markets(std::string(kVenue));
    for (auto& p : a.positions) a.prices[p.symbol] = ex_.price(std::string(kVenue), p.symbol);
    // A futures wallet always shows its USDT line, funded or not.
    a.balances.try_emplace("USDT");
    a.now_ms = c.now_ms;
    a.futures = ex_.futures_config(c.key->key);
    return a;
  }

  net::HttpResponse account_v2(const Call& c) { return json_response(bf::account_v2(account_view(c))); }
  net::HttpResponse account_v3(const Call& c) { return json_response(bf::account_v3(account_view(c))); }
  net::HttpResponse balance(const Call& c) { return json_response(bf::balance_list(account_view(c))); }
  net::HttpResponse position_risk(const Call& c, bool v3) {
    std::string symbol;
    if (c.params.has("symbol")) {
      VenueError e{};
      auto m = market_param(c.params, &e);
      if (!m) return fail(e);
      symbol = m->id;
    }
    auto a = account_view(c);
    for (auto& m : a.markets)
      if (symbol.empty() || m.id == symbol) a.prices[m.id] = ex_.price(std::string(kVenue), m.id);
    return json_response(bf::position_risk(a, symbol, v3));
  }
  net::HttpResponse position_risk_v2(const Call& c) { return position_risk(c, false); }
  net::HttpResponse position_risk_v3(const Call& c) { return position_risk(c, true); }

  net::HttpResponse account_config(const Call& c) {
    return json_response({{"feeTier", 0},
                          {"canTrade", c.key->permissions.trade},
                          {"canDeposit", true},
                          {"canWithdraw", true},
                          {"dualSidePosition", ex_.futures_config(c.key->key).hedge_mode},
                          {"updateTime", 0},
                          {"multiAssetsMargin", false},
                          {"tradeGroupId", -1}});
  }
  net::HttpResponse position_mode(const Call& c) { return bf::get_position_mode(ex_, *c.key); }
  net::HttpResponse set_position_mode(const Call& c) { return bf::set_position_mode(ex_, *c.key, c.params); }
  net::HttpResponse set_leverage(const Call& c) { return bf::set_leverage(ex_, *c.key, c.params); }
  net::HttpResponse set_margin_type(const Call& c) { return bf::set_margin_type(ex_, *c.key, c.params); }
  net::HttpResponse commission_rate(const Call& c) {
    VenueError e{};
    auto m = market_param(c.params, &e);
    if (!m) return fail(e);
    return json_response({{"symbol", m->id},
                          {"makerCommissionRate", m->maker_fee.normalized().to_string()},
                          {"takerCommissionRate", m->taker_fee.normalized().to_string()}});
  }
  net::HttpResponse order_rate_limit(const Call&) {
    return json_response(
        ojson::array({{{"rateLimitType", "ORDERS"}, {"interval", "SECOND"}, {"intervalNum", 10}, {"limit", kOrdersPer10s}},
                      {{"rateLimitType", "ORDERS"}, {"interval", "MINUTE"}, {"intervalNum", 1}, {"limit", kOrdersPerMinute}}}));
  }
  // One bracket per symbol, matching the engine's margin: leverage 10, maintenance 5% of the notional.
  // Numbers are JSON numbers here, as the venue sends them on this endpoint.
  net::HttpResponse leverage_bracket(const Call& c) {
    auto entry = [](const SimMarket& m) {
      return ojson{{"symbol", m.id},
                   {"notionalCoef", 1.0},
                   {"brackets",
                    {{{"bracket", 1},
                      {"initialLeverage", kDefaultLeverage},
                      {"notionalCap", 1'000'000'000},
                      {"notionalFloor", 0},
                      {"maintMarginRatio", 0.05},
                      {"cum", 0.0}}}}};
    };
    if (c.params.has("symbol")) {  // one symbol: the object alone
      VenueError e{};
      auto m = market_param(c.params, &e);
      if (!m) return fail(e);
      return json_response(entry(*m));
    }
    ojson all = ojson::array();
    for (auto& m : ex_.markets(std::string(kVenue))) all.push_back(entry(m));
    return json_response(all);
  }
  net::HttpResponse api_restrictions(const Call& c) { return json_response(bf::api_restrictions(*c.key)); }
  // ccxt's loadMarkets asks the spot host for currencies when a key is set; the futures wallet needs none.
  net::HttpResponse capital_config(const Call&) { return bf::json_ok("[]"); }
  // ccxt also asks for the cross-margin pairs (options.fetchMargins); a futures-only account trades none.
  net::HttpResponse margin_pairs(const Call&) { return bf::json_ok("[]"); }

  // --- orders ---------------------------------------------------------------------------------------

  net::HttpResponse new_order(const Call& c) { return bf::new_order(ex_, *c.key, c.params, c.now_ms, false, next_client_id()); }
  net::HttpResponse test_order(const Call& c) { return bf::new_order(ex_, *c.key, c.params, c.now_ms, true, next_client_id()); }
  net::HttpResponse cancel_order(const Call& c) { return bf::cancel_order(ex_, *c.key, c.params); }
  net::HttpResponse query_order(const Call& c) { return bf::query_order(ex_, *c.key, c.params, false); }
  net::HttpResponse open_order(const Call& c) { return bf::query_order(ex_, *c.key, c.params, true); }
  net::HttpResponse open_orders(const Call& c) { return bf::open_orders(ex_, *c.key, c.params); }
  net::HttpResponse all_orders(const Call& c) { return bf::all_orders(ex_, *c.key, c.params); }
  net::HttpResponse user_trades(const Call& c) { return bf::user_trades(ex_, *c.key, c.params); }
  net::HttpResponse cancel_all(const Call& c) { return bf::cancel_all(ex_, *c.key, c.params); }

  // The venue's own ids look random; ours only need to be unique among open orders.
  std::string next_client_id() { return "sim" + std::to_string(ex_.clock().now_us()) + "_" + std::to_string(++client_ids_); }

  Exchange& ex_;
  std::atomic<uint64_t> client_ids_{0};

  static const std::vector<Route>& routes();
};

const std::vector<Route>& BinanceFuturesSim::routes() {
  using S = BinanceFuturesSim;
  static const std::vector<Route> kRoutes = {
      {"GET", "/fapi/v1/ping", Security::None, false, 1, &S::ping},
      {"GET", "/fapi/v1/time", Security::None, false, 1, &S::time},
      {"GET", "/fapi/v1/exchangeInfo", Security::None, false, 1, &S::exchange_info},
      {"GET", "/fapi/v1/ticker/24hr", Security::None, false, 1, &S::ticker_24h},
      {"GET", "/fapi/v1/ticker/price", Security::None, false, 1, &S::ticker_price},
      {"GET", "/fapi/v2/ticker/price", Security::None, false, 1, &S::ticker_price},
      {"GET", "/fapi/v1/ticker/bookTicker", Security::None, false, 2, &S::book_ticker},
      {"GET", "/fapi/v1/premiumIndex", Security::None, false, 1, &S::premium_index},
      {"GET", "/fapi/v1/klines", Security::None, false, 1, &S::klines},
      {"GET", "/fapi/v2/account", Security::UserData, false, 5, &S::account_v2},
      {"GET", "/fapi/v3/account", Security::UserData, false, 5, &S::account_v3},
      {"GET", "/fapi/v2/balance", Security::UserData, false, 5, &S::balance},
      {"GET", "/fapi/v3/balance", Security::UserData, false, 5, &S::balance},
      {"GET", "/fapi/v2/positionRisk", Security::UserData, false, 5, &S::position_risk_v2},
      {"GET", "/fapi/v3/positionRisk", Security::UserData, false, 5, &S::position_risk_v3},
      {"GET", "/fapi/v1/accountConfig", Security::UserData, false, 5, &S::account_config},
      {"GET", "/fapi/v1/positionSide/dual", Security::UserData, false, 30, &S::position_mode},
      {"POST", "/fapi/v1/positionSide/dual", Security::Trade, false, 1, &S::set_position_mode},
      {"POST", "/fapi/v1/leverage", Security::Trade, false, 1, &S::set_leverage},
      {"POST", "/fapi/v1/marginType", Security::Trade, false, 1, &S::set_margin_type},
      {"GET", "/fapi/v1/commissionRate", Security::UserData, false, 20, &S::commission_rate},
      {"GET", "/fapi/v1/leverageBracket", Security::UserData, false, 1, &S::leverage_bracket},
      {"GET", "/fapi/v1/rateLimit/order", Security::UserData, false, 1, &S::order_rate_limit},
      {"POST", "/fapi/v1/order", Security::Trade, true, 0, &S::new_order},
      {"POST", "/fapi/v1/order/test", Security::Trade, false, 0, &S::test_order},
      {"DELETE", "/fapi/v1/order", Security::Trade, false, 1, &S::cancel_order},
      {"GET", "/fapi/v1/order", Security::UserData, false, 1, &S::query_order},
      {"GET", "/fapi/v1/openOrder", Security::UserData, false, 1, &S::open_order},
      {"GET", "/fapi/v1/openOrders", Security::UserData, false, 1, &S::open_orders},
      {"GET", "/fapi/v1/allOrders", Security::UserData, false, 5, &S::all_orders},
      {"GET", "/fapi/v1/userTrades", Security::UserData, false, 5, &S::user_trades},
      {"DELETE", "/fapi/v1/allOpenOrders", Security::Trade, false, 1, &S::cancel_all},
      {"GET", "/sapi/v1/account/apiRestrictions", Security::UserData, false, 1, &S::api_restrictions},
      {"GET", "/sapi/v1/capital/config/getall", Security::UserData, false, 10, &S::capital_config},
      {"GET", "/sapi/v1/margin/allPairs", Security::MarketData, false, 1, &S::margin_pairs},
  };
  return kRoutes;
}

const Route* BinanceFuturesSim::find_route(std::string_view method, std::string_view path) {
  for (auto& r : routes())
    if (r.path == path && r.method == method) return &r;
  return nullptr;
}

}  // namespace

std::unique_ptr<VenueSim> make_binance_futures_sim(Exchange& exchange) { return std::make_unique<BinanceFuturesSim>(exchange); }

}  // namespace tb::exsim
