#pragma once
// Binance USD-M JSON -> core types, once, at the edge. Decimals are read from the venue's strings (or
// numbers) with decimal_of, never through double arithmetic. A missing or malformed field -> BadResponse.
#include <vector>

#include "core/core.hpp"
#include "venues/common/json_util.hpp"
#include "venues/futures_types.hpp"

namespace tb::venues::binance_futures {

Result<int64_t> parse_server_time(const json& j);          // {"serverTime": ms}
Result<std::vector<Market>> parse_markets(const json& j);  // exchangeInfo; perpetual contracts only
Result<Ticker> parse_ticker(const json& j);                // ticker/24hr or ticker/price
Result<std::vector<Candle>> parse_candles(const json& j);  // klines rows
Result<Portfolio> parse_account(const json& j);            // /fapi/v2/account: assets[] and positions[]
Result<Order> parse_order(const json& j);                  // the common order object
// An order answer as it came: read in place when it is a flat object (as the venue sends it), else as a
// document; the same Order either way. BadResponse when it is not JSON.
Result<Order> parse_order_body(std::string_view body, int http_status);
Result<std::vector<Order>> parse_orders(const json& j);   // openOrders
Result<std::vector<Trade>> parse_trades(const json& j);   // userTrades: commission and commissionAsset per fill
Result<KeyPermissions> parse_permissions(const json& j);  // sapi apiRestrictions
Result<PositionMode> parse_position_mode(const json& j);  // positionSide/dual: {"dualSidePosition": bool}
// /fapi/v2/positionRisk rows: the symbol's leverage and margin type (the same on each of its rows).
Result<SymbolSettings> parse_symbol_settings(const json& j, const std::string& symbol);

}  // namespace tb::venues::binance_futures
