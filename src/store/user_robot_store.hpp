#pragma once
// The user robots' aggregate (DESIGN.md § Robots): a user's exchange account following one robot at a
// volume, the positions it holds, the robots' orders in the one order ledger, and the signal ids a signal
// robot has taken. A user robot's handled_seq moves in the same transaction as the order intents of the
// signals it handled, so a signal becomes orders exactly once across restarts.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/error.hpp"
#include "store/order_store.hpp"

namespace tb::store {

using ClientOrderIdOf = std::function<std::string(int64_t order_id)>;

enum class UserRobotStatus { Starting, Started, Paused, Stopping, Stopped };
std::string_view to_string(UserRobotStatus s);  // "starting", "started", "paused", "stopping", "stopped"
std::optional<UserRobotStatus> parse_user_robot_status(std::string_view text);

enum class VolumeType { AssetFixed, QuoteFixed, BalancePercent };
std::string_view to_string(VolumeType t);  // "asset_fixed", "quote_fixed", "balance_percent"
std::optional<VolumeType> parse_volume_type(std::string_view text);

struct UserRobot {
  int64_t id = 0;
  int64_t user_id = 0;
  int64_t robot_id = 0;
  int64_t account_id = 0;
  VolumeType volume_type = VolumeType::QuoteFixed;
  Decimal volume;
  UserRobotStatus status = UserRobotStatus::Stopped;
  std::string message;      // why it paused, in words; empty when nothing needs the user
  int64_t handled_seq = 0;  // the robot's signals up to here are turned into orders (or skipped)
  std::string stop_mode;    // "close" or "keep" while stopping
  // On a futures venue: the leverage in effect for the robot's symbol, as the venue said at the last start
  // (read, or set then); empty on spot venues and before the first start.
  std::optional<int> leverage;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

// One position a user robot held or holds: open while closed_ms is empty. Amounts and prices are what
// filled, averaged over the fills.
struct RobotPosition {
  int64_t id = 0;
  int64_t user_robot_id = 0;
  std::string side;  // "long" / "short"
  Decimal entered;
  Decimal entry_price;
  Decimal exited;
  Decimal exit_price;
  Decimal fees;                   // in quote, entries and exits
  std::optional<Decimal> profit;  // net of fees, once closed
  int64_t opened_ms = 0;
  std::optional<int64_t> closed_ms;
};

class UserRobotStore {
 public:
  virtual ~UserRobotStore() = default;

  // InvalidArgument "robot_id: ..." when the account follows that robot already.
  virtual Result<UserRobot> create_user_robot(const UserRobot& robot) = 0;
  virtual Result<std::optional<UserRobot>> find_user_robot(int64_t id) = 0;
  virtual Result<std::vector<UserRobot>> list_user_robots(int64_t user_id) = 0;  // by id
  virtual Result<std::vector<UserRobot>> user_robots_of_robot(int64_t robot_id) = 0;
  virtual Result<std::vector<UserRobot>> user_robots_of_account(int64_t account_id) = 0;
  virtual Result<std::vector<UserRobot>> active_user_robots() = 0;  // starting, started or stopping
  // What a desk's pass visits: starting and stopping ones, and started ones behind their robot's last signal
  // (the rest are skipped in the database, not read: a pass runs every second over thousands).
  virtual Result<std::vector<UserRobot>> user_robots_to_follow() = 0;
  // volume, status, message, handled_seq and stop_mode of robot.id; updated_ms from the clock.
  virtual Status update_user_robot(const UserRobot& robot) = 0;
  // The signals a user robot has handled, and its message, alone: the desk's write with a signal's intents.
  // The rest of the row stays as the API left it (a stop asked for meanwhile is not undone), and on SQLite
  // it skips the status and volume CHECKs, which cost a temporary table each.
  virtual Status set_handled_seq(int64_t id, int64_t handled_seq, const std::string& message) = 0;
  // starting -> started in one conditional write: the row as it now is, or none when it was no longer
  // starting (a stop or pause asked meanwhile stands).
  virtual Result<std::optional<UserRobot>> mark_started(int64_t id) = 0;
  virtual Status delete_user_robot(int64_t id) = 0;
  // The leverage the venue said is in effect (UserRobot::leverage), apart from update_user_robot: a reading of
  // the venue, which the desk's writes of a user robot never carry back.
  virtual Status set_user_robot_leverage(int64_t id, std::optional<int> leverage) = 0;

  virtual Result<std::optional<RobotPosition>> open_position(int64_t user_robot_id) = 0;
  virtual Result<std::optional<RobotPosition>> find_position(int64_t id) = 0;
  // The open positions of many user robots in one read (a desk's pass); those holding none are not in it.
  virtual Result<std::vector<RobotPosition>> open_positions(const std::vector<int64_t>& user_robot_ids) = 0;
  // Inserts (id 0) or updates by id; InvalidArgument "side: ..." for a second open position.
  virtual Result<RobotPosition> save_position(const RobotPosition& position) = 0;
  virtual Result<std::vector<RobotPosition>> positions(int64_t user_robot_id, int64_t limit) = 0;  // newest first

  // The robots' orders: every one of a user robot, newest first; every unsettled one, oldest first.
  virtual Result<std::vector<OrderRecord>> robot_orders(int64_t user_robot_id, int64_t limit) = 0;
  virtual Result<std::vector<OrderRecord>> unsettled_robot_orders() = 0;
  virtual Result<std::vector<OrderRecord>> robot_orders_fee_pending(int64_t limit) = 0;  // oldest first
  // A robot order: its client order id is made from its own row id (`client_order_id_of`), so the id is
  // taken first and the row is written once, complete. Ids only grow: a client order id is never reused.
  virtual Result<OrderRecord> record_robot_order(const OrderRecord& order, const ClientOrderIdOf& client_order_id_of) = 0;

  // The robot's last signal's seq (0 before the first): where a user robot starting now begins.
  virtual Result<int64_t> last_signal_seq(int64_t robot_id) = 0;
  // A signal robot's external signal ids: the seq a signal id was given, if it came before.
  virtual Result<std::optional<int64_t>> signal_seq_of(int64_t robot_id, std::string_view external_id) = 0;
  // InvalidArgument "id: ..." when the robot has that signal id already.
  virtual Status record_signal_id(int64_t robot_id, std::string_view external_id, int64_t seq) = 0;
};

}  // namespace tb::store
