#pragma once
// Kraken JSON -> core types, once, at the edge (exchanges.md §3.7-§3.9). Each function takes the
// envelope's `result` and answers BadResponse naming the field when the shape is not the documented one.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/core.hpp"
#include "venues/kraken/symbols.hpp"

namespace tb::venues::kraken {

using json = nlohmann::json;

Result<int64_t> parse_server_time(const json& result);  // Time: unixtime (s) -> ms
// Assets: asset id -> unified code, from each asset's altname ("XXBT" -> altname "XBT" -> "BTC").
std::map<std::string, std::string> parse_asset_codes(const json& result);
// AssetPairs (+ the Assets codes, may be empty): one Market per pair with its trading rules.
Result<std::vector<Market>> parse_markets(const json& result, const std::map<std::string, std::string>& asset_codes);
// Ticker: last = c[0]; `pair_id` is the key the entry came under.
Result<Ticker> parse_ticker(const json& entry, const std::string& pair_id);
// OHLC rows [time s, open, high, low, close, vwap, volume, count].
Result<std::vector<Candle>> parse_candles(const json& rows);
// BalanceEx: total = balance, used = hold_trade, free = total - used. Read-only views (.S, .F, ...) are
// folded into their asset, all of it used: they cannot be traded.
Result<Portfolio> parse_balances(const json& result);
// One order object of QueryOrders/OpenOrders/ClosedOrders.
Result<Order> parse_order(const std::string& txid, const json& obj);
// A txid-keyed object of orders (result.open, result.closed, QueryOrders' result), newest first.
Result<std::vector<Order>> parse_orders(const json& by_txid);
// AddOrder: txid[0] (and descr.order as the venue's words); the rest comes from what we asked.
Result<Order> parse_add_order(const json& result, const OrderRequest& request, int64_t now_ms);
// CancelOrder: {count, pending}. count 0 is OrderNotFound; pending means the venue took the cancel but has
// not carried it out: Canceling, until a read shows the order canceled (or filled).
Result<Order> parse_cancel(const json& result, const OrderRef& ref, int64_t now_ms);
// GetApiKeyInfo: permission codes, ipAllowlist, validUntil.
Result<KeyPermissions> parse_key_info(const json& result);

}  // namespace tb::venues::kraken
