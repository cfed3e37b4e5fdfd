#pragma once
// Symbol, asset, interval and client-order-id rules of Binance USD-M Futures.
#include <optional>
#include <string>
#include <string_view>

#include "core/core.hpp"

namespace tb::venues::binance_futures {

// Market ids are upper-case base+quote without separator ("BTCUSDT", "1000PEPEUSDT"), delivery contracts
// add "_YYMMDD". Also accepts the unified perpetual form "BTC/USDT:USDT" and turns it into the id.
std::optional<std::string> market_id(std::string_view symbol);
// Unified symbol of a perpetual: "BTC/USDT:USDT". Binance asset codes are already the unified ones.
std::string unified_perpetual(std::string_view base, std::string_view quote, std::string_view settle);
// The klines `interval` for a timeframe (Binance spells them as our Timeframe names do).
std::string_view interval(Timeframe tf);
// newClientOrderId must match ^[\.A-Z\:/a-z0-9_-]{1,36}$.
bool valid_client_order_id(std::string_view id);

std::string_view side_text(Side s);  // BUY | SELL
std::optional<Side> parse_side_text(std::string_view s);
std::optional<OrderStatus> parse_status(std::string_view s);
bool is_market_type(std::string_view venue_type);  // MARKET, STOP_MARKET, TAKE_PROFIT_MARKET, ...

}  // namespace tb::venues::binance_futures
