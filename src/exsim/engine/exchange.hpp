#pragma once
// The simulator's venue-neutral core: API keys with permissions and IP whitelists, accounts with balances,
// markets with rules, prices that move, orders that rest and fill, futures positions, injected faults, and
// rate-limit counters. Each venue folder (exsim/<venue>) speaks its venue's protocol on top of this, owns
// every venue-specific word (names, codes, formats) and hands the engine its facts (sim_venue.hpp).
//
// Thread-safe: every public member locks one mutex. Times come from the injected Clock.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "core/core.hpp"
#include "exsim/engine/sim_venue.hpp"

namespace tb::exsim {

// Venue ids are the connectors' ids.
struct KeyPermissions {
  bool read = true;
  bool trade = false;
  bool futures = false;  // where the venue has a separate futures right (SimVenue::futures_right)
  bool withdraw = false;
};

struct ApiKey {
  std::string venue;
  std::string key;     // in the venue's real format (SimVenue::key_text, key_length)
  std::string secret;  // likewise (SimVenue::secret_text, secret_length)
  std::string label;
  KeyPermissions permissions;
  std::vector<std::string> ip_whitelist;  // empty: any IP
  int64_t created_ms = 0;
};

struct NewKey {
  std::string venue;
  std::string label;
  KeyPermissions permissions;
  std::vector<std::string> ip_whitelist;
  std::map<std::string, Decimal> balances;  // asset (the venue's unified code: USDT, USD, BTC) -> amount
  // Empty: a fresh secret. Else this one (a test's recognisable canary); it must be in the venue's format.
  std::string secret;
};

// Whether `secret` is in the venue's secret format; the second form looks the venue up among the registry's.
bool is_secret_format(const SimVenue& venue, std::string_view secret);
bool is_secret_format(const std::string& venue, std::string_view secret);

enum class SimOrderStatus { Open, Filled, Canceled, Rejected, Expired };
std::string_view to_string(SimOrderStatus);  // "open", "filled", ...
std::optional<SimOrderStatus> parse_sim_order_status(std::string_view);

// One fill of an order: what the venues that list an order's trades show. The engine fills at one price per fill; the fee is in the
// market's quote asset.
struct SimFill {
  uint64_t id = 0;  // unique per venue, increasing
  Decimal price;
  Decimal qty;
  Decimal fee;
  bool maker = false;
  int64_t time_ms = 0;
};

struct SimOrder {
  uint64_t id = 0;  // unique per venue, increasing
  std::string venue;
  std::string key;     // the API key that placed it
  std::string symbol;  // venue id
  std::string client_order_id;
  Side side = Side::Buy;
  OrderType type = OrderType::Limit;
  std::optional<Decimal> price;          // limit price
  std::optional<Decimal> trigger_price;  // stops and take-profits: the price that releases it
  bool triggered = false;                // ... once released (a stop-limit then rests at its price)
  Decimal amount;
  Decimal filled;
  Decimal average_price;       // 0 while unfilled
  Decimal fee;                 // in quote: the sum of the fills' fees
  std::vector<SimFill> fills;  // oldest first
  bool post_only = false;
  bool reduce_only = false;
  std::optional<PositionSide> position_side;  // hedge-mode futures: the position it acts on
  SimOrderStatus status = SimOrderStatus::Open;
  std::string reason;  // why closed: "canceled", "post_only", "filled", ...
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

struct OrderSpec {
  std::string symbol;
  Side side = Side::Buy;
  OrderType type = OrderType::Limit;
  std::optional<Decimal> price;          // limit types: Limit, StopLimit, TakeProfitLimit
  std::optional<Decimal> trigger_price;  // StopMarket, StopLimit, TakeProfitMarket, TakeProfitLimit
  Decimal amount;
  bool post_only = false;
  bool reduce_only = false;
  std::string client_order_id;
  std::optional<PositionSide> position_side;  // hedge mode: the position it acts on (Long or Short)
};

// A futures account's settings: the position mode, and per symbol the leverage (initial margin =
// notional / leverage) and margin type. In hedge mode a symbol has a long and a short position, kept
// apart; an order names the one it acts on (OrderSpec::position_side), and one that closes it is
// reduce-only (the venue folder says which do).
inline constexpr int kDefaultLeverage = 10;
inline constexpr int kMaxLeverage = 125;
struct FuturesConfig {
  bool hedge_mode = false;
  std::map<std::string, int> leverage;  // symbol -> leverage; absent: kDefaultLeverage
  std::set<std::string> isolated;       // symbols on isolated margin; the others cross
  int leverage_of(const std::string& symbol) const {
    auto it = leverage.find(symbol);
    return it == leverage.end() ? kDefaultLeverage : it->second;
  }
};

// Why the engine refused something; each venue renders these as its own codes and texts.
enum class Refusal {
  UnknownSymbol,
  InvalidQuantity,  // not a multiple of step, <= 0, or > max
  BelowMinQty,
  BelowMinNotional,
  InvalidPrice,  // not a multiple of the tick / too many significant digits / <= 0
  InsufficientFunds,
  PostOnlyWouldTake,  // returned only when the venue rejects synchronously; see place()
  ReduceOnlyRejected,
  DuplicateClientOrderId,
  OrderNotFound,
};

struct EngineError {
  Refusal refusal;
  std::string detail;  // plain words for logs and the venue's text where it carries one
};

template <typename T>
using EngineResult = std::variant<T, EngineError>;  // index 0 = value

struct Balance {
  Decimal total;
  Decimal reserved;  // held by open orders (spot) or initial margin (futures)
  Decimal free() const { return total - reserved; }
};

struct SimPosition {
  std::string symbol;
  PositionSide side = PositionSide::Both;  // hedge mode: Long (amount >= 0) or Short (amount <= 0)
  Decimal amount;                          // signed
  Decimal entry_price;
  Decimal unrealized_pnl;  // at the current price
};

struct SimCandle {
  int64_t open_time_ms = 0;
  Decimal open, high, low, close, volume;
};

// A fault to inject: on the next `count` requests (or each with `probability`) of venue+endpoint.
// endpoint "*" matches every endpoint of the venue; the venue folder names its endpoints (e.g. "order",
// "AddOrder", "auth/w/order/submit"), usually the last path segments.
struct Fault {
  std::string venue;
  std::string endpoint;
  // latency:MS (held, then handled), answer_latency:MS (handled, the answer held), http_500,
  // http_502_html, rate_limit, timeout, reset, bad_json, maintenance
  std::string kind;
  int count = 0;                   // > 0: applies to that many requests
  double probability = 0;          // > 0 (and count == 0): applies to each request with this chance
  std::optional<int64_t> hold_ms;  // timeout only: how long the request is held; unset: the server's default
};

// A fault as the engine keeps it: spent count faults stay listed (the most recent ones) so a test can
// still read how often its fault fired after the last count was used.
struct FaultRecord {
  uint64_t id = 0;  // 1, 2, ... in the order faults were added
  Fault fault;
  int remaining = 0;  // count faults: requests still to hit (0: spent); probability faults: 0
  int64_t fired = 0;  // requests this fault was applied to
  bool active() const { return fault.count == 0 || remaining > 0; }
};

class Exchange {
 public:
  // Builds each venue's default markets (with realistic rules) and their price paths: a seeded random walk
  // with volatility regimes, one point per minute of clock time.
  // With a seed, everything random is reproducible: prices, API keys, which probability faults fire.
  // Without one (nullopt), keys and secrets come from the system CSPRNG, so two simulators never hand out
  // the same pair, fault draws from a random seed, and the price paths are those of seed 1.
  Exchange(const Clock& clock, std::optional<uint64_t> seed, std::vector<SimVenue> venues);
  // The registry's venues (exsim/venues.hpp; defined there).
  Exchange(const Clock& clock, std::optional<uint64_t> seed);
  ~Exchange();

  const std::vector<SimVenue>& venues() const { return venues_; }
  const SimVenue* venue(const std::string& id) const;  // nullptr for an unknown id

  // Keys --------------------------------------------------------------------------------------------
  Result<ApiKey> create_key(const NewKey& spec);  // InvalidArgument for an unknown venue, bad balance or secret
  std::vector<ApiKey> keys() const;               // every venue
  bool delete_key(const std::string& key);        // and its account
  std::optional<ApiKey> find_key(const std::string& venue, const std::string& key) const;

  // Account -----------------------------------------------------------------------------------------
  std::map<std::string, Balance> balances(const std::string& key) const;  // asset -> balance
  void set_balance(const std::string& key, const std::string& asset, const Decimal& total);
  std::vector<SimPosition> positions(const std::string& key) const;  // perpetuals, non-zero only; hedge mode: per side
  FuturesConfig futures_config(const std::string& key) const;        // defaults for an unknown key
  // The margin an open position holds follows a new leverage at once. InvalidArgument: unknown key or
  // symbol, leverage outside 1-125.
  Status set_leverage(const std::string& key, const std::string& symbol, int leverage);
  Status set_isolated(const std::string& key, const std::string& symbol, bool isolated);
  Status set_hedge_mode(const std::string& key, bool hedge);

  // Markets and prices --------------------------------------------------------------------------------
  std::vector<SimMarket> markets(const std::string& venue) const;
  std::optional<SimMarket> market(const std::string& venue, const std::string& id) const;
  Decimal price(const std::string& venue, const std::string& id);  // current, advancing the path to now
  // Candles of `timeframe_ms` from the price path; the last may still be open. since_ms: first open time
  // >= since (else the most recent `limit`).
  std::vector<SimCandle> candles(const std::string& venue, const std::string& id, int64_t timeframe_ms, std::optional<int64_t> since_ms,
                                 int limit);
  // Sets the price now (tests steer it); resting limit orders that cross fill at their limit price.
  Status set_price(const std::string& venue, const std::string& id, const Decimal& price);
  // Replays candles (CSV: open_time_ms,open,high,low,close,volume) as the market's path from now on.
  Status load_candles_csv(const std::string& venue, const std::string& id, const std::string& csv_text);

  // Orders ------------------------------------------------------------------------------------------
  // Validates against the market's rules and the account (funds, permissions are the venue's business),
  // then: market orders fill at once at the current price with the taker fee; limit orders that cross
  // fill at once (taker) unless post_only; post_only that would take: if reject_post_only_sync, refused
  // with PostOnlyWouldTake, else accepted and immediately Canceled with reason "post_only" (as the venue
  // does); resting limit orders reserve funds and fill (maker fee) when the price crosses.
  // Stops and take-profits rest untriggered, holding no funds, until the price reaches their trigger (a
  // stop against the order's direction, a take-profit in its favour; at once if it already has), then act
  // as their type says: the market ones fill at the trigger price, the limit ones rest at their price.
  EngineResult<SimOrder> place(const std::string& key, const OrderSpec& spec, bool reject_post_only_sync);
  // Whether a conditional order with these terms would trigger at the current price (venues that refuse it).
  bool would_trigger(const std::string& venue, const OrderSpec& spec);
  // By venue id or client order id (exactly one non-empty). OrderNotFound when unknown or already final.
  EngineResult<SimOrder> cancel(const std::string& key, uint64_t id, const std::string& client_order_id);
  std::optional<SimOrder> order(const std::string& key, uint64_t id, const std::string& client_order_id) const;
  std::vector<SimOrder> open_orders(const std::string& key, const std::string& symbol = {}) const;
  std::vector<SimOrder> orders(const std::string& key) const;  // every order the key placed, oldest first
  // Fills `qty` of a resting order now at its limit price, as a maker (a test's partial fill on demand),
  // with the balances, position and fee of a real fill; the rest keeps resting (all of it filled: Filled).
  // The order by venue id or client order id (exactly one; a client id names the venue's only open order
  // with it, or the one of `key` when given). InvalidArgument names the field: unknown order, not open,
  // a conditional order not yet triggered, qty not positive, off the step or above the rest; Conflict when
  // a reduce-only order would not reduce the position.
  Result<SimOrder> fill_part(const std::string& venue, uint64_t id, const std::string& client_order_id, const std::string& key,
                             const Decimal& qty);

  // Faults ------------------------------------------------------------------------------------------
  // Its id; 0 (and nothing kept) for a fault that can never fire.
  uint64_t add_fault(const Fault& f);
  void clear_faults();
  std::vector<FaultRecord> faults() const;  // in the order they were added
  // The fault to apply to this request, if any: counts it as fired and consumes one count. The first
  // matching fault that fires wins, so two one-shot faults on one endpoint hit two successive requests.
  std::optional<Fault> fire_fault(const std::string& venue, const std::string& endpoint);
  // fire_fault's kind alone, for callers that need no parameters.
  std::optional<std::string> take_fault(const std::string& venue, const std::string& endpoint);

  // Rate limits: a fixed window counter per (bucket, window). Returns the count after adding `cost`.
  int64_t count_request(const std::string& bucket, int64_t window_ms, int64_t cost);

  // Replay protection state per key (venues that sign with nonces): true and remembered if nonce > last.
  bool accept_nonce(const std::string& key, uint64_t nonce);

  // Persistence: keys, accounts, orders, positions, nonces, prices (JSON). load() replaces the state.
  Status save(const std::string& path) const;
  Status load(const std::string& path);

  const Clock& clock() const { return clock_; }

 private:
  struct State;
  const Clock& clock_;
  const bool keys_from_csprng_;  // no seed: see the constructor
  const std::vector<SimVenue> venues_;
  std::unique_ptr<State> state_;
  mutable std::mutex mu_;
};

}  // namespace tb::exsim
