#pragma once
// User robots as a user manages them (issue 13), for the API and the bot alike: follow a robot with an
// account at a volume, change the volume, start, stop (closing or keeping the position), resume, delete,
// read positions and orders; and signal robots: private robots fed by a webhook with a token shown once.
// The desk (desk.hpp) does the trading; this only writes what the user asked and checks it first.
//
// Errors: InvalidArgument naming the field, NotFound for a robot, account or user robot that is not the
// caller's, Conflict (with why) for a start on an account not enabled, the same robot twice on one account,
// a delete while running or holding a position, Unauthenticated for a wrong signal token.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/store.hpp"
#include "trading/desk.hpp"

namespace tb::trading {

// Starting, started or stopping: the desk trades for it.
bool running(store::UserRobotStatus status);

inline constexpr int kMaxLeverage = 125;  // the most a futures venue here allows

struct UserRobotOptions {
  int64_t signal_max_lag_ms = 60'000;  // --signal-max-lag: a signal older than this (by its time) is refused
};

struct NewUserRobot {
  int64_t robot_id = 0;
  int64_t account_id = 0;
  store::VolumeType volume_type = store::VolumeType::QuoteFixed;
  Decimal volume;
};

struct SignalRobotCreated {
  store::Robot robot;
  std::string token;  // shown once; only its hash is kept
};

struct IncomingSignal {
  std::string id;      // unique per robot: a repeat is a duplicate
  std::string action;  // "long", "short", "close"
  std::optional<Decimal> price;
  std::optional<int64_t> time_ms;
};

struct SignalTaken {
  int64_t seq = 0;
  bool duplicate = false;
};

class UserRobotService {
 public:
  UserRobotService(store::Store& store, const Clock& clock, UserRobotOptions options = {})
      : store_(store), clock_(clock), options_(options) {}

  Result<store::UserRobot> create(int64_t user_id, const NewUserRobot& input);  // status stopped
  Result<std::vector<store::UserRobot>> list(int64_t user_id);
  Result<store::UserRobot> get(int64_t user_id, int64_t id);
  Result<store::UserRobot> change_volume(int64_t user_id, int64_t id, store::VolumeType type, const Decimal& volume);
  Result<store::UserRobot> start(int64_t user_id, int64_t id);
  // The venues and the accounts' signers, for start_trading(); without them it starts as start() does.
  void trade_with(VenueFor venues, SignerFor signers) {
    venues_ = std::move(venues);
    signers_ = std::move(signers);
  }
  // start() on the venue: on a futures venue the leverage, when given (1 to kMaxLeverage), is set first (the
  // venue's refusal is a Conflict "leverage" in its words, and nothing starts), and the leverage in effect is
  // kept on the user robot (UserRobot::leverage); reading it may fail without stopping the start. On a spot
  // venue a leverage is InvalidArgument "leverage"; a running user robot takes none (Conflict).
  net::Task<Result<store::UserRobot>> start_trading(int64_t user_id, int64_t id, std::optional<int> leverage);
  Result<store::UserRobot> stop(int64_t user_id, int64_t id, std::string_view position);  // "close" or "keep"
  Result<store::UserRobot> resume(int64_t user_id, int64_t id);
  Status remove(int64_t user_id, int64_t id);
  Result<std::vector<store::RobotPosition>> positions(int64_t user_id, int64_t id, int64_t limit = 100);
  Result<std::vector<store::OrderRecord>> orders(int64_t user_id, int64_t id, int64_t limit = 100);

  // The robot a user may follow: a catalogue robot, or the user's own signal robot.
  Result<store::Robot> followable(int64_t user_id, int64_t robot_id);
  // How many user robots run (starting, started, stopping) on an account: the accounts' hook.
  int running_on(int64_t account_id);
  // An account turned invalid: its running user robots pause with the reason. Returns them as paused.
  std::vector<store::UserRobot> account_invalid(int64_t account_id, const std::string& reason);

  // A user's private signal robot; without a user, the operator's (`robots add --strategy signal`): any
  // user may follow it by its id, and its signals reach every user robot that does.
  Result<SignalRobotCreated> create_signal_robot(std::optional<int64_t> user_id, std::string name, std::string venue, std::string symbol);
  Result<std::vector<store::Robot>> signal_robots(int64_t user_id);
  Result<SignalTaken> take_signal(int64_t robot_id, std::string_view token, const IncomingSignal& signal);

  std::function<void(const store::UserRobot&)> on_change;  // a user robot written here (for the event stream)
  std::function<void(const store::Robot&, int64_t seq, std::string_view action)> on_signal;  // a signal taken

 private:
  Result<store::UserRobot> owned(int64_t user_id, int64_t id);
  Result<store::UserRobot> save(store::UserRobot ur);
  Result<store::Account> enabled_account(const store::UserRobot& ur);  // Conflict when it cannot trade
  net::Task<Status> apply_leverage(const store::UserRobot& ur, const store::Account& account, std::optional<int> leverage);

  store::Store& store_;
  const Clock& clock_;
  UserRobotOptions options_;
  VenueFor venues_;
  SignerFor signers_;
};

}  // namespace tb::trading
