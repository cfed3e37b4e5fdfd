#include "venues/binance_futures/requests.hpp"

#include "venues/binance_futures/symbols.hpp"
#include "venues/common/params.hpp"

namespace tb::venues::binance_futures {

Result<std::string> symbol_param(const std::string& symbol) {
  auto id = market_id(symbol);
  if (!id) return invalid_argument("parameter 'symbol' must be a Binance USD-M market id such as BTCUSDT, got '" + symbol + "'");
  return *id;
}

Result<Call> order_call(const OrderRequest& r, const std::string& client_order_id) {
  auto symbol = symbol_param(r.symbol);
  if (!symbol) return symbol.error();
  if (!r.amount.is_positive()) return invalid_argument("parameter 'amount' must be greater than zero");
  if (auto placeable = placeable_type(r); !placeable) return placeable.error();
  if (!valid_client_order_id(client_order_id))
    return invalid_argument("parameter 'client_order_id' must be 1-36 characters of A-Z a-z 0-9 . : / _ -, got '" + client_order_id + "'");
  Call c{&kNewOrder, {}, kNewOrder.weight};
  auto& p = c.params;
  p = {{"symbol", *symbol}, {"side", std::string(side_text(r.side))}};
  if (r.type == OrderType::Limit) {
    if (!r.price || !r.price->is_positive())
      return invalid_argument("parameter 'price' is required for limit orders and must be greater than zero");
    p.emplace_back("type", "LIMIT");
    p.emplace_back("timeInForce", r.post_only ? "GTX" : "GTC");  // GTX = post-only
    p.emplace_back("quantity", r.amount.to_string());
    p.emplace_back("price", r.price->to_string());
  } else {
    if (r.post_only) return invalid_argument("parameter 'post_only' applies to limit orders only");
    if (r.price) return invalid_argument("parameter 'price' is not used by market orders");
    p.emplace_back("type", "MARKET");
    p.emplace_back("quantity", r.amount.to_string());
  }
  // Hedge mode names the position instead; the venue refuses reduceOnly there (the side says it).
  bool hedge = r.position_side && *r.position_side != PositionSide::Both;
  if (r.position_side) p.emplace_back("positionSide", *r.position_side == PositionSide::Long ? "LONG" : hedge ? "SHORT" : "BOTH");
  if (r.reduce_only && !hedge) p.emplace_back("reduceOnly", "true");
  p.emplace_back("newClientOrderId", client_order_id);
  if (r.type == OrderType::Market) p.emplace_back("newOrderRespType", "RESULT");  // the final fill, not just an ack
  return c;
}

Result<Call> ref_call(const Endpoint& ep, const OrderRef& ref) {
  if (ref.symbol.empty()) return invalid_argument("missing parameter 'symbol' (Binance names an order by market and id)");
  auto symbol = symbol_param(ref.symbol);
  if (!symbol) return symbol.error();
  Call c{&ep, {{"symbol", *symbol}}, ep.weight};
  if (!ref.order_id.empty()) {
    bool digits = ref.order_id.size() <= 20;
    for (char ch : ref.order_id) digits = digits && ch >= '0' && ch <= '9';
    if (!digits) return invalid_argument("parameter 'order_id' must be Binance's numeric order id, got '" + ref.order_id + "'");
    c.params.emplace_back("orderId", ref.order_id);
  } else if (!ref.client_order_id.empty()) {
    if (!valid_client_order_id(ref.client_order_id))
      return invalid_argument("parameter 'client_order_id' must be 1-36 characters of A-Z a-z 0-9 . : / _ -, got '" + ref.client_order_id +
                              "'");
    c.params.emplace_back("origClientOrderId", ref.client_order_id);
  } else {
    return invalid_argument("missing parameter 'order_id' or 'client_order_id'");
  }
  return c;
}

Result<Call> order_trades_call(const OrderRef& ref) {
  if (ref.order_id.empty()) return invalid_argument("missing parameter 'order_id' (Binance lists an order's fills by its own order id)");
  auto call = ref_call(kUserTrades, ref);
  if (call) call->params.emplace_back("limit", "1000");  // every fill of the order, not the last 500
  return call;
}

Result<Call> candles_call(const CandleQuery& q) {
  auto symbol = symbol_param(q.symbol);
  if (!symbol) return symbol.error();
  Call c{&kKlines, {{"symbol", *symbol}, {"interval", std::string(interval(q.timeframe))}}, 0};
  if (q.since_ms) c.params.emplace_back("startTime", std::to_string(*q.since_ms));
  int limit = q.limit.value_or(kKlinesDefaultLimit);
  if (limit < 1 || limit > kKlinesMaxLimit) return invalid_argument("parameter 'limit' must be between 1 and 1500 on binance_futures");
  if (q.limit) c.params.emplace_back("limit", std::to_string(limit));
  c.weight = klines_weight(limit);
  return c;
}

Result<Call> open_orders_call(const std::optional<std::string>& symbol) {
  Call c{&kOpenOrders, {}, kOpenOrdersWeightAll};
  if (symbol && !symbol->empty()) {
    auto id = symbol_param(*symbol);
    if (!id) return id.error();
    c.params.emplace_back("symbol", *id);
    c.weight = kOpenOrdersWeightOneSymbol;
  }
  return c;
}

Call ticker_call(const std::string& id) { return {&kTicker24h, {{"symbol", id}}, kTicker24h.weight}; }
Call plain_call(const Endpoint& ep) { return {&ep, {}, ep.weight}; }

Result<Call> position_risk_call(const std::string& symbol) {
  auto id = symbol_param(symbol);
  if (!id) return id.error();
  return Call{&kPositionRisk, {{"symbol", *id}}, kPositionRisk.weight};
}

Result<Call> leverage_call(const std::string& symbol, int leverage) {
  auto id = symbol_param(symbol);
  if (!id) return id.error();
  if (leverage < 1 || leverage > kMaxLeverage) return invalid_argument("parameter 'leverage' must be between 1 and 125");
  return Call{&kLeverage, {{"symbol", *id}, {"leverage", std::to_string(leverage)}}, kLeverage.weight};
}

Result<Call> margin_type_call(const std::string& symbol, MarginType type) {
  auto id = symbol_param(symbol);
  if (!id) return id.error();
  return Call{&kMarginType, {{"symbol", *id}, {"marginType", type == MarginType::Isolated ? "ISOLATED" : "CROSSED"}}, kMarginType.weight};
}

PositionSide hedge_side(const OrderRequest& r) {
  bool buy = r.side == Side::Buy;
  return buy != r.reduce_only ? PositionSide::Long : PositionSide::Short;
}
}  // namespace tb::venues::binance_futures
