#pragma once
// Engine state -> the JSON shapes Binance USD-M sends (exchanges.md §2.7-§2.11): decimals as strings in
// the market's precision, times as integer ms, field names and order as the venue has them.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "exsim/engine/exchange.hpp"

namespace tb::exsim::binance_futures {

using ojson = nlohmann::ordered_json;

inline constexpr int64_t kPerpetualDeliveryDate = 4133404800000;

std::string price_text(const Decimal& d, const SimMarket& m);  // in the tick's decimals
std::string qty_text(const Decimal& d, const SimMarket& m);    // in the step's decimals
std::string amount8(const Decimal& d);                         // balances: 8 decimals

ojson exchange_info(const std::vector<SimMarket>& markets, int64_t server_ms, int64_t weight_limit, int64_t orders_limit);

// How a new-order answer looks: ACK shows the order as accepted (NEW, nothing executed) whatever happened
// next; RESULT and every query show its state.
enum class OrderView { Ack, Result, Query };
ojson order_json(const SimOrder& o, const SimMarket& m, OrderView view);
// The same object written directly, byte for byte what order_json(...).dump() gives: order answers are the
// simulator's hot path, where building a json tree costs more than the signature check.
std::string order_text(const SimOrder& o, const SimMarket& m, OrderView view);

ojson ticker_24h(const SimMarket& m, const Decimal& last, const std::vector<SimCandle>& hourly, int64_t now_ms);
ojson ticker_price(const SimMarket& m, const Decimal& last, int64_t now_ms);
ojson book_ticker(const SimMarket& m, const Decimal& last, int64_t now_ms);
ojson premium_index(const SimMarket& m, const Decimal& last, int64_t now_ms);
ojson kline_row(const SimCandle& c, const SimMarket& m, int64_t timeframe_ms);

struct AccountView {
  std::map<std::string, Balance> balances;  // asset -> balance
  std::vector<SimPosition> positions;
  std::vector<SimMarket> markets;
  std::map<std::string, Decimal> prices;  // symbol -> current price, for the positions' notional
  int64_t now_ms = 0;
  FuturesConfig futures;  // position mode, leverage and margin type per symbol
};
// "LONG"/"SHORT" for a hedge-mode order, else "BOTH".
std::string_view position_side_text(const SimOrder& o);
ojson account_v2(const AccountView& a);
ojson account_v3(const AccountView& a);
ojson balance_list(const AccountView& a);  // /fapi/v2/balance and /fapi/v3/balance
ojson position_risk(const AccountView& a, const std::string& symbol, bool v3);
ojson api_restrictions(const ApiKey& key);

}  // namespace tb::exsim::binance_futures
