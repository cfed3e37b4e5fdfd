#pragma once
// A strategy reacts to each closed candle (after Cryptuoso's check() and freqtrade's strategy interface):
// it declares its parameters, how many candles it needs before it can say anything, and on each closed
// candle returns what the robot should do on the next one: open or close a long or a short, at market
// (the next candle's open) or as a stop or limit alert valid for the next candle only. The same object runs
// in backtests and live; its state is JSON text saved with each candle, so a restart resumes exactly.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/types.hpp"
#include "robots/params.hpp"
#include "store/robot_store.hpp"

namespace tb::robots {

// A signal's action and order kind are the store's, as the runner stores each signal (robot_store.hpp):
// "long", "short", "close_long", "close_short"; "market", "stop", "limit".
using Action = store::SignalAction;
using OrderKind = store::SignalOrder;
using store::parse_signal_action;
using store::parse_signal_order;
using store::to_string;
inline bool buys(Action a) { return a == Action::Long || a == Action::CloseShort; }

struct Signal {
  Action action = Action::Long;
  OrderKind order = OrderKind::Market;
  Decimal price;  // stop and limit alerts: the trigger, on the market's tick; market: unused
  friend bool operator==(const Signal&, const Signal&) = default;
};

enum class Exposure { Flat, Long, Short };

// The robot's position as the candle closes (after what filled during it), told to the strategy.
struct Holding {
  Exposure side = Exposure::Flat;
  Decimal entry_price;
  int64_t bars_held = 0;  // closed candles since the entry candle (0 on the entry candle itself)
};

// What a strategy may know of its market.
struct MarketTraits {
  bool shorts = false;  // the market allows short positions (perpetual futures); spot stays flat instead
  Decimal tick;         // price increment for alert prices; zero: 8 decimals
};

class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual std::string_view id() const = 0;
  // The parameters it takes (name, type, range, default, description), as the registry lists them; empty
  // for a strategy the registry does not know (a test's own).
  const std::vector<ParamSpec>& schema() const;
  // Closed candles needed before the first signal can come (history a live robot loads first).
  virtual int warmup_bars() const = 0;
  // One closed candle, in order; appends this candle's signals (usually none) to `out`.
  virtual void step(const Candle& closed, const Holding& holding, std::vector<Signal>& out) = 0;
  // Everything the next step depends on; restore() of it into a fresh instance with the same parameters
  // continues exactly as the saved one would have.
  virtual nlohmann::json state() const = 0;
  virtual void restore(const nlohmann::json& state) = 0;  // throws (std::exception) on a state it cannot take
};

// The state as JSON text, and back; a malformed text is an InvalidArgument naming `state`.
std::string save_state(const Strategy& s);
Status restore_state(Strategy& s, std::string_view text);

// An indicator's price as an alert price on the market's tick: buy triggers rounded up, sell triggers
// down, so the alert never fires before the indicator's level.
Decimal alert_price(double level, const MarketTraits& market, bool buy);

}  // namespace tb::robots
