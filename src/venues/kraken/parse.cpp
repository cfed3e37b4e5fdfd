#include "venues/kraken/parse.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include "venues/common/json_util.hpp"

namespace tb::venues::kraken {
namespace {

Error missing(const std::string& what) { return bad_response("kraken response lacks a valid '" + what + "'"); }

std::string string_at(const json& obj, const char* key) {
  if (!obj.is_object()) return {};
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// Unix seconds, possibly fractional ("1688666559.8974" or 1688666559.8974) -> ms, without double math
// on the digits Kraken printed.
std::optional<int64_t> seconds_to_ms(const json& v) {
  auto d = decimal_of(v);
  // Beyond 10^12 s (some 30,000 years) the milliseconds overflow Decimal: no time.
  if (!d || d->abs() >= Decimal::from_int(1'000'000'000'000)) return std::nullopt;
  auto ms = (*d * Decimal::from_int(1000)).rescale(0, Rounding::Floor);
  return static_cast<int64_t>(ms.units());
}

int64_t int_at(const json& obj, const char* key, int64_t fallback) {
  if (!obj.is_object()) return fallback;
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    int64_t v = 0;
    auto& s = it->get_ref<const std::string&>();
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec == std::errc{} && r.ptr == s.data() + s.size()) return v;
  }
  return fallback;
}

// Unix seconds -> ms; nullopt when negative or when the milliseconds would not fit in int64.
std::optional<int64_t> ms_of_seconds(int64_t seconds) {
  if (seconds < 0 || seconds > std::numeric_limits<int64_t>::max() / 1000) return std::nullopt;
  return seconds * 1000;
}

Decimal pow10_neg(int64_t decimals) {
  return Decimal::from_units(1, static_cast<int>(std::clamp<int64_t>(decimals, 0, Decimal::kMaxScale)));
}

std::string asset_code(const std::string& id, const std::map<std::string, std::string>& codes) {
  auto it = codes.find(id);
  return it != codes.end() ? it->second : unified_asset(id);
}

OrderStatus status_of(const std::string& s, const Decimal& amount, const Decimal& filled) {
  if (s == "closed") return OrderStatus::Filled;
  if (s == "canceled") return OrderStatus::Canceled;
  if (s == "expired") return OrderStatus::Expired;
  // pending, open
  if (filled.is_positive() && filled < amount) return OrderStatus::PartiallyFilled;
  return OrderStatus::New;
}

// Kraken's ordertype values (AddOrder, exchanges.md §3.8). An iceberg is a limit order showing part of
// its volume; settle-position and any type added later are Other, named by venue_type.
struct TypeName {
  std::string_view name;
  OrderType type;
};
constexpr TypeName kOrderTypes[] = {
    {"market", OrderType::Market},
    {"limit", OrderType::Limit},
    {"iceberg", OrderType::Limit},
    {"stop-loss", OrderType::StopMarket},
    {"take-profit", OrderType::TakeProfitMarket},
    {"stop-loss-limit", OrderType::StopLimit},
    {"take-profit-limit", OrderType::TakeProfitLimit},
    {"trailing-stop", OrderType::TrailingStop},
    {"trailing-stop-limit", OrderType::TrailingStopLimit},
};

OrderType order_type_of(std::string_view name) {
  for (const auto& t : kOrderTypes)
    if (t.name == name) return t.type;
  return OrderType::Other;
}

bool has_flag(std::string_view flags, std::string_view flag) {
  while (!flags.empty()) {
    auto comma = flags.find(',');
    if (flags.substr(0, comma) == flag) return true;
    if (comma == std::string_view::npos) break;
    flags.remove_prefix(comma + 1);
  }
  return false;
}

// A price as descr prints an absolute one ("55.00000"); relative forms ("+50.0000%", "#5", "-2") are
// offsets, not prices, and read as none.
std::optional<Decimal> absolute_price(const json& obj, const char* key) {
  auto text = string_at(obj, key);
  if (text.empty() || text.front() < '0' || text.front() > '9' || text.back() == '%') return std::nullopt;
  auto d = decimal_at(obj, key);
  if (!d || !d->is_positive()) return std::nullopt;
  return d;
}

std::optional<Decimal> positive_at(const json& obj, const char* key) {
  auto d = decimal_at(obj, key);
  if (!d || !d->is_positive()) return std::nullopt;
  return d;
}

// Kraken's descr.price is the limit price of a limit order and the trigger of a conditional one; for the
// *-limit types descr.price2 is the limit (AddOrder's price/price2). A trailing order's descr prices are
// offsets: its trigger (and, for trailing-stop-limit, its limit) as they stand are stopprice/limitprice.
void read_prices(const json& o, const json& d, Order& out) {
  switch (out.type) {
    case OrderType::Limit: out.price = absolute_price(d, "price"); break;
    case OrderType::StopMarket:
    case OrderType::TakeProfitMarket: out.trigger_price = absolute_price(d, "price"); break;
    case OrderType::StopLimit:
    case OrderType::TakeProfitLimit:
      out.trigger_price = absolute_price(d, "price");
      out.price = absolute_price(d, "price2");
      if (!out.price) out.price = positive_at(o, "limitprice");
      break;
    case OrderType::TrailingStop: out.trigger_price = positive_at(o, "stopprice"); break;
    case OrderType::TrailingStopLimit:
      out.trigger_price = positive_at(o, "stopprice");
      out.price = positive_at(o, "limitprice");
      break;
    default: break;  // market: no price; other: prices of unknown meaning are not guessed
  }
  if (!out.trigger_price && is_conditional(out.type)) out.trigger_price = positive_at(o, "stopprice");
}

// cl_ord_id, else userref: an integer (or numeric string) that, when present, is the client id, 0 included.
std::string client_id_of(const json& o) {
  auto cl = string_at(o, "cl_ord_id");
  if (!cl.empty()) return cl;
  if (auto ref = integer_at(o, "userref")) return std::to_string(*ref);
  return {};
}

// Kraken's order object carries no time in force of its own; an expiry time means GTD.
std::optional<TimeInForce> time_in_force_of(const json& o) {
  auto tif = string_at(o, "timeinforce");
  if (tif == "GTC") return TimeInForce::Gtc;
  if (tif == "IOC") return TimeInForce::Ioc;
  if (tif == "GTD") return TimeInForce::Gtd;
  if (auto expire = decimal_at(o, "expiretm"); expire && expire->is_positive()) return TimeInForce::Gtd;
  return std::nullopt;
}

}  // namespace

Result<int64_t> parse_server_time(const json& result) {
  if (!result.is_object() || !result.contains("unixtime") || !result["unixtime"].is_number_integer()) return missing("unixtime");
  auto ms = ms_of_seconds(result["unixtime"].get<int64_t>());
  if (!ms) return missing("unixtime");
  return *ms;
}

std::map<std::string, std::string> parse_asset_codes(const json& result) {
  std::map<std::string, std::string> out;
  if (!result.is_object()) return out;
  for (auto it = result.begin(); it != result.end(); ++it) {
    auto alt = string_at(*it, "altname");
    out[it.key()] = unified_asset(alt.empty() ? it.key() : alt);
  }
  return out;
}

Result<std::vector<Market>> parse_markets(const json& result, const std::map<std::string, std::string>& asset_codes) {
  if (!result.is_object()) return missing("result");
  std::vector<Market> out;
  for (auto it = result.begin(); it != result.end(); ++it) {
    const json& p = *it;
    if (it.key().ends_with(".d")) continue;  // legacy dark-pool pairs: not tradable through AddOrder here
    if (!p.is_object()) return missing(it.key());
    Market m;
    m.id = it.key();
    m.altname = string_at(p, "altname");
    auto base = string_at(p, "base"), quote = string_at(p, "quote");
    if (base.empty() || quote.empty()) return missing(m.id + ".base/quote");
    m.base = asset_code(base, asset_codes);
    m.quote = asset_code(quote, asset_codes);
    m.symbol = unified_symbol(m.base, m.quote);
    m.kind = MarketKind::Spot;
    m.active = string_at(p, "status").empty() || string_at(p, "status") == "online";
    if (auto tick = decimal_at(p, "tick_size")) m.tick_size = *tick;
    else if (p.contains("pair_decimals")) m.tick_size = pow10_neg(int_at(p, "pair_decimals", 0));
    else return missing(m.id + ".tick_size");
    if (!p.contains("lot_decimals") || !p["lot_decimals"].is_number_integer()) return missing(m.id + ".lot_decimals");
    m.step_size = pow10_neg(p["lot_decimals"].get<int64_t>());
    if (!m.tick_size.is_positive()) return missing(m.id + ".tick_size");
    m.min_qty = decimal_at(p, "ordermin").value_or(Decimal());
    m.min_notional = decimal_at(p, "costmin").value_or(Decimal());
    // Minimums are sizes: a negative one is a malformed pair (the fuzzer's find), never a rule to follow.
    if (m.min_qty.is_negative()) return missing(m.id + ".ordermin");
    if (m.min_notional.is_negative()) return missing(m.id + ".costmin");
    out.push_back(std::move(m));
  }
  return out;
}

Result<Ticker> parse_ticker(const json& entry, const std::string& pair_id) {
  auto first = [&](const char* key) -> std::optional<Decimal> {
    if (!entry.is_object() || !entry.contains(key) || !entry[key].is_array() || entry[key].empty()) return std::nullopt;
    return decimal_of(entry[key][0]);
  };
  Ticker t;
  t.symbol = pair_id;
  auto last = first("c");
  if (!last) return missing("c[0]");
  t.last = *last;
  t.bid = first("b");
  t.ask = first("a");
  return t;
}

Result<std::vector<Candle>> parse_candles(const json& rows) {
  if (!rows.is_array()) return missing("OHLC rows");
  std::vector<Candle> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    if (!r.is_array() || r.size() < 7 || !r[0].is_number_integer()) return missing("OHLC row");
    Candle c;
    auto open_ms = ms_of_seconds(r[0].get<int64_t>());
    if (!open_ms) return missing("OHLC row time");
    c.open_time_ms = *open_ms;
    auto o = decimal_of(r[1]), h = decimal_of(r[2]), l = decimal_of(r[3]), cl = decimal_of(r[4]), v = decimal_of(r[6]);
    if (!o || !h || !l || !cl || !v) return missing("OHLC row values");
    c.open = *o, c.high = *h, c.low = *l, c.close = *cl, c.volume = *v;
    out.push_back(c);
  }
  return out;
}

Result<Portfolio> parse_balances(const json& result) {
  if (!result.is_object()) return missing("result");
  Portfolio out;
  std::map<std::string, Balance> by_code;
  for (auto it = result.begin(); it != result.end(); ++it) {
    auto total = decimal_at(*it, "balance");
    if (!total) return missing(it.key() + ".balance");
    auto hold = decimal_at(*it, "hold_trade").value_or(Decimal());
    bool view = false;
    strip_view_suffix(it.key(), &view);
    auto code = unified_asset(it.key());
    auto& b = by_code[code];
    b.asset = code;
    b.total += *total;
    b.used += view ? *total : hold;
    b.free = b.total - b.used;
  }
  for (auto& [code, b] : by_code) out.balances.push_back(std::move(b));
  return out;
}

Result<Order> parse_order(const std::string& txid, const json& o) {
  if (!o.is_object()) return missing("order " + txid);
  Order out;
  out.id = txid;
  out.client_order_id = client_id_of(o);
  const json& d = o.contains("descr") ? o["descr"] : json::object();
  out.symbol = string_at(d, "pair");
  auto side = parse_side(string_at(d, "type"));
  if (!side) return missing("descr.type of " + txid);
  out.side = *side;
  out.venue_type = string_at(d, "ordertype");
  out.type = order_type_of(out.venue_type);
  // Kraken's volumes are sizes, never signed (the side is descr.type): a negative one is a malformed order.
  auto amount = decimal_at(o, "vol");
  if (!amount || amount->is_negative()) return missing("vol of " + txid);
  out.amount = *amount;
  out.filled = decimal_at(o, "vol_exec").value_or(Decimal());
  if (out.filled.is_negative()) return missing("vol_exec of " + txid);
  read_prices(o, d, out);
  if (auto avg = decimal_at(o, "price"); avg && avg->is_positive()) out.average_price = *avg;
  out.fee = decimal_at(o, "fee");  // in the quote currency unless oflags hold fcib; the answer does not name it
  auto status = string_at(o, "status");
  if (status.empty()) return missing("status of " + txid);
  out.status = status_of(status, out.amount, out.filled);
  out.venue_status = status;
  if (auto reason = string_at(o, "reason"); !reason.empty()) out.venue_status += ": " + reason;
  out.post_only = has_flag(string_at(o, "oflags"), "post");
  // AddOrder's reduce_only (margin), where the order object echoes it.
  if (o.contains("reduce_only")) out.reduce_only = boolean_of(o["reduce_only"]).value_or(false);
  out.time_in_force = time_in_force_of(o);
  if (o.contains("opentm")) out.created_ms = seconds_to_ms(o["opentm"]).value_or(0);
  if (o.contains("closetm")) out.updated_ms = seconds_to_ms(o["closetm"]).value_or(0);
  if (out.updated_ms == 0) out.updated_ms = out.created_ms;
  return out;
}

Result<std::vector<Order>> parse_orders(const json& by_txid) {
  if (by_txid.is_null()) return std::vector<Order>{};
  if (!by_txid.is_object()) return missing("orders");
  std::vector<Order> out;
  for (auto it = by_txid.begin(); it != by_txid.end(); ++it) {
    auto o = parse_order(it.key(), *it);
    if (!o) return o.error();
    out.push_back(std::move(*o));
  }
  std::stable_sort(out.begin(), out.end(), [](const Order& a, const Order& b) { return a.created_ms > b.created_ms; });
  return out;
}

Result<Order> parse_add_order(const json& result, const OrderRequest& req, int64_t now_ms) {
  if (!result.is_object() || !result.contains("txid") || !result["txid"].is_array() || result["txid"].empty() ||
      !result["txid"][0].is_string())
    return missing("txid[0]");
  Order o;
  o.id = result["txid"][0].get<std::string>();
  o.client_order_id = req.client_order_id;
  o.symbol = req.symbol;
  o.side = req.side;
  o.type = req.type;
  o.status = OrderStatus::New;
  o.price = req.price;
  o.amount = req.amount;
  o.post_only = req.post_only;
  o.reduce_only = req.reduce_only;
  o.created_ms = o.updated_ms = now_ms;
  o.venue_type = req.type == OrderType::Market ? "market" : "limit";  // what add_order_call sent
  if (result.contains("descr")) o.venue_status = string_at(result["descr"], "order");
  return o;
}

Result<Order> parse_cancel(const json& result, const OrderRef& ref, int64_t now_ms) {
  auto count = integer_at(result, "count");
  if (!count || *count < 0) return missing("count");
  if (*count == 0) return Error::make(ErrorKind::OrderNotFound, "kraken canceled no order");
  Order o;
  o.id = ref.order_id;
  o.client_order_id = ref.client_order_id;
  o.symbol = ref.symbol;
  bool pending = result.contains("pending") && boolean_of(result["pending"]).value_or(false);
  o.status = pending ? OrderStatus::Canceling : OrderStatus::Canceled;
  o.venue_status = pending ? "cancel pending" : "canceled";
  o.updated_ms = now_ms;
  return o;
}

Result<KeyPermissions> parse_key_info(const json& result) {
  if (!result.is_object() || !result.contains("permissions") || !result["permissions"].is_array()) return missing("permissions");
  KeyPermissions k;
  for (auto& p : result["permissions"])
    if (p.is_string()) k.venue_permissions.push_back(p.get<std::string>());
  auto has = [&](std::string_view code) {
    return std::find(k.venue_permissions.begin(), k.venue_permissions.end(), code) != k.venue_permissions.end();
  };
  k.can_read = has("query-funds");
  k.can_trade = has("modify-trades");
  k.can_withdraw = has("withdraw-funds");
  if (result.contains("ipAllowlist") && result["ipAllowlist"].is_array()) {
    for (auto& ip : result["ipAllowlist"]) {
      if (ip.is_string()) k.ip_whitelist.push_back(ip.get<std::string>());
      else if (ip.is_object()) k.ip_whitelist.push_back(ip.dump());  // shape not documented: keep what came
    }
    k.ip_restricted = !k.ip_whitelist.empty();
  }
  // validUntil: unix seconds as a string, "0" = never expires.
  // Beyond int64 milliseconds (some 292 million years) is no expiry we could tell apart from never.
  if (int64_t until = int_at(result, "validUntil", 0); until > 0) k.trading_expires_ms = ms_of_seconds(until);
  return k;
}

}  // namespace tb::venues::kraken
