#pragma once
// Bitfinex JSON -> core types, once, at the edge (exchanges.md §4.7–§4.9). Bitfinex sends positional
// arrays and decimals as JSON numbers; decimals are read with decimal_of, never through double math.
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/core.hpp"

namespace tb::venues::bitfinex {

using json = nlohmann::json;

// GET /v2/conf/pub:info:pair -> [[ [PAIR, [.., .., .., MIN, MAX, ...]], ... ]]
Result<std::vector<Market>> parse_markets(const json& body);
// GET /v2/ticker/{symbol} -> [BID, BID_SIZE, ASK, ASK_SIZE, CHG, CHG_REL, LAST, VOL, HIGH, LOW]
Result<Ticker> parse_ticker(const json& body, std::string_view symbol, int64_t now_ms);
// GET /v2/candles/... -> [[MTS, OPEN, CLOSE, HIGH, LOW, VOLUME], ...], returned oldest first.
Result<std::vector<Candle>> parse_candles(const json& body);
// POST /v2/auth/r/wallets -> [[TYPE, CURRENCY, BALANCE, INTEREST, AVAILABLE, ...], ...]; the
// `exchange` wallet only (spot). AVAILABLE null means "not computed": free is then taken as the total.
Result<Portfolio> parse_wallets(const json& body);
// One 32-field order array.
Result<Order> parse_order(const json& row);
// A plain array of order arrays (auth/r/orders, auth/r/orders/hist).
Result<std::vector<Order>> parse_orders(const json& body);
// A notification [MTS, TYPE, MSG_ID, null, DATA, CODE, STATUS, TEXT]; the first order in DATA (an order
// array, or an array of them). STATUS other than SUCCESS is an Error mapped from TEXT.
Result<Order> parse_order_notification(const json& body, std::string_view expected_type);
// The oc-req notification of order/cancel: an order still open in it is Canceling (the venue submitted
// the cancellation and waits for confirmation); one already finished in it keeps its status.
Result<Order> parse_cancel_notification(const json& body);
// POST /v2/auth/r/order/{SYMBOL}:{ID}/trades -> [[ID, SYMBOL, MTS, ORDER_ID, EXEC_AMOUNT, EXEC_PRICE,
// ORDER_TYPE, ORDER_PRICE, MAKER, FEE, FEE_CURRENCY, CID], ...]. The venue writes a fee charged as a
// negative number; Trade::fee is what was paid, so its sign is turned.
Result<std::vector<Trade>> parse_trades(const json& body);
// POST /v2/auth/r/permissions -> [[SCOPE, READ, WRITE], ...]
Result<KeyPermissions> parse_permissions(const json& body);

OrderStatus status_of(std::string_view venue_status);

}  // namespace tb::venues::bitfinex
