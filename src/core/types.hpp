#pragma once
// The venue-neutral trading vocabulary: what a venue's JSON is parsed into, once, at the edge.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/decimal.hpp"
#include "core/error.hpp"

namespace tb {

enum class Side { Buy, Sell };
// What an order does when it meets the market. The conditional types rest until their trigger price is
// reached, then act as a market (…Market, TrailingStop) or limit (…Limit) order. Liquidation and Adl are
// orders the venue placed itself to close a position. Other is a type the connector cannot classify: the
// venue's name (Order::venue_type) says what it is; it is never reported as a type it is not.
enum class OrderType {
  Limit,
  Market,
  StopMarket,
  StopLimit,
  TakeProfitMarket,
  TakeProfitLimit,
  TrailingStop,
  TrailingStopLimit,
  Liquidation,
  Adl,
  Other
};
// Canceling: the venue took a cancel but has not confirmed it ("submitted for cancellation", a pending
// cancel): the order may still fill until a read shows it canceled or filled.
enum class OrderStatus { New, PartiallyFilled, Filled, Canceled, Rejected, Expired, Canceling };
enum class TimeInForce { Gtc, Ioc, Fok, Gtd };
// Futures in hedge mode keep a long and a short position per symbol; orders name which one they act on.
// Both is one-way mode (one signed position).
enum class PositionSide { Both, Long, Short };
enum class MarketKind { Spot, Perpetual };

std::string_view to_string(Side);
std::string_view to_string(OrderType);
std::string_view to_string(OrderStatus);
std::string_view to_string(TimeInForce);                            // "gtc", "ioc", "fok", "gtd"
std::string_view to_string(PositionSide);                           // "both", "long", "short"
std::optional<PositionSide> parse_position_side(std::string_view);  // the same words (any case)
std::string_view to_string(MarketKind);
std::optional<Side> parse_side(std::string_view);             // "buy" | "sell" (any case)
std::optional<OrderType> parse_order_type(std::string_view);  // to_string's words: "limit", "stop_limit", ... (any case)
// On the book: it may still fill (a Canceling order too, until the venue confirms the cancel).
inline bool is_open(OrderStatus s) { return s == OrderStatus::New || s == OrderStatus::PartiallyFilled || s == OrderStatus::Canceling; }
// A type that rests until a trigger price is reached.
bool is_conditional(OrderType);

// Candle widths every venue here offers. Venue-specific spellings live in each venue's folder.
enum class Timeframe { M1, M5, M15, M30, H1, H4, D1, W1 };
std::string_view to_string(Timeframe);  // "1m", "5m", ..., "1d", "1w"
std::optional<Timeframe> parse_timeframe(std::string_view);
int64_t timeframe_ms(Timeframe);

// A market's trading rules. Prices must be multiples of tick_size, quantities of step_size (zero means
// the venue sets no such rule); an order needs quantity >= min_qty and price * quantity >= min_notional.
struct Market {
  std::string id;       // the venue's own id: "BTCUSDT", "XXBTZUSD", "tBTCUSD"
  std::string altname;  // another name the venue accepts ("XBTUSD"), or empty
  std::string symbol;   // unified: "BTC/USDT:USDT" (perpetual), "BTC/USD" (spot)
  std::string base;     // unified asset codes: "BTC", "USD", "USDT"
  std::string quote;
  std::string settle;  // perpetuals only
  MarketKind kind = MarketKind::Spot;
  bool active = true;
  Decimal tick_size;
  Decimal step_size;
  Decimal min_qty;
  std::optional<Decimal> max_qty;
  Decimal min_notional;
  // Venues that round price to significant digits rather than a tick (5, say).
  int price_significant_digits = 0;
};

struct Ticker {
  std::string symbol;  // venue id
  Decimal last;
  std::optional<Decimal> bid;
  std::optional<Decimal> ask;
  int64_t time_ms = 0;
};

struct Candle {
  int64_t open_time_ms = 0;
  Decimal open, high, low, close, volume;
};

struct Balance {
  std::string asset;  // unified code ("BTC", "USDT")
  Decimal total;
  Decimal free;
  Decimal used;
};

struct Position {
  std::string symbol;  // venue id
  Decimal amount;      // signed: > 0 long, < 0 short
  Decimal entry_price;
  Decimal unrealized_pnl;
  std::optional<Decimal> leverage;
  std::optional<PositionSide> position_side;  // futures venues that say (hedge mode: Long or Short)
};

struct Portfolio {
  std::vector<Balance> balances;
  std::vector<Position> positions;  // futures venues only
};

struct OrderRequest {
  std::string symbol;  // venue id
  Side side = Side::Buy;
  OrderType type = OrderType::Limit;
  Decimal amount;                // base quantity, already a multiple of the market's step
  std::optional<Decimal> price;  // limit orders; already a multiple of the tick
  bool post_only = false;
  bool reduce_only = false;                   // futures only
  std::string client_order_id;                // ours; each venue says what it accepts
  std::optional<PositionSide> position_side;  // futures in hedge mode: the position the order acts on
};

// Names one order: by the venue's id or by our client order id.
struct OrderRef {
  std::string symbol;  // some venues name an order by market and id
  std::string order_id;
  std::string client_order_id;
};

struct Order {
  std::string id;
  std::string client_order_id;
  std::string symbol;
  Side side = Side::Buy;
  OrderType type = OrderType::Limit;
  OrderStatus status = OrderStatus::New;
  std::optional<Decimal> price;              // the limit price: limit types only (for a filled market order, none)
  std::optional<Decimal> trigger_price;      // conditional types: the price that releases the order
  std::optional<TimeInForce> time_in_force;  // where the venue says
  Decimal amount;
  Decimal filled;
  std::optional<Decimal> average_price;
  bool post_only = false;
  bool reduce_only = false;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  std::string venue_status;                   // the venue's own words ("NEW", "POSTONLY CANCELED")
  std::string venue_type;                     // the venue's own type name ("STOP_MARKET", "stop-loss-limit", "EXCHANGE STOP")
  std::optional<PositionSide> position_side;  // futures venues that say
  // What the venue charged for the order's fills so far, where its order answer says (an order's `fee`);
  // a rebate is negative. Venues whose order answers carry no fee leave it unset: their fills
  // (Venue::order_trades) carry it. fee_asset is the unified code the fee is in where the venue names it,
  // else empty (the connector's header says what its venue charges it in then).
  std::optional<Decimal> fee;
  std::string fee_asset;
};

// One fill of an order, as the venue lists it (a venue's user trades or order trades).
struct Trade {
  std::string id;
  std::string order_id;
  std::string symbol;  // venue id
  Side side = Side::Buy;
  Decimal price;
  Decimal amount;             // base quantity, positive
  Decimal fee;                // what the venue charged; a rebate is negative
  std::string fee_asset;      // unified code ("USDT", "BTC")
  std::optional<bool> maker;  // where the venue says
  int64_t time_ms = 0;
};
// The fees of an order's fills, when they are all in one asset; nullopt for none or mixed assets.
struct FeeTotal {
  Decimal amount;
  std::string asset;
};
std::optional<FeeTotal> total_fee(const std::vector<Trade>& trades);

// What a key may do, where the venue tells. nullopt means the venue does not say.
struct KeyPermissions {
  std::optional<bool> can_read;
  std::optional<bool> can_trade;
  std::optional<bool> can_trade_futures;
  std::optional<bool> can_withdraw;
  std::optional<bool> ip_restricted;
  std::vector<std::string> ip_whitelist;
  std::optional<int64_t> trading_expires_ms;   // venues that expire it: when an unrestricted key loses trading
  std::vector<std::string> venue_permissions;  // the venue's own names, as reported
};

// JSON for the CLI and the API: decimals as strings, enums as lower-case words.
void to_json(nlohmann::json&, const Market&);
void to_json(nlohmann::json&, const Ticker&);
void to_json(nlohmann::json&, const Candle&);
void to_json(nlohmann::json&, const Balance&);
void to_json(nlohmann::json&, const Position&);
void to_json(nlohmann::json&, const Portfolio&);
void to_json(nlohmann::json&, const Order&);
void to_json(nlohmann::json&, const Trade&);
void to_json(nlohmann::json&, const KeyPermissions&);
void to_json(nlohmann::json&, const Error&);

}  // namespace tb
