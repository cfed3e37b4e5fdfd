#pragma once
// Binance USD-M order endpoints on the engine (exchanges.md §2.9): the venue's parameter rules and
// filters checked with the venue's own codes, engine refusals rendered as the venue's errors.
#include <string>

#include "exsim/binance_futures/protocol.hpp"
#include "exsim/engine/exchange.hpp"

namespace tb::exsim::binance_futures {

// The order's type and stop price as the venue writes them ("STOP_MARKET"; "0" where it has none).
std::string_view type_text(const SimOrder& o);
std::string stop_price_text(const SimOrder& o, const SimMarket& m);

// The venue's error for an engine refusal; `cancel` picks -2011 over -2013 for an unknown order.
VenueError refusal_error(const EngineError& e, const SimMarket* market, bool cancel);

// POST /fapi/v1/order (test_only: /fapi/v1/order/test, validated and answered {} without placing).
net::HttpResponse new_order(Exchange& ex, const ApiKey& key, const Params& p, int64_t now_ms, bool test_only,
                            const std::string& generated_client_id);
net::HttpResponse cancel_order(Exchange& ex, const ApiKey& key, const Params& p);                 // DELETE /fapi/v1/order
net::HttpResponse query_order(Exchange& ex, const ApiKey& key, const Params& p, bool open_only);  // GET order / openOrder
net::HttpResponse open_orders(Exchange& ex, const ApiKey& key, const Params& p);                  // GET /fapi/v1/openOrders
net::HttpResponse all_orders(Exchange& ex, const ApiKey& key, const Params& p);                   // GET /fapi/v1/allOrders
// GET /fapi/v1/userTrades (symbol; orderId for one order's): one row per engine fill, its fee the commission.
net::HttpResponse user_trades(Exchange& ex, const ApiKey& key, const Params& p);
net::HttpResponse cancel_all(Exchange& ex, const ApiKey& key, const Params& p);  // DELETE /fapi/v1/allOpenOrders

}  // namespace tb::exsim::binance_futures
