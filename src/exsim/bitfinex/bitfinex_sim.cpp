#include "exsim/bitfinex/bitfinex_sim.hpp"

#include <algorithm>
#include <iterator>
#include <variant>

#include <nlohmann/json.hpp>

#include "exsim/bitfinex/order_types.hpp"
#include "exsim/bitfinex/protocol.hpp"
#include "exsim/bitfinex/render.hpp"
#include "exsim/gateway_pages.hpp"

namespace tb::exsim {
namespace bitfinex {
namespace {

using json = nlohmann::json;
constexpr std::string_view kVenue = "bitfinex";

enum class Need { Nothing, Read, Trade };

// One endpoint: the name faults and rate limits use, its budget per minute and IP (§4.4), and the
// path parameter (symbol, conf keys, candle key) when it has one.
struct Route {
  std::string name;
  std::string arg;
  int64_t per_minute = 90;
  bool is_private = false;
  Need need = Need::Nothing;
};

// Every name route_of gives: what faults may name.
constexpr std::string_view kEndpointNames[] = {"platform/status",
                                               "conf",
                                               "ticker",
                                               "tickers",
                                               "candles",
                                               "auth/r/wallets",
                                               "auth/r/positions",
                                               "auth/r/permissions",
                                               "auth/w/order/submit",
                                               "auth/w/order/cancel",
                                               "auth/r/orders",
                                               "auth/r/orders/hist",
                                               "auth/r/order/trades"};

std::optional<Route> route_of(std::string_view path) {
  if (!path.starts_with("/v2/")) return std::nullopt;
  std::string_view p = path.substr(4);
  auto with_arg = [](std::string_view prefix, std::string_view rest) -> std::optional<Route> {
    if (rest.empty()) return std::nullopt;
    return Route{std::string(prefix), std::string(rest)};
  };
  if (p == "platform/status") return Route{"platform/status", {}, 30};
  if (p.starts_with("conf/")) return with_arg("conf", p.substr(5));
  if (p.starts_with("ticker/")) return with_arg("ticker", p.substr(7));
  if (p == "tickers") return Route{"tickers", {}};
  if (p.starts_with("candles/")) return with_arg("candles", p.substr(8));
  if (!p.starts_with("auth/")) return std::nullopt;
  Route r;
  r.is_private = true;
  r.need = Need::Read;
  if (p == "auth/r/wallets" || p == "auth/r/positions" || p == "auth/r/permissions") {
    r.name = std::string(p);
    if (p == "auth/r/permissions") r.need = Need::Nothing;
    return r;
  }
  if (p == "auth/w/order/submit" || p == "auth/w/order/cancel") {
    r.name = std::string(p);
    r.need = Need::Trade;
    return r;
  }
  if (p == "auth/r/orders" || p == "auth/r/orders/hist") {
    r.name = std::string(p);
    return r;
  }
  // auth/r/order/{SYMBOL}:{ID}/trades: the symbol may hold a ':' itself (tAAVE:USD), the id follows the last.
  if (p.starts_with("auth/r/order/") && p.ends_with("/trades")) {
    r.name = "auth/r/order/trades";
    r.arg = std::string(p.substr(13, p.size() - 13 - 7));
    return r.arg.find(':') == std::string::npos || r.arg.find('/') != std::string::npos ? std::nullopt : std::optional<Route>(r);
  }
  if (p.starts_with("auth/r/orders/")) {
    std::string_view rest = p.substr(14);
    if (rest.ends_with("/hist")) {
      r.name = "auth/r/orders/hist";
      r.arg = std::string(rest.substr(0, rest.size() - 5));
    } else {
      r.name = "auth/r/orders";
      r.arg = std::string(rest);
    }
    if (r.arg.empty() || r.arg.find('/') != std::string::npos) return std::nullopt;
    return r;
  }
  return std::nullopt;
}

net::HttpResponse not_found() { return error_response(kErrParam, "endpoint: not found", 404); }
net::HttpResponse param_invalid(std::string_view name) { return error_response(kErrParam, std::string(name) + ": invalid"); }
net::HttpResponse permission_invalid() { return error_response(kErrGeneric, "api_key: permission invalid"); }
net::HttpResponse order_not_found() { return error_response(kErrGeneric, "Order not found."); }

std::string unified_pair(const SimMarket& m) { return m.base + "/" + m.quote; }

class BitfinexSim final : public VenueSim {
 public:
  BitfinexSim(Exchange& ex, BitfinexSimOptions options) : ex_(ex), options_(options) {}

  std::string_view venue() const override { return kVenue; }
  bool owns(std::string_view path) const override { return path.starts_with("/v2/"); }
  std::string endpoint(std::string_view path) const override {
    auto r = route_of(path);
    if (r) return r->name;
    return std::string(path.starts_with("/v2/") ? path.substr(4) : path);
  }

  std::vector<std::string> endpoint_names() const override { return {std::begin(kEndpointNames), std::end(kEndpointNames)}; }

  net::HttpResponse handle(const SimRequest& request) override {
    net::HttpResponse r = answer(request);
    if (!r.header("Date")) r.headers.push_back({"Date", http_date(ex_.clock().now_ms())});
    return r;
  }

  net::HttpResponse rate_limited() const override {
    // ccxt reads the array form (its comment: ["error", 11010, "ratelimit: error"]); the IP stays blocked 60 s.
    auto r = error_response(kErrRateLimit, "ratelimit: error", 429);
    r.headers.push_back({"Retry-After", "60"});
    r.headers.push_back({"Date", http_date(ex_.clock().now_ms())});
    return r;
  }

  net::HttpResponse maintenance() const override {
    auto r = error_response(kErrMaintenance, "maintenance");
    r.headers.push_back({"Date", http_date(ex_.clock().now_ms())});
    return r;
  }

  net::HttpResponse internal_error() const override {
    auto r = error_response(kErrUnknown, "unknown error");
    r.headers.push_back({"Date", http_date(ex_.clock().now_ms())});
    return r;
  }

  net::HttpResponse bad_gateway() const override { return cloudflare_bad_gateway_answer("api.bitfinex.com"); }

 private:
  net::HttpResponse answer(const SimRequest& req) {
    auto route = route_of(req.path);
    if (!route) return not_found();
    if (req.method != (route->is_private ? "POST" : "GET")) return not_found();
    if (options_.enforce_rate_limits) {
      int64_t used = ex_.count_request("bitfinex|" + req.peer_ip + "|" + route->name, 60'000, 1);
      if (used > route->per_minute) return rate_limited();
    }
    if (!route->is_private) return public_call(*route, req);
    auto key = authenticate(req, route->need);
    if (auto* refused = std::get_if<net::HttpResponse>(&key)) return std::move(*refused);
    json body = json::object();
    if (!req.body.empty()) {
      body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
      if (body.is_discarded() || !body.is_object()) return param_invalid("body");
    }
    return private_call(*route, std::get<ApiKey>(key), body);
  }

  // The venue's checks, in its order: key, signature over the raw bytes, nonce, IP, permission.
  std::variant<ApiKey, net::HttpResponse> authenticate(const SimRequest& req, Need need) {
    const std::string* key_header = req.header("bfx-apikey");
    const std::string* nonce_header = req.header("bfx-nonce");
    const std::string* sig_header = req.header("bfx-signature");
    if (!key_header || key_header->empty()) return error_response(kErrAuth, "apikey: invalid");
    auto key = ex_.find_key(std::string(kVenue), *key_header);
    if (!key) return error_response(kErrAuth, "apikey: invalid");
    if (!nonce_header || !sig_header) return error_response(kErrAuth, "apikey: digest invalid");
    std::string path = req.query.empty() ? req.path : req.path + "?" + req.query;
    if (!signature_matches(key->secret, signature_payload(path, *nonce_header, req.body), *sig_header))
      return error_response(kErrAuth, "apikey: digest invalid");
    auto nonce = parse_nonce(*nonce_header);
    if (!nonce || !ex_.accept_nonce(key->key, *nonce)) return error_response(kErrNonce, "nonce: small");
    // The venue does not say why a key is refused from another address: the key is simply invalid there.
    if (!key->ip_whitelist.empty() && std::find(key->ip_whitelist.begin(), key->ip_whitelist.end(), req.peer_ip) == key->ip_whitelist.end())
      return error_response(kErrAuth, "apikey: invalid");
    if ((need == Need::Read && !key->permissions.read) || (need == Need::Trade && !key->permissions.trade)) return permission_invalid();
    return *std::move(key);
  }

  // Public -------------------------------------------------------------------------------------------

  net::HttpResponse public_call(const Route& route, const SimRequest& req) {
    if (route.name == "platform/status") return json_ok("[1]");
    if (route.name == "conf") return conf(route.arg);
    if (route.name == "ticker") return ticker(route.arg);
    if (route.name == "tickers") return tickers(req.query);
    if (route.name == "candles") return candles(route.arg, req.query);
    return not_found();
  }

  net::HttpResponse conf(const std::string& raw_keys) {
    auto keys = net::url_decode(raw_keys);
    if (!keys) return param_invalid("keys");
    auto markets = ex_.markets(std::string(kVenue));
    std::string out = "[";
    size_t start = 0;
    for (bool first = true;; first = false) {
      size_t comma = keys->find(',', start);
      std::string_view k = std::string_view(*keys).substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!first) out += ',';
      out += conf_element(k, markets);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    out += ']';
    return json_ok(std::move(out));
  }

  net::HttpResponse ticker(const std::string& raw_symbol) {
    auto symbol = net::url_decode(raw_symbol);
    auto m = symbol ? ex_.market(std::string(kVenue), *symbol) : std::nullopt;
    if (!m) return param_invalid("symbol");
    std::string out = "[";
    append_ticker(out, ticker_fields(ex_, *m));
    out += ']';
    return json_ok(std::move(out));
  }

  net::HttpResponse tickers(const std::string& query) {
    auto params = net::form_decode(query);
    if (!params) return param_invalid("symbols");
    std::string wanted;
    for (auto& [k, v] : *params)
      if (k == "symbols") wanted = v;
    if (wanted.empty()) return param_invalid("symbols");
    std::string out = "[";
    bool first = true;
    for (const auto& m : ex_.markets(std::string(kVenue))) {
      if (wanted != "ALL" && ("," + wanted + ",").find("," + m.id + ",") == std::string::npos) continue;
      if (!first) out += ',';
      first = false;
      out += '[';
      append_json_string(out, m.id);
      out += ',';
      append_ticker(out, ticker_fields(ex_, m));
      out += ']';
    }
    out += ']';
    return json_ok(std::move(out));
  }

  // trade:{TF}:{SYMBOL}/{hist|last}?limit=&start=&end=&sort=
  net::HttpResponse candles(const std::string& raw_arg, const std::string& query) {
    auto arg = net::url_decode(raw_arg);
    if (!arg) return param_invalid("key");
    auto slash = arg->rfind('/');
    if (slash == std::string::npos) return param_invalid("section");
    std::string section = arg->substr(slash + 1);
    std::string key = arg->substr(0, slash);
    if (section != "hist" && section != "last") return param_invalid("section");
    if (!key.starts_with("trade:")) return param_invalid("key");
    auto colon = key.find(':', 6);
    if (colon == std::string::npos) return param_invalid("key");
    auto tf = timeframe_ms(std::string_view(key).substr(6, colon - 6));
    if (!tf) return param_invalid("time_frame");
    auto m = ex_.market(std::string(kVenue), key.substr(colon + 1));
    if (!m) return param_invalid("symbol");

    auto params = net::form_decode(query);
    if (!params) return param_invalid("query");
    std::optional<int64_t> limit, start, end, sort;
    for (auto& [k, v] : *params) {
      auto n = integer_of(json(v));
      if (k == "limit" || k == "start" || k == "end" || k == "sort") {
        if (!n) return param_invalid(k);
        (k == "limit" ? limit : k == "start" ? start : k == "end" ? end : sort) = n;
      }
    }
    int count = static_cast<int>(std::clamp<int64_t>(limit.value_or(100), 1, 10'000));
    // Times far outside the path mean nothing to the engine; keep its arithmetic away from overflow.
    int64_t latest = ex_.clock().now_ms() + 86'400'000;
    if (start) start = std::clamp<int64_t>(*start, 0, latest);
    if (end) end = std::clamp<int64_t>(*end, 0, latest);
    if (section == "last") count = 1;
    std::optional<int64_t> since = start;
    if (!since && end && section == "hist") since = *end - (count - 1) * *tf;
    auto rows = ex_.candles(std::string(kVenue), m->id, *tf, section == "last" ? std::nullopt : since, count);
    if (end) std::erase_if(rows, [&](const SimCandle& c) { return c.open_time_ms > *end; });
    if (section == "last") {
      if (rows.empty()) return json_ok("[]");
      std::string one = candle_rows({rows.back()});
      return json_ok(one.substr(1, one.size() - 2));  // the row itself, not a list
    }
    if (sort.value_or(-1) != 1) std::reverse(rows.begin(), rows.end());  // newest first by default
    return json_ok(candle_rows(rows));
  }

  // Private ------------------------------------------------------------------------------------------

  net::HttpResponse private_call(const Route& route, const ApiKey& key, const json& body) {
    if (route.name == "auth/r/wallets") return json_ok(wallets(ex_.balances(key.key)));
    if (route.name == "auth/r/permissions") return json_ok(permissions(key.permissions));
    if (route.name == "auth/r/positions") return json_ok("[]");  // spot pairs only: never a position
    if (route.name == "auth/w/order/submit") return submit(key, body);
    if (route.name == "auth/w/order/cancel") return cancel(key, body);
    if (route.name == "auth/r/orders") return active_orders(key, route.arg, body);
    if (route.name == "auth/r/orders/hist") return history(key, route.arg, body);
    if (route.name == "auth/r/order/trades") return trades_of(key, route.arg);
    return not_found();
  }

  net::HttpResponse submit(const ApiKey& key, const json& body) {
    auto field = [&](const char* name) -> const json& {
      static const json null_value;
      auto it = body.find(name);
      return it == body.end() ? null_value : *it;
    };
    const json& type = field("type");
    if (!type.is_string()) return param_invalid("type");
    const auto& type_text = type.get_ref<const std::string&>();
    OrderSpec spec;
    auto order_type = bitfinex::order_type_of(type_text);
    if (!order_type) return param_invalid("type");
    spec.type = *order_type;
    const json& symbol = field("symbol");
    auto m = symbol.is_string() ? ex_.market(std::string(kVenue), symbol.get<std::string>()) : std::nullopt;
    if (!m) return param_invalid("symbol");
    spec.symbol = m->id;
    auto amount = decimal_of(field("amount"));
    if (!amount || amount->is_zero()) return param_invalid("amount");
    spec.side = amount->is_negative() ? Side::Sell : Side::Buy;
    spec.amount = truncate_amount(amount->abs());
    if (spec.amount.is_zero()) return param_invalid("amount");
    if (auto bad = bitfinex::read_prices(body, spec)) return param_invalid(*bad);
    int64_t flags = 0;
    if (!field("flags").is_null()) {
      auto f = integer_of(field("flags"));
      if (!f || *f < 0) return param_invalid("flags");
      flags = *f;
    }
    spec.post_only = (flags & kFlagPostOnly) != 0;
    spec.reduce_only = (flags & kFlagReduceOnly) != 0;
    if (!field("cid").is_null()) {
      auto cid = integer_of(field("cid"));
      if (!cid || *cid < 1 || *cid > kMaxCid) return param_invalid("cid");
      spec.client_order_id = std::to_string(*cid);
    }
    auto placed = ex_.place(key.key, spec, /*reject_post_only_sync=*/false);
    if (auto* e = std::get_if<EngineError>(&placed)) return refused(*e, *m, spec, *amount);
    const auto& o = std::get<SimOrder>(placed);
    std::string data = "[";
    append_order(data, o);
    data += ']';
    return json_ok(notification(ex_.clock().now_ms(), "on-req", data, "Submitting 1 orders."));
  }

  // Engine refusals in the venue's words (§4.6): business rules are 10001 "Invalid order: ...".
  net::HttpResponse refused(const EngineError& e, const SimMarket& m, const OrderSpec& spec, const Decimal& signed_amount) {
    switch (e.refusal) {
      case Refusal::UnknownSymbol: return param_invalid("symbol");
      case Refusal::InvalidPrice: return param_invalid("price");
      case Refusal::InvalidQuantity:
        if (!m.max_qty.is_zero() && spec.amount > m.max_qty)
          return error_response(kErrGeneric, "Invalid order: maximum size for " + unified_pair(m) + " is " + m.max_qty.to_plain_string());
        return param_invalid("amount");
      case Refusal::BelowMinQty:
      case Refusal::BelowMinNotional:
        return error_response(kErrGeneric, "Invalid order: minimum size for " + unified_pair(m) + " is " + m.min_qty.to_plain_string());
      case Refusal::InsufficientFunds: {
        Decimal at = spec.price ? *spec.price : ex_.price(m.venue, m.id);
        return error_response(kErrGeneric, "Invalid order: not enough exchange balance for " + number(truncate_amount(signed_amount)) +
                                               " " + pair_of(m.id) + " at " + number(at));
      }
      case Refusal::ReduceOnlyRejected:
        return error_response(kErrGeneric, "Invalid order: reduce-only orders are not available on exchange wallets");
      case Refusal::DuplicateClientOrderId: return param_invalid("cid");
      case Refusal::PostOnlyWouldTake:  // the venue cancels instead; the engine does the same here
      case Refusal::OrderNotFound: return order_not_found();
    }
    return error_response(10000, "unknown error");
  }

  // An active order by its cid and the UTC day it was placed on.
  std::optional<uint64_t> open_id_by_cid(const ApiKey& key, int64_t cid, const std::string& date) {
    for (const auto& o : ex_.open_orders(key.key))
      if (shown_cid(o) == cid && utc_date(o.created_ms) == date) return o.id;
    return std::nullopt;
  }

  net::HttpResponse cancel(const ApiKey& key, const json& body) {
    std::optional<uint64_t> id;
    if (auto it = body.find("id"); it != body.end()) {
      auto v = integer_of(*it);
      if (!v || *v <= 0) return param_invalid("id");
      id = static_cast<uint64_t>(*v);
    } else if (auto c = body.find("cid"); c != body.end()) {
      auto cid = integer_of(*c);
      if (!cid) return param_invalid("cid");
      auto d = body.find("cid_date");
      if (d == body.end() || !d->is_string()) return param_invalid("cid_date");
      id = open_id_by_cid(key, *cid, d->get<std::string>());
      if (!id) return order_not_found();
    } else {
      return param_invalid("id");
    }
    auto done = ex_.cancel(key.key, *id, {});
    if (std::holds_alternative<EngineError>(done)) return order_not_found();
    // The answer echoes the order as it stood when the cancellation was accepted.
    SimOrder before = std::get<SimOrder>(done);
    before.status = SimOrderStatus::Open;
    std::string data;
    append_order(data, before);
    return json_ok(notification(ex_.clock().now_ms(), "oc-req", data,
                                "Submitted for cancellation; waiting for confirmation (ID: " + std::to_string(before.id) + ")."));
  }

  // The filters both order reads take: {"id":[...]}, {"cid":N,"cid_date":"YYYY-MM-DD"}.
  std::optional<net::HttpResponse> filter(std::vector<SimOrder>& orders, const json& body) {
    if (auto it = body.find("id"); it != body.end()) {
      if (!it->is_array()) return param_invalid("id");
      std::vector<uint64_t> ids;
      for (const auto& v : *it) {
        auto n = integer_of(v);
        if (!n) return param_invalid("id");
        ids.push_back(static_cast<uint64_t>(*n));
      }
      std::erase_if(orders, [&](const SimOrder& o) { return std::find(ids.begin(), ids.end(), o.id) == ids.end(); });
    }
    if (auto it = body.find("cid"); it != body.end()) {
      auto cid = integer_of(*it);
      if (!cid) return param_invalid("cid");
      std::string date;
      if (auto d = body.find("cid_date"); d != body.end() && d->is_string()) date = d->get<std::string>();
      std::erase_if(orders, [&](const SimOrder& o) { return shown_cid(o) != *cid || (!date.empty() && utc_date(o.created_ms) != date); });
    }
    if (body.contains("gid")) orders.clear();  // the simulator places no grouped orders
    return std::nullopt;
  }

  std::optional<net::HttpResponse> check_symbol(const std::string& raw) {
    if (raw.empty()) return std::nullopt;
    if (!ex_.market(std::string(kVenue), raw)) return param_invalid("symbol");
    return std::nullopt;
  }

  net::HttpResponse active_orders(const ApiKey& key, const std::string& symbol, const json& body) {
    if (auto bad = check_symbol(symbol)) return *bad;
    auto orders = ex_.open_orders(key.key, symbol);
    if (auto bad = filter(orders, body)) return *bad;
    return json_ok(orders_array(orders));
  }

  net::HttpResponse history(const ApiKey& key, const std::string& symbol, const json& body) {
    if (auto bad = check_symbol(symbol)) return *bad;
    std::optional<int64_t> start, end;
    int64_t limit = 25;
    for (const char* name : {"start", "end", "limit"}) {
      auto it = body.find(name);
      if (it == body.end() || it->is_null()) continue;
      auto n = integer_of(*it);
      if (!n) return param_invalid(name);
      (std::string_view(name) == "start" ? start : std::string_view(name) == "end" ? end : limit) = *n;
    }
    limit = std::clamp<int64_t>(limit, 1, 2500);
    auto orders = ex_.orders(key.key);
    std::erase_if(orders, [&](const SimOrder& o) {
      return o.status == SimOrderStatus::Open || (!symbol.empty() && o.symbol != symbol) || (start && o.updated_ms < *start) ||
             (end && o.updated_ms > *end);
    });
    if (auto bad = filter(orders, body)) return *bad;
    std::sort(orders.begin(), orders.end(), [](const SimOrder& a, const SimOrder& b) {
      return a.updated_ms != b.updated_ms ? a.updated_ms > b.updated_ms : a.id > b.id;
    });
    if (static_cast<int64_t>(orders.size()) > limit) orders.resize(static_cast<size_t>(limit));
    return json_ok(orders_array(orders));
  }

  // The fills of one of the key's orders; an order of another key or market has none.
  net::HttpResponse trades_of(const ApiKey& key, const std::string& symbol_and_id) {
    auto colon = symbol_and_id.rfind(':');
    auto m = ex_.market(std::string(kVenue), symbol_and_id.substr(0, colon));
    auto id = integer_of(json(symbol_and_id.substr(colon + 1)));
    if (!m || !id || *id <= 0) return param_invalid(m ? "id" : "symbol");
    auto o = ex_.order(key.key, static_cast<uint64_t>(*id), "");
    return json_ok(o && o->symbol == m->id ? order_trades(*o, *m) : "[]");
  }

  Exchange& ex_;
  BitfinexSimOptions options_;
};

}  // namespace
}  // namespace bitfinex

std::unique_ptr<VenueSim> make_bitfinex_sim(Exchange& exchange, BitfinexSimOptions options) {
  return std::make_unique<bitfinex::BitfinexSim>(exchange, options);
}

std::unique_ptr<VenueSim> make_bitfinex_sim(Exchange& exchange) { return make_bitfinex_sim(exchange, {}); }

}  // namespace tb::exsim
