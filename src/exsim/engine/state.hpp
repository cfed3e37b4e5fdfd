#pragma once
// The engine's private state, shared by its .cpp files (keys, markets, prices, orders, faults, persistence).
// Every function here expects Exchange::mu_ to be held by its caller.
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "exsim/engine/exchange.hpp"

namespace tb::exsim::detail {

constexpr int64_t kMinuteMs = 60'000;
constexpr int kPriceScale = 8;                     // bars keep prices and volumes as integers of 1e-8
constexpr int64_t kHistoryMinutes = 30 * 24 * 60;  // price history made up before the start, at most
constexpr int64_t kHistoryBlock = 24 * 60;         // ... a day at a time, when candles first reach back

// One minute of a market's path, in units of 1e-8 (int64: compact, 30 days x 12 markets fit in ~20 MB).
struct Bar {
  int64_t open = 0, high = 0, low = 0, close = 0, volume = 0;
};

struct PricePath {
  SimMarket market;
  std::mt19937_64 rng;
  int regime = 1;             // 0 calm, 1 normal, 2 wild
  int64_t first_minute = 0;   // minute index (ms / 60000) of bars.front()
  int64_t origin_minute = 0;  // where the made-up history is walked back from
  int64_t blocks_back = 0;    // days of history made up so far (kHistoryMinutes / kHistoryBlock at most)
  uint64_t seed = 0;
  std::deque<Bar> bars;          // one per minute, contiguous, last = the current minute
  std::deque<Bar> replay;        // CSV bars still to play, one per minute
  std::set<size_t> open_orders;  // indices into State::orders resting on this market
  int64_t tick_units = 1;        // the price grid and quantity step in units of 1e-8
  int64_t step_units = 1;
  double start = 1;  // the start price, for the walk's pull back to it

  int64_t last_minute() const { return first_minute + static_cast<int64_t>(bars.size()) - 1; }
};

// What an open order holds back from its account, released when it ends.
struct Reservation {
  std::string asset;
  Decimal amount;
};

struct Account {
  ApiKey key;
  std::map<std::string, Balance> balances;
  std::map<std::string, SimPosition> positions;  // position_key -> position (amount may be 0)
  std::vector<size_t> orders;                    // indices into State::orders, oldest first
  std::set<size_t> open;                         // its open orders
  std::unordered_map<std::string, size_t> open_by_client_id;
  uint64_t last_nonce = 0;
  uint64_t seq = 0;       // creation order, for keys()
  FuturesConfig futures;  // perpetual venues: position mode, leverage and margin type
};

struct VenueBook {
  uint64_t next_order_id = 1'000'000;
  uint64_t next_trade_id = 7'000'000;
  std::unordered_map<uint64_t, size_t> by_id;  // order id -> index into State::orders
};

struct RateWindow {
  int64_t start = 0;
  int64_t count = 0;
};

struct State {
  uint64_t seed = 0;
  std::mt19937_64 key_rng;
  std::mt19937_64 fault_rng;
  uint64_t key_seq = 0;
  std::map<std::string, Account> accounts;  // by API key
  std::map<std::string, PricePath> paths;   // by venue + "|" + market id
  std::map<std::string, VenueBook> books;   // by venue
  std::deque<SimOrder> orders;              // deque: growing never copies old orders
  std::deque<Reservation> reservations;     // parallel to orders
  std::vector<FaultRecord> faults;
  uint64_t next_fault_id = 1;
  std::map<std::pair<std::string, int64_t>, RateWindow> rate;
};

inline std::string path_key(const std::string& venue, const std::string& id) { return venue + "|" + id; }
// Account::positions' key: the symbol for a one-way (net) position; in hedge mode the long and the short of
// a symbol are two positions, "BTCUSDT|LONG" and "BTCUSDT|SHORT".
inline std::string position_key(const std::string& symbol, std::optional<PositionSide> side) {
  if (!side || *side == PositionSide::Both) return symbol;
  return symbol + (*side == PositionSide::Long ? "|LONG" : "|SHORT");
}

// markets.cpp
// Every venue's default markets, venue by venue in the given order.
std::vector<SimMarket> default_markets(const std::vector<SimVenue>& venues);
// Price validity per the market's rule (tick, or significant digits).
bool price_fits(const SimMarket& m, const Decimal& price);
int significant_digits(const Decimal& d);

// keys.cpp: from `seeded` (reproducible runs), or from the system CSPRNG when it is nullptr.
std::string make_key(std::mt19937_64* seeded, const SimVenue& venue);
std::string make_secret(std::mt19937_64* seeded, const SimVenue& venue);

// prices.cpp
Decimal from_units8(int64_t units);
int64_t to_units8(const Decimal& d);
void set_grid(PricePath& p);
void init_path(PricePath& p, uint64_t seed, int64_t now_minute);
// Makes up history, a day at a time and the same whatever the order of requests, until it reaches
// back to from_minute or the limit.
void ensure_history(PricePath& p, int64_t from_minute);
// Starts the history anew from the path's first bar (after a load or a long pause).
void restart_history(PricePath& p);
// Generates bars up to now_minute; calls on_bar for each new bar so resting orders can fill.
template <typename F>
void advance_path(PricePath& p, int64_t now_minute, F&& on_bar);
Bar next_bar(PricePath& p, const Bar& prev);
void trim_history(PricePath& p);
int64_t floor_div(int64_t a, int64_t b);

// orders.cpp
// Perpetuals' initial margin: notional / leverage, rounded up.
Decimal margin_of(const Decimal& notional, int leverage);
Decimal position_margin(const SimPosition& p, int leverage);
Account* account_of(State& s, const std::string& key);
// The market's path brought up to now (resting orders fill on each new bar); nullptr if unknown.
PricePath* advance(State& s, const std::string& venue, const std::string& id, int64_t now_ms);
void advance_venue(State& s, const std::string& venue, int64_t now_ms);
// Fills qty of the order (all of what remains when unset) at price, with its fee, balances and position.
void apply_fill(State& s, size_t idx, const Decimal& price, bool maker, int64_t now_ms, std::optional<Decimal> qty = std::nullopt);
// A reduce-only order may only shrink the position it faces.
bool reduces(const Account& a, const SimMarket& m, Side side, std::optional<PositionSide> position_side, const Decimal& amount);
// Resting limit orders on this market whose price lies within [low, high]'s reach fill at their price.
void fill_resting(State& s, PricePath& p, const Decimal& low, const Decimal& high, int64_t now_ms);

template <typename F>
void advance_path(PricePath& p, int64_t now_minute, F&& on_bar) {
  if (p.bars.empty() || now_minute <= p.last_minute()) return;
  // After a long pause (a restored state), make up only the last history window, not every minute since.
  if (now_minute - p.last_minute() > kHistoryBlock) {
    Bar last = p.bars.back();
    p.bars.clear();
    p.bars.push_back(last);
    p.first_minute = now_minute - kHistoryBlock;
    restart_history(p);
  }
  while (p.last_minute() < now_minute) {
    p.bars.push_back(next_bar(p, p.bars.back()));
    on_bar(p.bars.back());
  }
  trim_history(p);
}

}  // namespace tb::exsim::detail

namespace tb::exsim {
// The header's opaque state is the detail one; the engine's helpers take it as detail::State&.
struct Exchange::State : detail::State {};
}  // namespace tb::exsim
