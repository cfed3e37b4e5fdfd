#pragma once
// The robots' aggregate: the catalogue of robots (a strategy with parameters on one venue, market and
// timeframe), the candles they read, and what the runner keeps per robot: the strategy's state after the
// last closed candle and the signals it emitted. A candle's state and its signals are written in one
// transaction (Store::with_transaction), and a signal's (robot, seq) is unique, so a signal is stored
// exactly once across restarts.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/types.hpp"

namespace tb::store {

enum class RobotStatus { Active, Paused };
std::string_view to_string(RobotStatus s);  // "active", "paused"
std::optional<RobotStatus> parse_robot_status(std::string_view text);

struct Robot {
  int64_t id = 0;
  std::string name;         // unique, as the operator or the seed named it
  std::string strategy;     // the strategy's id ("ma_cross")
  std::string params_json;  // the strategy's parameters, checked against its schema before they are stored
  std::string venue;        // venue id
  std::string symbol;       // the venue's market id
  Timeframe timeframe = Timeframe::H1;
  RobotStatus status = RobotStatus::Active;
  int64_t starts_ms = 0;  // its signals start here; candles before only warm it up (0 when created: now)
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  // A signal robot ("signal") takes its signals from outside rather than from a strategy: it is its
  // owner's alone, and a signal must bring the token whose hash is kept here.
  std::string kind = "strategy";
  std::optional<int64_t> owner_id;
  std::string signal_token_hash;
};

// Close: whatever position is held (a signal robot's "close", which knows no follower's side).
enum class SignalAction { Long, Short, CloseLong, CloseShort, Close };
std::string_view to_string(SignalAction a);  // "long", "short", "close_long", "close_short", "close"
std::optional<SignalAction> parse_signal_action(std::string_view text);

enum class SignalOrder { Market, Stop, Limit };
std::string_view to_string(SignalOrder o);  // "market", "stop", "limit"
std::optional<SignalOrder> parse_signal_order(std::string_view text);

struct RobotSignal {
  int64_t robot_id = 0;
  int64_t seq = 0;  // 1, 2, ... per robot, with no gap
  SignalAction action = SignalAction::Long;
  SignalOrder order = SignalOrder::Market;
  std::optional<Decimal> price;  // the stop or limit price; for a market order, the price it was emitted at
  int64_t candle_ms = 0;         // open time of the candle whose close (or range, for an alert) emitted it
  int64_t created_ms = 0;        // from the clock
};

// The strategy's state after the last candle the runner processed, as the strategy serialises it.
struct RobotState {
  int64_t robot_id = 0;
  int64_t last_candle_ms = 0;  // open time of that candle
  std::string state_json;
  int64_t updated_ms = 0;  // from the clock
};

class RobotStore {
 public:
  virtual ~RobotStore() = default;

  // robots: InvalidArgument "name: ..." for a name already taken.
  virtual Result<Robot> create_robot(const Robot& robot) = 0;
  virtual Result<std::optional<Robot>> find_robot(int64_t id) = 0;
  virtual Result<std::optional<Robot>> find_robot_by_name(std::string_view name) = 0;
  virtual Result<std::vector<Robot>> list_robots() = 0;  // by id
  virtual Status set_robot_status(int64_t id, RobotStatus status) = 0;
  // With its state and signals.
  virtual Status delete_robot(int64_t id) = 0;
  // True the first time it is asked in this database, false ever after: the catalogue is seeded once, and
  // robots the operator removed stay removed.
  virtual Result<bool> claim_catalogue_seed() = 0;

  // candles per venue, market and timeframe; saving one that is stored replaces it (a candle re-read
  // after it closed).
  virtual Status save_candles(std::string_view venue, std::string_view symbol, Timeframe tf, const std::vector<Candle>& candles) = 0;
  // Open times in [from_ms, to_ms), oldest first.
  virtual Result<std::vector<Candle>> candles(std::string_view venue, std::string_view symbol, Timeframe tf, int64_t from_ms,
                                              int64_t to_ms) = 0;
  virtual Result<std::optional<int64_t>> last_candle_ms(std::string_view venue, std::string_view symbol, Timeframe tf) = 0;

  // runner state and signals
  virtual Result<std::optional<RobotState>> robot_state(int64_t robot_id) = 0;
  virtual Status save_robot_state(const RobotState& state) = 0;  // inserts or replaces
  // InvalidArgument "seq: ..." when the robot has that signal already or seq leaves a gap.
  virtual Status append_signal(const RobotSignal& signal) = 0;
  // Signals with seq > after_seq, oldest first, at most limit.
  virtual Result<std::vector<RobotSignal>> robot_signals(int64_t robot_id, int64_t after_seq, int64_t limit) = 0;
};

}  // namespace tb::store
