#pragma once
// Callback data of the inline buttons: what each button asks for, written by the screens and parsed back
// once, when pressed, into a typed Press. 1-64 bytes, no secrets; the data is the client's to forge, so a
// press is re-validated on every use (its account must be the caller's, a step button its step's).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tb::telegram {

// What a button asks for. The tables keyed by it (kForms here, kRoutes in callbacks.cpp) list it in this
// order, as their static_asserts check; the last one sets kActionCount.
enum class Action : uint8_t {
  Main,           // "m": the main menu
  Settings,       // "s"
  Keys,           // "k": the list of exchange API keys
  Portfolio,      // "p"
  Robots,         // "r"
  Help,           // "h"
  Add,            // "add": add a key (the exchange picker)
  Account,        // "a:<id>": an account's own screen
  Retest,         // "t:<id>"
  Rename,         // "n:<id>"
  ReplaceKeys,    // "x:<id>"
  AskDelete,      // "d:<id>"
  ConfirmDelete,  // "D:<gen>:<id>": a step button
  PickExchange,   // "e:<gen>:<venue>": a step button
  Cancel,         // "c:<gen>": a step button
  FindRobots,     // "f": 🔎 Find Robots, the exchange picker
  RobotsOf,       // "fv:<venue>": the robots of one exchange
  RobotInfo,      // "ri:<id>": a robot's ℹ️ Info
  RobotStats,     // "rs:<id>": a robot's 📉 Public Statistics
  Notices,        // "nt": ⚙️ Settings' switch of robot notifications
  MyRobots,       // "mr": 🤖 My Robots, the user's user robots
  UserRobot,      // "u:<id>": a user robot's screen
  MyStats,        // "us:<id>": its 📈 My Statistics
  Positions,      // "up:<id>": its 🗃 Latest Positions
  ChangeAmount,   // "ua:<id>": ⚙️ Change Amount (the volume type picker)
  AskStart,       // "ug:<id>": 🟢 Start asks the risk confirmation
  AskStop,        // "uh:<id>": ⛔ Stop asks close or keep
  AskRemove,      // "ux:<id>": ❌ Delete asks to confirm
  Follow,         // "fo:<robot id>": follow a catalogue robot (the account picker)
  ConfirmStart,   // "UG:<gen>:<id>": a step button
  StopClose,      // "UC:<gen>:<id>": a step button
  StopKeep,       // "UK:<gen>:<id>": a step button
  ConfirmRemove,  // "UX:<gen>:<id>": a step button
  PickAccount,    // "fa:<gen>:<account id>": a step button
  PickVolume,     // "vt:<gen>:<1 asset, 2 quote, 3 percent>": a step button
  AccountOrders,  // "ao:<id>": an account's 📋 Open Orders on the exchange
};
inline constexpr size_t kActionCount = static_cast<size_t>(Action::AccountOrders) + 1;

// The action's code, the first field of its callback data: "m", "add", "D", ...
std::string_view code(Action a);

// A press, parsed from its callback data: the action and the arguments its data carries.
struct Press {
  Action action = Action::Main;
  int64_t gen = -1;   // step buttons: the dialog generation that showed them
  int64_t id = 0;     // the account or the robot, for the actions that name one (> 0)
  std::string venue;  // PickExchange, RobotsOf: a venue the registry knows
};
// nullopt for data no button of ours carries: an unknown code, a wrong number of fields, a bad number, an
// unknown venue.
std::optional<Press> parse_press(std::string_view data);

namespace data {
inline constexpr std::string_view kMain = "m";
inline constexpr std::string_view kSettings = "s";
inline constexpr std::string_view kKeys = "k";
inline constexpr std::string_view kPortfolio = "p";
inline constexpr std::string_view kRobots = "r";
inline constexpr std::string_view kHelp = "h";
inline constexpr std::string_view kAdd = "add";
std::string account(int64_t id);                                 // "a:<id>"
std::string retest(int64_t id);                                  // "t:<id>"
std::string rename(int64_t id);                                  // "n:<id>"
std::string replace_keys(int64_t id);                            // "x:<id>"
std::string ask_delete(int64_t id);                              // "d:<id>"
std::string confirm_delete(int64_t gen, int64_t id);             // "D:<gen>:<id>"
std::string pick_exchange(int64_t gen, std::string_view venue);  // "e:<gen>:<venue>"
std::string cancel(int64_t gen);                                 // "c:<gen>"
inline constexpr std::string_view kFindRobots = "f";
std::string robots_of(std::string_view venue);  // "fv:<venue>"
std::string robot_info(int64_t id);             // "ri:<id>"
std::string robot_stats(int64_t id);            // "rs:<id>"
inline constexpr std::string_view kNotices = "nt";
inline constexpr std::string_view kMyRobots = "mr";
std::string user_robot(int64_t id);                     // "u:<id>"
std::string my_stats(int64_t id);                       // "us:<id>"
std::string positions(int64_t id);                      // "up:<id>"
std::string change_amount(int64_t id);                  // "ua:<id>"
std::string ask_start(int64_t id);                      // "ug:<id>"
std::string ask_stop(int64_t id);                       // "uh:<id>"
std::string ask_remove(int64_t id);                     // "ux:<id>"
std::string follow(int64_t robot_id);                   // "fo:<id>"
std::string confirm_start(int64_t gen, int64_t id);     // "UG:<gen>:<id>"
std::string stop_close(int64_t gen, int64_t id);        // "UC:<gen>:<id>"
std::string stop_keep(int64_t gen, int64_t id);         // "UK:<gen>:<id>"
std::string confirm_remove(int64_t gen, int64_t id);    // "UX:<gen>:<id>"
std::string pick_account(int64_t gen, int64_t id);      // "fa:<gen>:<account id>"
std::string pick_volume(int64_t gen, int64_t type_no);  // "vt:<gen>:<1|2|3>"
std::string account_orders(int64_t id);                 // "ao:<id>"
}  // namespace data

}  // namespace tb::telegram
