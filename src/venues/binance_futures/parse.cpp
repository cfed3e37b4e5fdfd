#include "venues/binance_futures/parse.hpp"

#include "venues/binance_futures/endpoints.hpp"
#include "venues/binance_futures/symbols.hpp"
#include "venues/common/flat_json.hpp"

namespace tb::venues::binance_futures {
namespace {

Error missing(std::string_view what, std::string_view field) {
  return bad_response("binance_futures: " + std::string(what) + " without a valid '" + std::string(field) + "'");
}

const std::string* str(const json& obj, std::string_view field) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(field);
  return it != obj.end() && it->is_string() ? &it->get_ref<const std::string&>() : nullptr;
}

// Integers and booleans as documented, or as strings ("1707212775174", "false") as recordings carry them.
std::optional<int64_t> integer(const json& obj, std::string_view field) { return integer_at(obj, field); }

std::optional<bool> boolean(const json& obj, std::string_view field) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(field);
  if (it == obj.end()) return std::nullopt;
  return boolean_of(*it);
}

const json* filter(const json& filters, std::string_view type) {
  for (auto& f : filters)
    if (auto t = str(f, "filterType"); t && *t == type) return &f;
  return nullptr;
}

// 2^53 and up cannot come from a JSON number as a double safely, but nlohmann keeps integers exact.
std::optional<std::string> id_of(const json& v) {
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_string()) return v.get<std::string>();
  return std::nullopt;
}

std::optional<std::string> id_text(const json& obj, std::string_view field) {
  if (!obj.is_object()) return std::nullopt;
  auto it = obj.find(field);
  if (it == obj.end()) return std::nullopt;
  return id_of(*it);
}

// The same readers over an answer read in place: each value the scalar the document would hold.
using venues::decimal_at;
const std::string_view* str(const FlatJson& obj, std::string_view field) { return obj.string(field); }
std::optional<Decimal> decimal_at(const FlatJson& obj, std::string_view field) {
  auto v = obj.scalar(field);
  return v ? decimal_of(*v) : std::nullopt;
}
std::optional<int64_t> integer(const FlatJson& obj, std::string_view field) {
  auto v = obj.scalar(field);
  return v ? integer_of(*v) : std::nullopt;
}
std::optional<bool> boolean(const FlatJson& obj, std::string_view field) {
  auto v = obj.scalar(field);
  return v ? boolean_of(*v) : std::nullopt;
}
std::optional<std::string> id_text(const FlatJson& obj, std::string_view field) {
  auto v = obj.scalar(field);
  return v ? id_of(*v) : std::nullopt;
}
bool is_object(const json& j) { return j.is_object(); }
bool is_object(const FlatJson&) { return true; }

// A required decimal field.
template <typename Obj>
Result<Decimal> dec(const Obj& obj, std::string_view field, std::string_view what) {
  auto d = decimal_at(obj, field);
  if (!d) return missing(what, field);
  return *d;
}

// A required size or market rule: a negative one is as malformed as a missing one.
template <typename Obj>
Result<Decimal> size(const Obj& obj, std::string_view field, std::string_view what) {
  auto d = decimal_at(obj, field);
  if (!d || d->is_negative()) return missing(what, field);
  return *d;
}

constexpr int64_t kPerpetualDeliveryDate = 4133404800000;  // Binance's "never" for perpetuals

Result<Market> parse_market(const json& s) {
  Market m;
  auto id = str(s, "symbol");
  auto base = str(s, "baseAsset");
  auto quote = str(s, "quoteAsset");
  if (!id || !base || !quote) return missing("market", "symbol/baseAsset/quoteAsset");
  auto settle = str(s, "marginAsset");
  m.id = *id;
  m.base = *base;
  m.quote = *quote;
  m.settle = settle ? *settle : *quote;
  m.kind = MarketKind::Perpetual;
  m.symbol = unified_perpetual(m.base, m.quote, m.settle);
  auto status = str(s, "status");
  m.active = status && *status == "TRADING";
  auto filters = s.find("filters");
  if (filters == s.end() || !filters->is_array()) return missing("market " + m.id, "filters");
  if (auto* f = filter(*filters, "PRICE_FILTER")) {
    auto tick = size(*f, "tickSize", "PRICE_FILTER");
    if (!tick) return tick.error();
    m.tick_size = *tick;
  }
  if (auto* f = filter(*filters, "LOT_SIZE")) {
    auto step = size(*f, "stepSize", "LOT_SIZE");
    auto min_qty = size(*f, "minQty", "LOT_SIZE");
    if (!step) return step.error();
    if (!min_qty) return min_qty.error();
    m.step_size = *step;
    m.min_qty = *min_qty;
    if (auto max_qty = decimal_at(*f, "maxQty"); max_qty && !max_qty->is_zero()) m.max_qty = *max_qty;
  }
  if (auto* f = filter(*filters, "MIN_NOTIONAL")) {
    auto notional = size(*f, "notional", "MIN_NOTIONAL");
    if (!notional) return notional.error();
    m.min_notional = *notional;
  }
  return m;
}

bool is_perpetual(const json& s) {
  auto type = str(s, "contractType");
  if (type) return *type == "PERPETUAL";
  return integer(s, "deliveryDate") == kPerpetualDeliveryDate;
}

// USD-M order types (exchanges.md §2.9); LIQUIDATION is how the user data stream names a forced close.
// Orders the venue placed itself are told by their client id (Binance: "autoclose-" a liquidation,
// "adl_autoclose" an auto-deleveraging); whatever else is Other, named by venue_type.
OrderType order_type_of(std::string_view type, std::string_view client_order_id) {
  if (client_order_id.starts_with("autoclose-")) return OrderType::Liquidation;
  if (client_order_id.starts_with("adl_autoclose")) return OrderType::Adl;
  if (type == "LIMIT") return OrderType::Limit;
  if (type == "MARKET") return OrderType::Market;
  if (type == "STOP") return OrderType::StopLimit;
  if (type == "STOP_MARKET") return OrderType::StopMarket;
  if (type == "TAKE_PROFIT") return OrderType::TakeProfitLimit;
  if (type == "TAKE_PROFIT_MARKET") return OrderType::TakeProfitMarket;
  if (type == "TRAILING_STOP_MARKET") return OrderType::TrailingStop;
  if (type == "LIQUIDATION") return OrderType::Liquidation;
  return OrderType::Other;
}

std::optional<TimeInForce> time_in_force_of(std::string_view tif) {
  if (tif == "GTC" || tif == "GTX") return TimeInForce::Gtc;  // GTX: good till crossing, post-only
  if (tif == "IOC") return TimeInForce::Ioc;
  if (tif == "FOK") return TimeInForce::Fok;
  if (tif == "GTD") return TimeInForce::Gtd;
  return std::nullopt;
}

template <typename Obj>
std::optional<Decimal> positive(const Obj& j, std::string_view field) {
  auto d = decimal_at(j, field);
  if (!d || !d->is_positive()) return std::nullopt;
  return d;
}

// price is the limit price ("0" where there is none, as for market orders); stopPrice the trigger of
// STOP/TAKE_PROFIT(_MARKET). A trailing stop's trigger moves: stopPrice where the venue has set it, else
// its activatePrice.
template <typename Obj>
void read_prices(const Obj& j, Order& o) {
  bool market_like = o.type == OrderType::Market || o.type == OrderType::StopMarket || o.type == OrderType::TakeProfitMarket ||
                     o.type == OrderType::TrailingStop;
  if (!market_like) o.price = positive(j, "price");
  if (is_conditional(o.type)) o.trigger_price = positive(j, "stopPrice");
  if (o.type == OrderType::TrailingStop && !o.trigger_price) o.trigger_price = positive(j, "activatePrice");
}

}  // namespace

Result<int64_t> parse_server_time(const json& j) {
  auto t = integer(j, "serverTime");
  if (!t) return missing("time", "serverTime");
  return *t;
}

Result<std::vector<Market>> parse_markets(const json& j) {
  auto symbols = j.is_object() ? j.find("symbols") : j.end();
  if (!j.is_object() || symbols == j.end() || !symbols->is_array()) return missing("exchangeInfo", "symbols");
  std::vector<Market> out;
  for (auto& s : *symbols) {
    // Quarterly delivery contracts have no MarketKind of their own; the platform trades perpetuals.
    if (!is_perpetual(s)) continue;
    auto m = parse_market(s);
    if (!m) return m.error();
    out.push_back(std::move(*m));
  }
  return out;
}

Result<Ticker> parse_ticker(const json& j) {
  Ticker t;
  auto symbol = str(j, "symbol");
  if (!symbol) return missing("ticker", "symbol");
  t.symbol = *symbol;
  auto last = decimal_at(j, "lastPrice");
  if (!last) last = decimal_at(j, "price");  // ticker/price shape
  if (!last) return missing("ticker", "lastPrice");
  t.last = *last;
  t.time_ms = integer(j, "closeTime").value_or(integer(j, "time").value_or(0));
  t.bid = decimal_at(j, "bidPrice");
  t.ask = decimal_at(j, "askPrice");
  return t;
}

Result<std::vector<Candle>> parse_candles(const json& j) {
  if (!j.is_array()) return missing("klines", "rows");
  std::vector<Candle> out;
  out.reserve(j.size());
  for (auto& row : j) {
    auto open_time = row.is_array() && !row.empty() ? integer_of(row[0]) : std::nullopt;
    if (!row.is_array() || row.size() < 6 || !open_time) return missing("kline", "row");
    Candle c;
    c.open_time_ms = *open_time;
    Decimal* fields[] = {&c.open, &c.high, &c.low, &c.close, &c.volume};
    for (size_t i = 0; i < 5; ++i) {
      auto d = decimal_of(row[i + 1]);
      if (!d) return missing("kline", "price/volume");
      *fields[i] = *d;
    }
    out.push_back(c);
  }
  return out;
}

Result<Portfolio> parse_account(const json& j) {
  auto assets = j.is_object() ? j.find("assets") : j.end();
  if (!j.is_object() || assets == j.end() || !assets->is_array()) return missing("account", "assets");
  Portfolio p;
  for (auto& a : *assets) {
    auto asset = str(a, "asset");
    if (!asset) return missing("account asset", "asset");
    // total = margin balance (wallet + unrealized PnL), free = available, used = initial margin.
    auto total = dec(a, "marginBalance", "account asset");
    auto free = dec(a, "availableBalance", "account asset");
    auto used = dec(a, "initialMargin", "account asset");
    if (!total) return total.error();
    if (!free) return free.error();
    if (!used) return used.error();
    auto wallet = decimal_at(a, "walletBalance").value_or(Decimal());
    if (total->is_zero() && free->is_zero() && used->is_zero() && wallet.is_zero()) continue;  // every asset is listed
    p.balances.push_back(Balance{*asset, *total, *free, *used});
  }
  auto positions = j.find("positions");
  if (positions != j.end() && positions->is_array()) {
    for (auto& pos : *positions) {
      auto amount = dec(pos, "positionAmt", "position");
      if (!amount) return amount.error();
      if (amount->is_zero()) continue;  // v2 lists every symbol
      auto symbol = str(pos, "symbol");
      if (!symbol) return missing("position", "symbol");
      Position out;
      out.symbol = *symbol;
      out.amount = *amount;
      out.entry_price = decimal_at(pos, "entryPrice").value_or(Decimal());
      out.unrealized_pnl = decimal_at(pos, "unrealizedProfit").value_or(decimal_at(pos, "unRealizedProfit").value_or(Decimal()));
      out.leverage = decimal_at(pos, "leverage");
      if (auto side = str(pos, "positionSide")) out.position_side = parse_position_side(*side);
      p.positions.push_back(std::move(out));
    }
  }
  return p;
}

namespace {

template <typename Obj>
Result<Order> order_of(const Obj& j) {
  if (!is_object(j)) return missing("order", "object");
  Order o;
  auto id = id_text(j, "orderId");
  auto symbol = str(j, "symbol");
  auto status = str(j, "status");
  auto side = str(j, "side");
  if (!id) return missing("order", "orderId");
  if (!symbol) return missing("order", "symbol");
  if (!status || !parse_status(*status)) return missing("order", "status");
  if (!side || !parse_side_text(*side)) return missing("order", "side");
  o.id = *id;
  o.symbol = *symbol;
  o.status = *parse_status(*status);
  o.venue_status = *status;
  o.side = *parse_side_text(*side);
  if (auto c = str(j, "clientOrderId")) o.client_order_id = *c;
  // origType: what was placed (a triggered stop reports type MARKET or LIMIT).
  auto type = str(j, "origType");
  if (!type) type = str(j, "type");
  o.venue_type = type ? std::string(*type) : std::string();
  o.type = order_type_of(o.venue_type, o.client_order_id);
  auto amount = size(j, "origQty", "order");
  if (!amount) return amount.error();
  o.amount = *amount;
  o.filled = decimal_at(j, "executedQty").value_or(Decimal());
  if (o.filled.is_negative()) return missing("order", "executedQty");
  read_prices(j, o);
  if (auto avg = decimal_at(j, "avgPrice"); avg && !avg->is_zero()) o.average_price = *avg;
  auto tif = str(j, "timeInForce");
  o.post_only = tif && *tif == "GTX";
  if (tif) o.time_in_force = time_in_force_of(*tif);
  // closePosition closes the whole position and never opens one: reduce-only in effect.
  o.reduce_only = boolean(j, "reduceOnly").value_or(false) || boolean(j, "closePosition").value_or(false);
  if (auto ps = str(j, "positionSide")) o.position_side = parse_position_side(*ps);
  o.updated_ms = integer(j, "updateTime").value_or(0);
  o.created_ms = integer(j, "time").value_or(o.updated_ms);
  return o;
}

}  // namespace

Result<Order> parse_order(const json& j) { return order_of(j); }

Result<Order> parse_order_body(std::string_view body, int http_status) {
  if (auto flat = FlatJson::parse(body)) return order_of(*flat);
  auto j = parse_json_body(body, http_status);
  if (!j) return j.error();
  return order_of(*j);
}

namespace {

Result<Trade> parse_trade(const json& j) {
  Trade t;
  auto id = id_text(j, "id");
  auto order_id = id_text(j, "orderId");
  auto symbol = str(j, "symbol");
  auto side = str(j, "side");
  auto asset = str(j, "commissionAsset");
  if (!id || !order_id) return missing("trade", "id/orderId");
  if (!symbol || !side || !parse_side_text(*side)) return missing("trade", "symbol/side");
  if (!asset) return missing("trade", "commissionAsset");
  auto price = dec(j, "price", "trade");
  if (!price) return price.error();
  auto qty = dec(j, "qty", "trade");
  if (!qty) return qty.error();
  auto fee = dec(j, "commission", "trade");
  if (!fee) return fee.error();
  t.id = *id;
  t.order_id = *order_id;
  t.symbol = *symbol;
  t.side = *parse_side_text(*side);
  t.price = *price;
  t.amount = *qty;
  t.fee = *fee;
  t.fee_asset = *asset;  // USD-M settles in USDT/USDC/BNB: the venue's codes are the unified ones
  t.maker = boolean(j, "maker");
  t.time_ms = integer(j, "time").value_or(0);
  return t;
}

}  // namespace

Result<std::vector<Trade>> parse_trades(const json& j) {
  if (!j.is_array()) return missing("user trades", "array");
  std::vector<Trade> out;
  for (const json& row : j) {
    auto t = parse_trade(row);
    if (!t) return t.error();
    out.push_back(std::move(*t));
  }
  return out;
}

Result<std::vector<Order>> parse_orders(const json& j) {
  if (!j.is_array()) return missing("open orders", "array");
  std::vector<Order> out;
  for (auto& item : j) {
    auto o = parse_order(item);
    if (!o) return o.error();
    out.push_back(std::move(*o));
  }
  return out;
}

Result<KeyPermissions> parse_permissions(const json& j) {
  if (!j.is_object()) return missing("apiRestrictions", "object");
  auto reading = boolean(j, "enableReading");
  auto futures = boolean(j, "enableFutures");
  auto withdrawals = boolean(j, "enableWithdrawals");
  auto ip = boolean(j, "ipRestrict");
  if (!reading || !futures || !withdrawals || !ip)
    return missing("apiRestrictions", "enableReading/enableFutures/enableWithdrawals/ipRestrict");
  KeyPermissions k;
  k.can_read = *reading;
  // On this venue trading means futures trading: without enableFutures every fapi TRADE call fails (-2015).
  k.can_trade = *futures;
  k.can_trade_futures = *futures;
  k.can_withdraw = *withdrawals;
  k.ip_restricted = *ip;
  k.trading_expires_ms = integer(j, "tradingAuthorityExpirationTime");
  for (auto& [name, value] : j.items())
    if (value.is_boolean() && value.get<bool>() && name != "ipRestrict") k.venue_permissions.push_back(name);
  return k;
}

}  // namespace tb::venues::binance_futures

namespace tb::venues::binance_futures {

Result<PositionMode> parse_position_mode(const json& j) {
  auto dual = boolean(j, "dualSidePosition");
  if (!dual) return missing("positionSide/dual", "dualSidePosition");
  return *dual ? PositionMode::Hedge : PositionMode::OneWay;
}

Result<SymbolSettings> parse_symbol_settings(const json& j, const std::string& symbol) {
  if (!j.is_array()) return missing("positionRisk", "array");
  for (const auto& row : j) {
    auto s = str(row, "symbol");
    if (!s || *s != symbol) continue;
    auto leverage = integer(row, "leverage");
    auto margin = str(row, "marginType");
    auto type = margin ? parse_margin_type(*margin) : std::nullopt;
    if (!leverage || *leverage < 1 || *leverage > kMaxLeverage) return missing("positionRisk " + symbol, "leverage");
    if (!type) return missing("positionRisk " + symbol, "marginType");
    SymbolSettings out{symbol, static_cast<int>(*leverage), *type, std::nullopt};
    if (auto max = decimal_at(row, "maxNotionalValue"); max && max->is_positive()) out.max_notional = *max;
    return out;
  }
  return missing("positionRisk", "a row for " + symbol);
}

}  // namespace tb::venues::binance_futures
