#pragma once
// The venue's JSON shapes (exchanges.md §4.7-§4.9), written from engine values: order arrays, request
// notifications, wallets, key permissions, tickers, candles and the conf lists ccxt loads markets from.
#include <string>
#include <string_view>
#include <vector>

#include "exsim/engine/exchange.hpp"

namespace tb::exsim::bitfinex {

// "ACTIVE", "EXECUTED @ 107.6(-0.2)", "PARTIALLY FILLED @ ...", "CANCELED", "POSTONLY CANCELED", ...
std::string order_status_text(const SimOrder& o);
// The client order id the venue shows: the one sent, else the creation time (the venue's default).
int64_t shown_cid(const SimOrder& o);
// The 32-field order array. `status_override` replaces ORDER_STATUS (a cancel echoes the order as it was).
void append_order(std::string& out, const SimOrder& o, std::string_view status_override = {});
std::string orders_array(const std::vector<SimOrder>& orders);
// [MTS, TYPE, null, null, DATA, null, "SUCCESS", TEXT]; DATA is written by the caller into `data`.
std::string notification(int64_t mts, std::string_view type, const std::string& data, std::string_view text);

// auth/r/order/{SYMBOL}:{ID}/trades: one row per fill, [ID, SYMBOL, MTS, ORDER_ID, EXEC_AMOUNT (signed),
// EXEC_PRICE, ORDER_TYPE, ORDER_PRICE, MAKER (1, or -1 for a taker), FEE (charged: negative),
// FEE_CURRENCY, CID]. The engine charges every fee in the quote currency.
std::string order_trades(const SimOrder& o, const SimMarket& m);

std::string wallets(const std::map<std::string, Balance>& balances);
std::string permissions(const KeyPermissions& p);

struct TickerFields {
  Decimal bid, bid_size, ask, ask_size, change, change_relative, last, volume, high, low;
};
TickerFields ticker_fields(Exchange& ex, const SimMarket& m);
void append_ticker(std::string& out, const TickerFields& t);

// [MTS, OPEN, CLOSE, HIGH, LOW, VOLUME] rows.
std::string candle_rows(const std::vector<SimCandle>& candles);

// One element of a /v2/conf answer; "null" for keys the simulator does not know.
std::string conf_element(std::string_view key, const std::vector<SimMarket>& markets);

}  // namespace tb::exsim::bitfinex
