#include "venues/bitfinex/parse.hpp"

#include <algorithm>

#include "venues/bitfinex/endpoints.hpp"
#include "venues/bitfinex/errors.hpp"
#include "venues/bitfinex/symbols.hpp"
#include "venues/common/json_util.hpp"

namespace tb::venues::bitfinex {
namespace {

const json& at(const json& a, size_t i) {
  static const json null_value;
  return a.is_array() && i < a.size() ? a[i] : null_value;
}

Error bad(const std::string& what) { return bad_response(std::string(kVenueId) + ": " + what); }

std::optional<int64_t> int_at(const json& a, size_t i) {
  const json& v = at(a, i);
  if (auto n = integer_of(v)) return n;  // a JSON integer, or one a recording carries as a string
  if (v.is_number_float()) {
    // Only a double within int64's range converts (the cast of any other, or of NaN, is undefined).
    double d = v.get<double>();
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

std::string id_text(const json& v) {
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_string()) return v.get<std::string>();
  return {};
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::optional<Decimal> positive_at(const json& row, size_t i) {
  auto d = decimal_of(at(row, i));
  if (!d || !d->is_positive()) return std::nullopt;
  return d;
}

// The order types of order/submit (exchanges.md §4.8), margin and derivatives ones without "EXCHANGE ".
// FOK and IOC are limit orders with that time in force. Any other name is Other, kept in venue_type.
void read_type(const json& row, Order& o) {
  o.venue_type = at(row, 8).is_string() ? at(row, 8).get<std::string>() : std::string();
  std::string_view t = o.venue_type;
  if (starts_with(t, "EXCHANGE ")) t.remove_prefix(9);
  if (t == "LIMIT" || t == "FOK" || t == "IOC") o.type = OrderType::Limit;
  else if (t == "MARKET") o.type = OrderType::Market;
  else if (t == "STOP") o.type = OrderType::StopMarket;
  else if (t == "STOP LIMIT") o.type = OrderType::StopLimit;
  else if (t == "TRAILING STOP") o.type = OrderType::TrailingStop;
  else o.type = OrderType::Other;
  if (t == "FOK") o.time_in_force = TimeInForce::Fok;
  else if (t == "IOC") o.time_in_force = TimeInForce::Ioc;
  else if (!at(row, 10).is_null()) o.time_in_force = TimeInForce::Gtd;  // MTS_TIF: cancelled at that time
}

// PRICE [16] is the limit price of a limit order and the trigger of STOP and STOP LIMIT, whose limit is
// PRICE_AUX_LIMIT [19]; for a TRAILING STOP it is the stop as the venue has moved it.
void read_prices(const json& row, Order& o) {
  switch (o.type) {
    case OrderType::Limit: o.price = positive_at(row, 16); break;
    case OrderType::StopMarket:
    case OrderType::TrailingStop: o.trigger_price = positive_at(row, 16); break;
    case OrderType::StopLimit:
      o.trigger_price = positive_at(row, 16);
      o.price = positive_at(row, 19);
      break;
    default: break;  // market: no price; other: a price of unknown meaning is not guessed
  }
}

}  // namespace

OrderStatus status_of(std::string_view s) {
  if (starts_with(s, "ACTIVE")) return OrderStatus::New;
  if (starts_with(s, "PARTIALLY FILLED")) return OrderStatus::PartiallyFilled;
  if (starts_with(s, "EXECUTED")) return OrderStatus::Filled;
  if (starts_with(s, "RSN_")) return OrderStatus::Rejected;
  // CANCELED, CANCELED was: ..., INSUFFICIENT MARGIN was: ..., POSTONLY/IOC/FILLORKILL CANCELED.
  return OrderStatus::Canceled;
}

Result<std::vector<Market>> parse_markets(const json& body) {
  const json& pairs = at(body, 0);
  if (!pairs.is_array()) return bad("pair info is not an array");
  std::vector<Market> out;
  for (const auto& row : pairs) {
    const json& name = at(row, 0);
    const json& info = at(row, 1);
    if (!name.is_string() || !info.is_array()) return bad("malformed pair info row");
    auto parts = split_pair(name.get_ref<const std::string&>());
    if (!parts) continue;  // not a trading pair we can name
    Market m;
    m.id = "t" + name.get<std::string>();
    m.base = unified_currency(parts->base);
    m.quote = unified_currency(parts->quote);
    if (is_derivative(m.id)) {
      // BTCF0:USTF0 -> BTC/USDT:USDT
      auto strip = [](std::string c) { return c.size() > 2 && c.ends_with("F0") ? c.substr(0, c.size() - 2) : c; };
      m.base = unified_currency(strip(parts->base));
      m.quote = unified_currency(strip(parts->quote));
      m.settle = m.quote;
      m.kind = MarketKind::Perpetual;
    }
    m.symbol = unified_symbol(m.base, m.quote, m.settle);
    m.tick_size = Decimal();  // prices follow significant digits, not a tick
    m.price_significant_digits = 5;
    m.step_size = *Decimal::parse("0.00000001");
    auto min = decimal_of(at(info, 3));
    if (!min || min->is_negative()) return bad("pair " + snippet(m.id, 40) + " has no valid minimum order size");
    m.min_qty = *min;
    m.max_qty = decimal_of(at(info, 4));
    out.push_back(std::move(m));
  }
  return out;
}

Result<Ticker> parse_ticker(const json& body, std::string_view symbol, int64_t now_ms) {
  if (!body.is_array() || body.size() < 10) return bad("ticker is not a 10-field array");
  auto last = decimal_of(body[6]);
  if (!last) return bad("ticker has no last price");
  Ticker t;
  t.symbol = std::string(symbol);
  t.last = *last;
  t.bid = decimal_of(body[0]);
  t.ask = decimal_of(body[2]);
  t.time_ms = now_ms;  // the venue's ticker carries no time
  return t;
}

Result<std::vector<Candle>> parse_candles(const json& body) {
  if (!body.is_array()) return bad("candles are not an array");
  std::vector<Candle> out;
  for (const auto& row : body) {
    auto mts = int_at(row, 0);
    auto open = decimal_of(at(row, 1)), close = decimal_of(at(row, 2)), high = decimal_of(at(row, 3)), low = decimal_of(at(row, 4)),
         volume = decimal_of(at(row, 5));
    if (!mts || !open || !close || !high || !low || !volume) return bad("malformed candle row");
    out.push_back(Candle{*mts, *open, *high, *low, *close, *volume});
  }
  std::sort(out.begin(), out.end(), [](const Candle& a, const Candle& b) { return a.open_time_ms < b.open_time_ms; });
  return out;
}

Result<Portfolio> parse_wallets(const json& body) {
  if (!body.is_array()) return bad("wallets are not an array");
  Portfolio p;
  for (const auto& row : body) {
    const json& type = at(row, 0);
    const json& currency = at(row, 1);
    if (!type.is_string() || !currency.is_string()) return bad("malformed wallet row");
    if (type.get_ref<const std::string&>() != "exchange") continue;
    auto total = decimal_of(at(row, 2));
    if (!total) return bad("wallet row without a balance");
    Balance b;
    b.asset = unified_currency(currency.get_ref<const std::string&>());
    b.total = *total;
    b.free = decimal_of(at(row, 4)).value_or(*total);
    b.used = b.total - b.free;
    p.balances.push_back(std::move(b));
  }
  return p;
}

Result<Order> parse_order(const json& row) {
  if (!row.is_array() || row.size() < 18) return bad("order is not a 32-field array");
  Order o;
  o.id = id_text(row[0]);
  if (o.id.empty()) return bad("order without an id");
  o.client_order_id = id_text(row[2]);
  if (!row[3].is_string()) return bad("order without a symbol");
  o.symbol = row[3].get<std::string>();
  o.created_ms = int_at(row, 4).value_or(0);
  o.updated_ms = int_at(row, 5).value_or(0);
  auto remaining = decimal_of(row[6]);
  auto original = decimal_of(row[7]);
  if (!remaining || !original) return bad("order without amounts");
  o.side = original->is_negative() ? Side::Sell : Side::Buy;
  o.amount = original->abs();
  if (remaining->abs() > o.amount) return bad("order with more remaining than its amount");
  o.filled = o.amount - remaining->abs();
  read_type(row, o);
  int64_t flags = int_at(row, 12).value_or(0);
  o.post_only = (flags & kFlagPostOnly) != 0;
  o.reduce_only = (flags & kFlagReduceOnly) != 0;
  if (!row[13].is_string()) return bad("order without a status");
  o.venue_status = row[13].get<std::string>();
  o.status = status_of(o.venue_status);
  read_prices(row, o);
  auto avg = decimal_of(row[17]);
  if (avg && !avg->is_zero()) o.average_price = avg;
  return o;
}

Result<std::vector<Order>> parse_orders(const json& body) {
  if (!body.is_array()) return bad("orders are not an array");
  std::vector<Order> out;
  for (const auto& row : body) {
    auto o = parse_order(row);
    if (!o) return o.error();
    out.push_back(std::move(*o));
  }
  return out;
}

namespace {

Result<Trade> parse_trade(const json& row) {
  if (!row.is_array() || row.size() < 11) return bad("malformed trade row");
  Trade t;
  t.id = id_text(at(row, 0));
  t.order_id = id_text(at(row, 3));
  auto amount = decimal_of(at(row, 4));
  auto price = decimal_of(at(row, 5));
  auto fee = decimal_of(at(row, 9));
  const json& currency = at(row, 10);
  if (t.id.empty() || t.order_id.empty() || !at(row, 1).is_string()) return bad("trade row without id, order id or symbol");
  if (!amount || amount->is_zero() || !price || !fee || !currency.is_string())
    return bad("trade " + t.id + " without amount, price or fee");
  t.symbol = at(row, 1).get<std::string>();
  t.side = amount->is_negative() ? Side::Sell : Side::Buy;
  t.amount = amount->abs();
  t.price = *price;
  t.fee = -*fee;
  t.fee_asset = unified_currency(currency.get<std::string>());
  if (auto maker = int_at(row, 8)) t.maker = *maker == 1;  // 1 maker, -1 taker
  t.time_ms = int_at(row, 2).value_or(0);
  return t;
}

}  // namespace

Result<std::vector<Trade>> parse_trades(const json& body) {
  if (!body.is_array()) return bad("order trades: not an array");
  std::vector<Trade> out;
  for (const json& row : body) {
    auto t = parse_trade(row);
    if (!t) return t.error();
    out.push_back(std::move(*t));
  }
  return out;
}

Result<Order> parse_order_notification(const json& body, std::string_view expected_type) {
  if (!body.is_array() || body.size() < 8) return bad("notification is not an 8-field array");
  const json& type = body[1];
  const json& status = body[6];
  std::string text = body[7].is_string() ? body[7].get<std::string>() : std::string();
  if (!status.is_string() || status.get_ref<const std::string&>() != "SUCCESS") {
    std::string st = status.is_string() ? status.get<std::string>() : std::string("no status");
    Error e = Error::make(classify(std::nullopt, text).value_or(ErrorKind::InvalidOrder),
                          std::string(kVenueId) + " refused the request (" + st + ")");
    e.venue_code = body[5].is_null() ? st : id_text(body[5]);
    e.venue_message = text;
    return e;
  }
  if (!type.is_string() || type.get_ref<const std::string&>() != expected_type)
    return bad("notification of type " + (type.is_string() ? type.get<std::string>() : std::string("?")) + ", expected " +
               std::string(expected_type));
  const json& data = body[4];
  // Submit wraps its orders in an array; cancel sends the single order array.
  const json& row = at(data, 0).is_array() ? data[0] : data;
  return parse_order(row);
}

Result<Order> parse_cancel_notification(const json& body) {
  auto order = parse_order_notification(body, "oc-req");
  if (!order) return order;
  // SUCCESS means the venue took the cancellation ("Submitted for cancellation; waiting for confirmation"),
  // not that it is done: the echoed order is as it was before, and may still fill until a read shows it
  // canceled. venue_status stays the echoed order's ("ACTIVE").
  if (is_open(order->status)) order->status = OrderStatus::Canceling;
  return order;
}

Result<KeyPermissions> parse_permissions(const json& body) {
  if (!body.is_array()) return bad("permissions are not an array");
  KeyPermissions k;
  bool account_read = false, wallets_read = false;
  for (const auto& row : body) {
    const json& scope = at(row, 0);
    auto read = int_at(row, 1), write = int_at(row, 2);
    if (!scope.is_string() || !read || !write) return bad("malformed permission row");
    const auto& s = scope.get_ref<const std::string&>();
    if (*read) k.venue_permissions.push_back(s + ":read");
    if (*write) k.venue_permissions.push_back(s + ":write");
    if (s == "account") account_read = *read != 0;
    if (s == "wallets") wallets_read = *read != 0;
    if (s == "orders") k.can_trade = *write != 0;
    if (s == "withdraw") k.can_withdraw = *write != 0;
  }
  k.can_read = account_read && wallets_read;
  // A scope the venue did not list stays unknown (nullopt): never assume a key cannot withdraw.
  return k;
}

}  // namespace tb::venues::bitfinex
