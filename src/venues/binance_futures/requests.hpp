#pragma once
// What each Binance USD-M Futures action sends before timestamp and signature: the endpoint, its own
// parameters in wire order, its IP weight. Pure: no clock, no key. Input checks that the venue would
// otherwise reject live here, before anything is sent.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/core.hpp"
#include "venues/binance_futures/endpoints.hpp"
#include "venues/futures_settings.hpp"
#include "venues/venue.hpp"

namespace tb::venues::binance_futures {

using Params = std::vector<std::pair<std::string, std::string>>;

struct Call {
  const Endpoint* endpoint = nullptr;
  Params params;
  int weight = 0;
};

Result<std::string> symbol_param(const std::string& symbol);
Result<Call> order_call(const OrderRequest& r, const std::string& client_order_id);
Result<Call> ref_call(const Endpoint& ep, const OrderRef& ref);  // cancel or query, by order id or client order id
// userTrades of one order: Binance finds them by its own order id only (no client order id).
Result<Call> order_trades_call(const OrderRef& ref);
Result<Call> candles_call(const CandleQuery& q);
Result<Call> open_orders_call(const std::optional<std::string>& symbol);
Call ticker_call(const std::string& id);
// Account settings: symbol ids checked, leverage 1-125.
Result<Call> position_risk_call(const std::string& symbol);
Result<Call> leverage_call(const std::string& symbol, int leverage);
Result<Call> margin_type_call(const std::string& symbol, MarginType type);
// Hedge mode: the position an order acts on, from its side (a reduce-only sell closes the long).
PositionSide hedge_side(const OrderRequest& r);
Call plain_call(const Endpoint& ep);

}  // namespace tb::venues::binance_futures
