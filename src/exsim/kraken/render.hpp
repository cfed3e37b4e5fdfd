#pragma once
// The engine's state in Kraken's JSON (exchanges.md §3.7-3.9): decimals as strings padded the way Kraken
// pads them, times in unix seconds, orders keyed by txid with a descr.order text ccxt splits on spaces.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "exsim/engine/exchange.hpp"

namespace tb::exsim::kraken {

using json = nlohmann::json;

// One engine market as Kraken names it.
struct Pair {
  SimMarket market;
  std::string altname;   // XBTUSD
  std::string wsname;    // XBT/USD
  std::string base_id;   // XXBT
  std::string quote_id;  // ZUSD
  int pair_decimals = 1;
  int lot_decimals = 8;
  int cost_decimals = 5;
};

Pair pair_of(const SimMarket& m);

json asset_json(std::string_view unified);
// info: "info" (everything), "leverage", "fees" or "margin".
json asset_pair_json(const Pair& p, std::string_view info);

// "buy 1.45000000 XBTUSD @ limit 27500.0" / "sell 0.25000000 XBTUSD @ market"
// descr.order: "buy 1.25000000 XBTUSD @ limit 27500.0", "... @ stop loss 55.00000 -> limit 54.00000".
std::string order_text(Side side, const Decimal& volume, OrderType type, const std::optional<Decimal>& price,
                       const std::optional<Decimal>& trigger, const Pair& p);
// Kraken's ordertype words and the types they name.
std::optional<OrderType> kraken_order_type(std::string_view ordertype);
std::string_view ordertype_word(OrderType type);

std::string status_word(const SimOrder& o);  // open, closed, canceled, expired
// with_trades: the order's trade ids, as QueryOrders/OpenOrders add them when asked (trades=true).
json order_json(const SimOrder& o, const Pair& p, bool with_trades = false);
std::string trade_id_of(const SimOrder& o);  // the one trade a filled order made here

// Unix seconds with the fraction Kraken prints for order times.
json seconds(int64_t ms);

}  // namespace tb::exsim::kraken
