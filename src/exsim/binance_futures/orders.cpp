#include "exsim/binance_futures/orders.hpp"

#include <optional>

#include "exsim/binance_futures/render.hpp"
#include "exsim/binance_futures/settings.hpp"

namespace tb::exsim::binance_futures {
namespace {

constexpr std::string_view kVenue = "binance_futures";
const Decimal kMaxPrice = Decimal::from_int(1'000'000);  // PRICE_FILTER.maxPrice as exchangeInfo publishes it

net::HttpResponse fail(const VenueError& e) { return error_response(e); }
net::HttpResponse ok(const ojson& j) { return json_ok(j.dump(-1, ' ', false, ojson::error_handler_t::replace)); }

VenueError illegal_characters(std::string_view name) {
  return {400, -1100,
          "Illegal characters found in parameter '" + std::string(name) + "'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'."};
}

int decimals(const Decimal& d) { return d.normalized().scale(); }

std::string fixed_at_least_8(const Decimal& d) { return d.scale() > 8 ? d.normalized().to_string() : d.to_fixed(8); }

std::string notional_text(const Decimal& min_notional) {
  Decimal n = min_notional.normalized();
  return n.scale() == 0 ? n.to_fixed(1) : n.to_string();  // "5.0", as the venue prints it
}

VenueError below_min_notional(const SimMarket& m) {
  return {400, -4164, "Order's notional must be no smaller than " + notional_text(m.min_notional) + " (unless you choose reduce only)."};
}

// A positive decimal parameter, or the venue's error for it.
std::optional<Decimal> decimal_param(const Params& p, std::string_view name, VenueError* e) {
  const std::string* text = p.get(name);
  if (!text || text->empty()) {
    *e = mandatory_param(name);
    return std::nullopt;
  }
  for (char c : *text)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-')) {
      *e = illegal_characters(name);
      return std::nullopt;
    }
  auto d = Decimal::parse(*text);
  if (!d) *e = illegal_characters(name);
  return d;
}

// LOT_SIZE (MARKET_LOT_SIZE has the same values here), §2.7.
std::optional<VenueError> check_quantity(const Decimal& q, const SimMarket& m) {
  if (!q.is_positive()) return VenueError{400, -4003, "Quantity less than or equal to zero."};
  if (decimals(q) > decimals(m.step)) return VenueError{400, -1111, "Precision is over the maximum defined for this asset."};
  if (q < m.min_qty) return VenueError{400, -4004, "Quantity less than min quantity."};
  if (!m.max_qty.is_zero() && q > m.max_qty) return VenueError{400, -4005, "Quantity greater than max quantity."};
  if (!m.step.is_zero() && !(q - m.min_qty).is_multiple_of(m.step)) return VenueError{400, -4023, "Qty not increased by step size."};
  return std::nullopt;
}

// PRICE_FILTER with minPrice = one tick.
std::optional<VenueError> check_price(const Decimal& price, const SimMarket& m) {
  if (!price.is_positive()) return VenueError{400, -4001, "Price less than 0."};
  if (decimals(price) > decimals(m.tick)) return VenueError{400, -1111, "Precision is over the maximum defined for this asset."};
  if (price < m.tick) return VenueError{400, -4013, "Price less than min price."};
  if (price > kMaxPrice) return VenueError{400, -4002, "Price greater than max price."};
  if (!m.tick.is_zero() && !(price - m.tick).is_multiple_of(m.tick)) return VenueError{400, -4014, "Price not increased by tick size."};
  return std::nullopt;
}

bool valid_client_order_id(std::string_view id) {
  if (id.empty() || id.size() > 36) return false;
  for (char c : id) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == ':' || c == '/' || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

// orderId wins when both are sent; nullopt + error when neither is usable.
struct OrderKey {
  uint64_t id = 0;
  std::string client_order_id;
};
std::optional<OrderKey> order_key(const Params& p, VenueError* e) {
  OrderKey k;
  if (auto* id = p.get("orderId"); id && !id->empty()) {
    auto v = parse_int(*id);
    if (!v || *v <= 0) {
      *e = illegal_characters("orderId");
      return std::nullopt;
    }
    k.id = static_cast<uint64_t>(*v);
    return k;
  }
  if (auto* cid = p.get("origClientOrderId"); cid && !cid->empty()) {
    k.client_order_id = *cid;
    return k;
  }
  *e = {400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!"};
  return std::nullopt;
}

std::optional<SimOrder> find_order(const Exchange& ex, const ApiKey& key, const OrderKey& k, const std::string& symbol) {
  auto o = ex.order(key.key, k.id, k.client_order_id);
  if (!o || o->symbol != symbol) return std::nullopt;
  return o;
}

ojson orders_array(const Exchange& ex, const std::vector<SimOrder>& orders) {
  ojson out = ojson::array();
  for (auto& o : orders) {
    auto m = ex.market(std::string(kVenue), o.symbol);
    if (m) out.push_back(order_json(o, *m, OrderView::Query));
  }
  return out;
}

// The order types the simulator trades: LIMIT and MARKET, and the conditional STOP (a stop-limit),
// STOP_MARKET, TAKE_PROFIT (a take-profit limit) and TAKE_PROFIT_MARKET; trailing stops are not simulated.
constexpr std::pair<std::string_view, OrderType> kTypes[] = {
    {"LIMIT", OrderType::Limit},
    {"MARKET", OrderType::Market},
    {"STOP", OrderType::StopLimit},
    {"STOP_MARKET", OrderType::StopMarket},
    {"TAKE_PROFIT", OrderType::TakeProfitLimit},
    {"TAKE_PROFIT_MARKET", OrderType::TakeProfitMarket},
};

std::optional<VenueError> read_order_type(const Params& p, OrderSpec& spec) {
  const std::string* type = p.get("type");
  if (!type || type->empty()) return mandatory_param("type");
  for (auto& [name, t] : kTypes)
    if (*type == name) {
      spec.type = t;
      return std::nullopt;
    }
  return VenueError{400, -1116, "Invalid orderType."};
}

// LIMIT, STOP and TAKE_PROFIT take timeInForce and price; the conditional types a stopPrice, refused
// (-2021) where it would trigger at once.
std::optional<VenueError> read_order_prices(Exchange& ex, const SimMarket& m, const Params& p, OrderSpec& spec) {
  VenueError e{};
  if (spec.type == OrderType::Limit || spec.type == OrderType::StopLimit || spec.type == OrderType::TakeProfitLimit) {
    const std::string* tif = p.get("timeInForce");
    if (!tif || tif->empty()) return mandatory_param("timeInForce");
    if (*tif == "GTX") spec.post_only = true;
    else if (*tif != "GTC") return VenueError{400, -1115, "Invalid timeInForce."};
    auto price = decimal_param(p, "price", &e);
    if (!price) return e;
    if (auto err = check_price(*price, m)) return err;
    spec.price = *price;
  } else if (p.has("price")) {
    return VenueError{400, -1106, "Parameter 'price' sent when not required."};
  }
  if (!is_conditional(spec.type)) return std::nullopt;
  auto stop = decimal_param(p, "stopPrice", &e);
  if (!stop) return e;
  if (auto err = check_price(*stop, m)) return err;
  spec.trigger_price = *stop;
  if (ex.would_trigger(std::string(kVenue), spec)) return VenueError{400, -2021, "Order would immediately trigger."};
  return std::nullopt;
}

}  // namespace

std::string_view type_text(const SimOrder& o) {
  for (auto& [name, t] : kTypes)
    if (o.type == t) return name;
  return "LIMIT";
}

std::string stop_price_text(const SimOrder& o, const SimMarket& m) { return o.trigger_price ? price_text(*o.trigger_price, m) : "0"; }

namespace {}  // namespace

VenueError refusal_error(const EngineError& e, const SimMarket* m, bool cancel) {
  switch (e.refusal) {
    case Refusal::UnknownSymbol: return invalid_symbol();
    case Refusal::InvalidQuantity: return {400, -4023, "Qty not increased by step size."};
    case Refusal::BelowMinQty: return {400, -4004, "Quantity less than min quantity."};
    case Refusal::BelowMinNotional:
      if (m) return below_min_notional(*m);
      return {400, -4164, "Order's notional must be no smaller than 5.0 (unless you choose reduce only)."};
    case Refusal::InvalidPrice: return {400, -4014, "Price not increased by tick size."};
    case Refusal::InsufficientFunds: return {400, -2019, "Margin is insufficient."};
    case Refusal::PostOnlyWouldTake:
      return {400, -5022, "Due to the order could not be executed as maker, the Post Only order will be rejected."};
    case Refusal::ReduceOnlyRejected: return {400, -2022, "ReduceOnly Order is rejected."};
    case Refusal::DuplicateClientOrderId: return {400, -4116, "clientOrderId is duplicated."};
    case Refusal::OrderNotFound:
      return cancel ? VenueError{400, -2011, "Unknown order sent."} : VenueError{400, -2013, "Order does not exist."};
  }
  return {500, -1000, "An unknown error occured while processing the request."};
}

net::HttpResponse new_order(Exchange& ex, const ApiKey& key, const Params& p, int64_t now_ms, bool test_only,
                            const std::string& generated_client_id) {
  (void)now_ms;
  VenueError e{};
  auto m = market_of(ex, p, &e);
  if (!m) return fail(e);

  OrderSpec spec;
  spec.symbol = m->id;
  const std::string* side = p.get("side");
  if (!side || side->empty()) return fail(mandatory_param("side"));
  if (*side == "BUY") spec.side = Side::Buy;
  else if (*side == "SELL") spec.side = Side::Sell;
  else return fail({400, -1117, "Invalid side."});

  if (auto err = read_order_type(p, spec)) return fail(*err);

  if (auto err = read_position_side(ex.futures_config(key.key), p, spec)) return fail(*err);

  auto qty = decimal_param(p, "quantity", &e);
  if (!qty) return fail(e);
  if (auto err = check_quantity(*qty, *m)) return fail(*err);
  spec.amount = *qty;

  if (auto err = read_order_prices(ex, *m, p, spec)) return fail(*err);

  if (auto* ro = p.get("reduceOnly")) {
    if (*ro != "true" && *ro != "false") return fail(param_not_valid("reduceOnly"));
    spec.reduce_only = *ro == "true";
  }

  if (auto* cid = p.get("newClientOrderId")) {
    if (!valid_client_order_id(*cid)) return fail({400, -4015, "Client order id is not valid."});
    spec.client_order_id = *cid;
  } else {
    spec.client_order_id = generated_client_id;
  }

  OrderView view = OrderView::Ack;
  if (auto* rt = p.get("newOrderRespType")) {
    if (*rt == "RESULT") view = OrderView::Result;
    else if (*rt != "ACK") return fail({400, -1136, "Invalid newOrderRespType."});
  }

  // MIN_NOTIONAL: a market order is valued at the current (mark) price; reduce-only orders are exempt.
  Decimal reference = spec.price ? *spec.price : ex.price(std::string(kVenue), m->id);
  if (!spec.reduce_only && spec.amount * reference < m->min_notional) return fail(below_min_notional(*m));

  if (test_only) return json_ok("{}");
  auto placed = ex.place(key.key, spec, /*reject_post_only_sync=*/true);
  if (auto* err = std::get_if<EngineError>(&placed)) return fail(refusal_error(*err, &*m, false));
  return json_ok(order_text(std::get<SimOrder>(placed), *m, view));
}

net::HttpResponse cancel_order(Exchange& ex, const ApiKey& key, const Params& p) {
  VenueError e{};
  auto m = market_of(ex, p, &e);
  if (!m) return fail(e);
  auto k = order_key(p, &e);
  if (!k) return fail(e);
  auto o = find_order(ex, key, *k, m->id);
  if (!o || o->status != SimOrderStatus::Open) return fail(refusal_error({Refusal::OrderNotFound, ""}, &*m, true));
  auto canceled = ex.cancel(key.key, o->id, "");
  if (auto* err = std::get_if<EngineError>(&canceled)) return fail(refusal_error(*err, &*m, true));
  return json_ok(order_text(std::get<SimOrder>(canceled), *m, OrderView::Result));
}

net::HttpResponse query_order(Exchange& ex, const ApiKey& key, const Params& p, bool open_only) {
  VenueError e{};
  auto m = market_of(ex, p, &e);
  if (!m) return fail(e);
  auto k = order_key(p, &e);
  if (!k) return fail(e);
  auto o = find_order(ex, key, *k, m->id);
  if (!o || (open_only && o->status != SimOrderStatus::Open)) return fail(refusal_error({Refusal::OrderNotFound, ""}, &*m, false));
  return json_ok(order_text(*o, *m, OrderView::Query));
}

net::HttpResponse open_orders(Exchange& ex, const ApiKey& key, const Params& p) {
  std::string symbol;
  if (p.has("symbol")) {
    VenueError e{};
    auto m = market_of(ex, p, &e);
    if (!m) return fail(e);
    symbol = m->id;
  }
  return ok(orders_array(ex, ex.open_orders(key.key, symbol)));
}

// `limit` for the list endpoints: 1..1000, default 500; nullopt when malformed.
static std::optional<int64_t> limit_param(const Params& p) {
  auto* l = p.get("limit");
  if (!l) return 500;
  auto v = parse_int(*l);
  if (!v || *v < 1 || *v > 1000) return std::nullopt;
  return *v;
}

net::HttpResponse all_orders(Exchange& ex, const ApiKey& key, const Params& p) {
  VenueError e{};
  auto m = market_of(ex, p, &e);
  if (!m) return fail(e);
  auto limit = limit_param(p);
  if (!limit) return fail(param_not_valid("limit"));
  uint64_t from_id = 0;
  if (auto* id = p.get("orderId")) {
    auto v = parse_int(*id);
    if (!v || *v < 0) return fail(illegal_characters("orderId"));
    from_id = static_cast<uint64_t>(*v);
  }
  std::vector<SimOrder> picked;
  for (auto& o : ex.orders(key.key))
    if (o.symbol == m->id && o.id >= from_id) picked.push_back(o);
  // From orderId onwards the first `limit`; without it the most recent `limit`.
  if (static_cast<int64_t>(picked.size()) > *limit) {
    if (from_id) picked.resize(static_cast<size_t>(*limit));
    else picked.erase(picked.begin(), picked.end() - *limit);
  }
  return ok(orders_array(ex, picked));
}

namespace {

ojson trade_row(const SimOrder& o, const SimFill& f, const SimMarket& m) {
  return {{"buyer", o.side == Side::Buy},
          {"commission", fixed_at_least_8(f.fee)},
          {"commissionAsset", m.quote},
          {"id", f.id},
          {"maker", f.maker},
          {"orderId", o.id},
          {"price", price_text(f.price, m)},
          {"qty", qty_text(f.qty, m)},
          {"quoteQty", fixed_at_least_8(f.qty * f.price)},
          {"realizedPnl", "0"},
          {"side", o.side == Side::Buy ? "BUY" : "SELL"},
          {"positionSide", position_side_text(o)},
          {"symbol", o.symbol},
          {"time", f.time_ms}};
}

}  // namespace

net::HttpResponse user_trades(Exchange& ex, const ApiKey& key, const Params& p) {
  VenueError e{};
  auto m = market_of(ex, p, &e);
  if (!m) return fail(e);
  auto limit = limit_param(p);
  if (!limit) return fail(param_not_valid("limit"));
  std::optional<uint64_t> order_id;
  if (auto* id = p.get("orderId")) {
    auto v = parse_int(*id);
    if (!v || *v <= 0) return fail(illegal_characters("orderId"));
    order_id = static_cast<uint64_t>(*v);
  }
  ojson out = ojson::array();
  for (auto& o : ex.orders(key.key)) {
    if (o.symbol != m->id || (order_id && o.id != *order_id)) continue;
    for (const SimFill& f : o.fills) out.push_back(trade_row(o, f, *m));
  }
  if (static_cast<int64_t>(out.size()) > *limit) out.erase(out.begin(), out.end() - *limit);  // the most recent
  return ok(out);
}

net::HttpResponse cancel_all(Exchange& ex, const ApiKey& key, const Params& p) {
  VenueError e{};
  auto m = market_of(ex, p, &e);
  if (!m) return fail(e);
  for (auto& o : ex.open_orders(key.key, m->id)) ex.cancel(key.key, o.id, "");
  return ok({{"code", 200}, {"msg", "The operation of cancel all open order is done."}});
}

}  // namespace tb::exsim::binance_futures
