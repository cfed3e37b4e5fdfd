// Kraken's private methods (exchanges.md §3.8-3.9): balances, orders and the key's own description.
// Authentication, permissions and the per-key counter are checked before these run (kraken_sim.cpp).
#include <algorithm>
#include <array>
#include <cctype>

#include "exsim/kraken/methods.hpp"
#include "exsim/kraken/names.hpp"

namespace tb::exsim::kraken {
namespace {

constexpr std::string_view kVenue = "kraken";

std::string param(const PrivateCall& c, std::string_view name) {
  auto it = c.params.find(name);
  return it == c.params.end() ? std::string() : it->second;
}

bool flag(const PrivateCall& c, std::string_view name) {
  auto v = param(c, name);
  return v == "true" || v == "1" || v == "True";
}

// What Kraken accepts as cl_ord_id: a long UUID, 32 hex digits, or up to 18 printable ASCII characters.
bool valid_cl_ord_id(std::string_view id) {
  auto hex = [](char ch) { return std::isxdigit(static_cast<unsigned char>(ch)) != 0; };
  if (id.size() == 36) {
    bool ok = true;
    for (size_t i = 0; i < id.size(); ++i) ok = ok && ((i == 8 || i == 13 || i == 18 || i == 23) ? id[i] == '-' : hex(id[i]));
    if (ok) return true;
  }
  if (id.size() == 32 && std::all_of(id.begin(), id.end(), hex)) return true;
  if (id.empty() || id.size() > 18) return false;
  return std::all_of(id.begin(), id.end(), [](char ch) { return ch > 0x20 && ch < 0x7f; });
}

std::string refusal_text(const EngineError& e) {
  switch (e.refusal) {
    case Refusal::UnknownSymbol: return "EQuery:Unknown asset pair";
    case Refusal::InvalidQuantity: return "EGeneral:Invalid arguments:volume";
    case Refusal::BelowMinQty: return "EOrder:Order minimum not met";
    case Refusal::BelowMinNotional: return "EOrder:Cost minimum not met";
    case Refusal::InvalidPrice: return "EGeneral:Invalid arguments:price";
    case Refusal::InsufficientFunds: return "EOrder:Insufficient funds";
    case Refusal::PostOnlyWouldTake: return "EOrder:Post only order";
    case Refusal::ReduceOnlyRejected: return "EOrder:Reduce only:Non-PC";
    case Refusal::DuplicateClientOrderId: return "EOrder:Duplicate order";
    case Refusal::OrderNotFound: return "EOrder:Unknown order";
  }
  return "EGeneral:Internal error";
}

// Balances -----------------------------------------------------------------------------------------

net::HttpResponse balance(const PrivateCall& c) {
  json result = json::object();
  for (auto& [asset, b] : c.exchange.balances(c.key.key)) result[asset_id(asset)] = fixed(b.total, asset_decimals(asset));
  return ok(result);
}

net::HttpResponse balance_ex(const PrivateCall& c) {
  json result = json::object();
  for (auto& [asset, b] : c.exchange.balances(c.key.key)) {
    int d = asset_decimals(asset);
    result[asset_id(asset)] = {{"balance", fixed(b.total, d)}, {"hold_trade", fixed(b.reserved, d)}};
  }
  return ok(result);
}

net::HttpResponse trade_balance(const PrivateCall& c) {
  auto asset = param(c, "asset");
  if (!asset.empty() && unified_asset(asset) != std::optional<std::string>("USD")) return fail("EQuery:Unknown asset");
  // Everything valued in USD at the current prices; spot only, so no margin, no open positions.
  Decimal equity;
  for (auto& [code, b] : c.exchange.balances(c.key.key)) {
    if (code == "USD" || code == "USDT") {
      equity += b.total;
      continue;
    }
    for (auto& p : c.pairs.all())
      if (p.market.base == code && p.market.quote == "USD") {
        equity += b.total * c.exchange.price(std::string(kVenue), p.market.id);
        break;
      }
  }
  std::string e = fixed(equity, 4), zero = fixed(Decimal(), 4);
  return ok({{"eb", e}, {"tb", e}, {"m", zero}, {"n", zero}, {"c", zero}, {"v", zero}, {"e", e}, {"mf", e}, {"uv", zero}});
}

// Orders ------------------------------------------------------------------------------------------

// Bounds far beyond any real order keep garbage numbers away from overflowing products.
const Decimal kHuge = Decimal::from_int(1'000'000'000'000);

std::optional<Decimal> price_param(const PrivateCall& c, const char* name) {
  auto d = Decimal::parse(param(c, name));
  if (!d || !d->is_positive() || *d > kHuge) return std::nullopt;
  return d;
}

bool is_trailing(OrderType t) { return t == OrderType::TrailingStop || t == OrderType::TrailingStopLimit; }

// ordertype and its prices (AddOrder): price is the limit of a limit order and the trigger of a
// conditional one; price2 the limit of a *-limit one. Trailing types and relative prices are not simulated.
std::optional<std::string> read_type_and_prices(const PrivateCall& c, OrderSpec& s) {
  auto type = param(c, "ordertype");
  auto kraken = kraken_order_type(type);
  if (!kraken || is_trailing(*kraken)) return "EGeneral:Invalid arguments:ordertype";
  s.type = *kraken;
  if (s.type == OrderType::Market) return std::nullopt;
  auto price = price_param(c, "price");
  if (!price) return "EGeneral:Invalid arguments:price";
  if (s.type == OrderType::Limit) s.price = *price;
  else s.trigger_price = *price;
  if (s.type == OrderType::StopLimit || s.type == OrderType::TakeProfitLimit) {
    auto limit = price_param(c, "price2");
    if (!limit) return "EGeneral:Invalid arguments:price2";
    s.price = *limit;
  }
  return std::nullopt;
}

// Checks a validate=true order would pass, without placing it (the engine has no dry run).
std::optional<std::string> validate_only(const PrivateCall& c, const Pair& p, const OrderSpec& s) {
  const auto& m = p.market;
  if (!s.amount.is_multiple_of(m.step) || (m.max_qty.is_positive() && s.amount > m.max_qty)) return "EGeneral:Invalid arguments:volume";
  if (s.price && !s.price->is_multiple_of(m.tick)) return "EGeneral:Invalid arguments:price";
  if (s.amount < m.min_qty) return "EOrder:Order minimum not met";
  Decimal px = s.price ? *s.price : c.exchange.price(std::string(kVenue), m.id);
  if (px * s.amount < m.min_notional) return "EOrder:Cost minimum not met";
  auto balances = c.exchange.balances(c.key.key);
  auto free = [&](const std::string& a) {
    auto it = balances.find(a);
    return it == balances.end() ? Decimal() : it->second.free();
  };
  Decimal need = s.side == Side::Buy ? px * s.amount * (Decimal::from_int(1) + m.taker_fee) : s.amount;
  if (need > free(s.side == Side::Buy ? m.quote : m.base)) return "EOrder:Insufficient funds";
  return std::nullopt;
}

net::HttpResponse add_order(const PrivateCall& c) {
  auto pair_name = param(c, "pair");
  if (pair_name.empty()) return fail("EGeneral:Invalid arguments");
  const Pair* p = c.pairs.find(pair_name);
  if (!p) return fail("EQuery:Unknown asset pair");
  OrderSpec s;
  s.symbol = p->market.id;
  auto side = param(c, "type");
  if (side != "buy" && side != "sell") return fail("EGeneral:Invalid arguments:type");
  s.side = side == "buy" ? Side::Buy : Side::Sell;
  auto volume = Decimal::parse(param(c, "volume"));
  if (!volume || !volume->is_positive() || *volume > kHuge) return fail("EGeneral:Invalid arguments:volume");
  s.amount = *volume;
  if (auto e = read_type_and_prices(c, s)) return fail(*e);
  for (auto& f : split_commas(param(c, "oflags"))) {
    if (f == "post") {
      if (s.type != OrderType::Limit) return fail("EGeneral:Invalid arguments:oflags");
      s.post_only = true;
    } else if (f == "viqc") {
      return fail("EGeneral:Invalid arguments:viqc");  // volume in quote: not simulated
    } else if (f != "fcib" && f != "fciq" && f != "nompp") {
      return fail("EGeneral:Invalid arguments:oflags");
    }
  }
  auto tif = param(c, "timeinforce");
  if (!tif.empty() && tif != "GTC") return fail("EGeneral:Invalid arguments:timeinforce");
  if (flag(c, "reduce_only")) return fail("EGeneral:Invalid arguments:reduce_only");  // spot: no margin positions
  s.client_order_id = param(c, "cl_ord_id");
  if (c.params.count("cl_ord_id") && !valid_cl_ord_id(s.client_order_id)) return fail("EGeneral:Invalid arguments:cl_ord_id");
  if (!s.client_order_id.empty() && c.params.count("userref")) return fail("EGeneral:Invalid arguments:cl_ord_id");
  json descr = {{"order", order_text(s.side, s.amount, s.type, s.price, s.trigger_price, *p)}};
  if (flag(c, "validate")) {
    if (auto e = validate_only(c, *p, s)) return fail(*e);
    return ok({{"descr", descr}});
  }
  int64_t now = c.exchange.clock().now_ms();
  if (!c.limits.admit("trade:" + c.key.key + ":" + p->market.id, kTradingRule, 1, now)) return fail("EOrder:Rate limit exceeded");
  auto placed = c.exchange.place(c.key.key, s, /*reject_post_only_sync=*/false);
  if (placed.index() == 1) return fail(refusal_text(std::get<1>(placed)));
  return ok({{"descr", descr}, {"txid", json::array({txid_of(std::get<0>(placed).id)})}});
}

// The order a CancelOrder names, or the error Kraken gives.
std::variant<SimOrder, std::string> order_to_cancel(const PrivateCall& c) {
  auto cl = param(c, "cl_ord_id");
  auto txid = param(c, "txid");
  std::optional<SimOrder> o;
  if (!cl.empty()) {
    o = c.exchange.order(c.key.key, 0, cl);
  } else if (!txid.empty()) {
    auto id = id_of_txid(txid);
    bool userref = std::all_of(txid.begin(), txid.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
    if (!id && !looks_like_txid(txid) && !userref) return std::string("EOrder:Invalid order");
    if (id) o = c.exchange.order(c.key.key, *id, "");
  } else {
    return std::string("EGeneral:Invalid arguments");
  }
  if (!o || o->status != SimOrderStatus::Open) return std::string("EOrder:Unknown order");
  return *o;
}

net::HttpResponse cancel_order(const PrivateCall& c) {
  auto found = order_to_cancel(c);
  if (found.index() == 1) return fail(std::get<1>(found));
  const auto& o = std::get<0>(found);
  int64_t now = c.exchange.clock().now_ms();
  if (!c.limits.admit("trade:" + c.key.key + ":" + o.symbol, kTradingRule, cancel_penalty(now - o.created_ms), now))
    return fail("EOrder:Rate limit exceeded");
  auto r = c.exchange.cancel(c.key.key, o.id, "");
  if (r.index() == 1) return fail(refusal_text(std::get<1>(r)));
  return ok({{"count", 1}});
}

net::HttpResponse cancel_all(const PrivateCall& c) {
  int count = 0;
  for (auto& o : c.exchange.open_orders(c.key.key))
    if (c.exchange.cancel(c.key.key, o.id, "").index() == 0) ++count;
  return ok({{"count", count}});
}

const Pair* pair_of_order(const PrivateCall& c, const SimOrder& o) { return c.pairs.find(o.symbol); }

net::HttpResponse open_orders(const PrivateCall& c) {
  auto cl = param(c, "cl_ord_id");
  bool trades = flag(c, "trades");
  json open = json::object();
  for (auto& o : c.exchange.open_orders(c.key.key)) {
    if (!cl.empty() && o.client_order_id != cl) continue;
    if (auto p = pair_of_order(c, o)) open[txid_of(o.id)] = order_json(o, *p, trades);
  }
  return ok({{"open", open}});
}

net::HttpResponse closed_orders(const PrivateCall& c) {
  auto cl = param(c, "cl_ord_id");
  bool trades = flag(c, "trades");
  auto start = Decimal::parse(param(c, "start")), end = Decimal::parse(param(c, "end"));
  auto ofs = Decimal::parse(param(c, "ofs"));
  if (ofs && *ofs > Decimal::from_int(1'000'000'000)) ofs = Decimal::from_int(1'000'000'000);
  std::vector<SimOrder> closed;
  for (auto& o : c.exchange.orders(c.key.key)) {
    if (o.status == SimOrderStatus::Open) continue;
    if (!cl.empty() && o.client_order_id != cl) continue;
    auto t = Decimal::from_units(o.updated_ms, 3);
    if ((start && t <= *start) || (end && t >= *end)) continue;
    closed.push_back(o);
  }
  std::reverse(closed.begin(), closed.end());  // newest first
  size_t skip = ofs && ofs->is_positive() ? static_cast<size_t>(ofs->rescale(0, Rounding::Floor).units()) : 0;
  json out = json::object();
  for (size_t i = skip; i < closed.size() && i < skip + 50; ++i)
    if (auto p = pair_of_order(c, closed[i])) out[txid_of(closed[i].id)] = order_json(closed[i], *p, trades);
  return ok({{"closed", out}, {"count", closed.size()}});
}

net::HttpResponse query_orders(const PrivateCall& c) {
  auto ids = split_commas(param(c, "txid"));
  if (ids.empty() || ids.size() > 50) return fail("EGeneral:Invalid arguments");
  bool trades = flag(c, "trades");
  json result = json::object();
  // Ids we do not know are left out, as Kraken leaves them out (exchanges.md §5.9).
  for (auto& t : ids) {
    auto id = id_of_txid(t);
    if (!id) continue;
    auto o = c.exchange.order(c.key.key, *id, "");
    if (!o) continue;
    if (auto p = pair_of_order(c, *o)) result[t] = order_json(*o, *p, trades);
  }
  return ok(result);
}

// Key and funding -----------------------------------------------------------------------------------

net::HttpResponse get_api_key_info(const PrivateCall& c) {
  const auto& k = c.key;
  auto secs = [](int64_t ms) { return std::to_string(ms / 1000); };
  int64_t now = c.exchange.clock().now_ms();
  return ok({{"apiKeyName", k.label},
             {"apiKey", k.key},
             {"nonce", std::string(c.nonce)},
             {"nonceWindow", 0},
             {"permissions", permission_codes(k.permissions)},
             {"iban", ""},
             {"validUntil", "0"},
             {"queryFrom", "0"},
             {"queryTo", "0"},
             {"createdTime", secs(k.created_ms)},
             {"modifiedTime", secs(k.created_ms)},
             {"ipAllowlist", k.ip_whitelist},
             {"lastUsed", secs(now)}});
}

net::HttpResponse withdraw_methods(const PrivateCall&) {
  return ok(json::array({
      {{"asset", "XXBT"}, {"method", "Bitcoin"}, {"network", "Bitcoin"}, {"minimum", "0.0004"}},
      {{"asset", "XETH"}, {"method", "Ether"}, {"network", "Ethereum"}, {"minimum", "0.004"}},
  }));
}

net::HttpResponse withdraw_addresses(const PrivateCall&) { return ok(json::array()); }

constexpr std::array<PrivateMethod, 12> kPrivate{{
    {"Balance", Right::QueryFunds, 1, balance},
    {"BalanceEx", Right::QueryFunds, 1, balance_ex},
    {"TradeBalance", Right::QueryOrders, 1, trade_balance},
    {"OpenOrders", Right::QueryOrders, 1, open_orders},
    {"ClosedOrders", Right::QueryOrders, 1, closed_orders},
    {"QueryOrders", Right::QueryOrders, 1, query_orders},
    {"AddOrder", Right::Trade, 0, add_order},
    {"CancelOrder", Right::Trade, 0, cancel_order},
    {"CancelAll", Right::Trade, 1, cancel_all},
    {"GetApiKeyInfo", Right::None, 1, get_api_key_info},
    {"WithdrawMethods", Right::Withdraw, 1, withdraw_methods},
    {"WithdrawAddresses", Right::Withdraw, 1, withdraw_addresses},
}};

}  // namespace

const PrivateMethod* find_private(std::string_view name) {
  for (auto& m : kPrivate)
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<std::string> method_names() {
  std::vector<std::string> out = public_method_names();
  for (auto& m : kPrivate) out.emplace_back(m.name);
  return out;
}

std::vector<std::string> permission_codes(const KeyPermissions& p) {
  std::vector<std::string> out;
  if (p.read) out.insert(out.end(), {"query-funds", "query-open-trades", "query-closed-trades", "query-ledger"});
  if (p.trade) out.insert(out.end(), {"modify-trades", "close-trades"});
  if (p.withdraw) out.insert(out.end(), {"withdraw-funds"});
  return out;
}

bool has_right(const KeyPermissions& p, Right r) {
  switch (r) {
    case Right::None: return true;
    case Right::QueryFunds:
    case Right::QueryOrders: return p.read;
    case Right::Trade: return p.trade;
    case Right::Withdraw: return p.withdraw;
  }
  return false;
}

}  // namespace tb::exsim::kraken
