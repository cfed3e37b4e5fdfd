#pragma once
// What the bot shows: the labels of its menus and buttons, the text of each screen (HTML parse mode) and
// its keyboard (with the callback data of callback_data.hpp). Pure functions of what they are given: the
// dialogs decide which screen, this file decides how it reads. Nothing here ever sees a secret; account
// data comes as the accounts module's typed view (masked key only), and user-chosen text is escaped.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "accounts/account_service.hpp"
#include "accounts/account_view.hpp"
#include "accounts/key_guide.hpp"
#include "core/decimal.hpp"
#include "robots/board.hpp"
#include "store/user_robot_store.hpp"
#include "telegram/callback_data.hpp"

namespace tb::telegram {

namespace label {
inline constexpr std::string_view kMainMenu = "🏠 Main Menu";
inline constexpr std::string_view kRobots = "🤖 Robots";
inline constexpr std::string_view kPortfolio = "💼 Portfolio";
inline constexpr std::string_view kSettings = "⚙️ Settings";
inline constexpr std::string_view kHelp = "❓ Help";
inline constexpr std::string_view kMyKeys = "🔐 My Exchange API Keys";
inline constexpr std::string_view kAddKey = "🔑 Add New Exchange API Key";
inline constexpr std::string_view kBack = "◀️ Back";
inline constexpr std::string_view kCancel = "❌ Cancel";
inline constexpr std::string_view kRename = "✏️ Rename";
inline constexpr std::string_view kReplaceKeys = "🔁 Replace keys";
inline constexpr std::string_view kRetest = "🔄 Re-test";
inline constexpr std::string_view kOpenOrders = "📋 Open Orders";
inline constexpr std::string_view kDelete = "🗑 Delete";
inline constexpr std::string_view kYesDelete = "✅ Yes, delete";
inline constexpr std::string_view kNoKeep = "❌ No, keep it";
inline constexpr std::string_view kFindRobots = "🔎 Find Robots";
inline constexpr std::string_view kRobotInfo = "ℹ️ Info";
inline constexpr std::string_view kPublicStats = "📉 Public Statistics";
inline constexpr std::string_view kMyRobots = "🤖 My Robots";
inline constexpr std::string_view kMyStats = "📈 My Statistics";
inline constexpr std::string_view kPositions = "🗃 Latest Positions";
inline constexpr std::string_view kChangeAmount = "⚙️ Change Amount";
inline constexpr std::string_view kStart = "🟢 Start";
inline constexpr std::string_view kStop = "⛔ Stop";
inline constexpr std::string_view kRemoveRobot = "❌ Delete";
inline constexpr std::string_view kFollow = "➕ Follow with my account";
inline constexpr std::string_view kYesStart = "✅ Yes, start trading";
inline constexpr std::string_view kStopClose = "🔴 Stop and close the position";
inline constexpr std::string_view kStopKeep = "🟡 Stop and keep the position";
inline constexpr std::string_view kYesRemove = "✅ Yes, delete the robot";
inline constexpr std::string_view kAssetFixed = "🪙 A fixed amount of the asset";
inline constexpr std::string_view kQuoteFixed = "💵 A fixed amount of the quote currency";
inline constexpr std::string_view kBalancePercent = "📊 A share of the free balance (%)";
inline constexpr std::string_view kNoticesOn = "🔔 Robot notifications: on";
inline constexpr std::string_view kNoticesOff = "🔕 Robot notifications: off";
}  // namespace label

// The main menu's reply-keyboard buttons, as their text arrives back when pressed.
enum class MenuButton { None, MainMenu, Robots, Portfolio, Settings, Help, MyKeys, AddKey, Back, Cancel };
// Which label a message's text is: exact, or the same without emoji variation selectors (U+FE0F), which
// some clients drop.
MenuButton menu_button(std::string_view text);

struct Screen {
  std::string text;       // HTML
  nlohmann::json markup;  // reply_markup, or null for none
  bool protect = false;   // key metadata: Telegram's clients may not forward or save the message
};

// The parameters of sendMessage / editMessageText for a screen; a text too long for Telegram (4096
// characters) is cut at a line end.
nlohmann::json send_params(int64_t chat_id, const Screen& s);
nlohmann::json edit_params(int64_t chat_id, int64_t message_id, const Screen& s);

std::string html_escape(std::string_view s);
// "$10,500.00" from a decimal string; the text itself when it is no decimal.
std::string format_usd(std::string_view decimal);
std::string format_usd(const Decimal& amount);
std::string venue_name(std::string_view venue_id);
// Every venue's display name, HTML-escaped: "A, B<last_joint>C".
std::string venue_list(std::string_view last_joint);

// ---- screens ----
Screen main_menu(std::string_view greeting);  // a message with the reply keyboard
Screen main_menu_inline();                    // the same choices as inline buttons, for edits
struct Profile {
  std::string email;  // empty for a Telegram-only profile
  size_t accounts = 0;
  bool notices = true;  // robot notifications are sent
};
Screen settings(const Profile& p);
Screen keys_list(const std::vector<accounts::AccountView>& accounts);
Screen account(const accounts::AccountView& view);
// 📋 Open Orders: the account's open orders on the exchange, each with its real type, trigger and limit, and
// whether tradebridge placed it (screens_orders.cpp); `trouble`: why they could not be read, in words.
Screen account_orders(const accounts::AccountView& view, const std::vector<accounts::AccountOrder>& orders, std::string_view trouble = "");
Screen pick_exchange(int64_t gen);
// How to create the key on that exchange, then asks for the API key.
Screen ask_key(std::string_view venue, int64_t gen, const accounts::GuideOptions& guide, std::string_view replacing_name);
Screen ask_key_again(std::string_view venue, int64_t gen, std::string_view why);
Screen ask_secret(std::string_view venue, std::string_view masked_key, int64_t gen);
Screen ask_secret_again(int64_t gen, std::string_view why);
// Two-factor is on: the current code, after the key pair (why: the last code's trouble, or empty).
Screen ask_code(int64_t gen, std::string_view why);
// The key test in progress: one line per step (steps as the accounts module reports them).
Screen checking(const accounts::AccountView& view, const std::vector<store::KeyTestStep>& steps);
// The key test's outcome; `asks_again`: the key was refused and the user is asked for a key again.
Screen check_result(const accounts::AccountView& view, bool asks_again);
Screen ask_name(const accounts::AccountView& view, int64_t gen);
Screen ask_name_again(int64_t gen, std::string_view why);
Screen confirm_delete(const accounts::AccountView& view, int64_t gen);
Screen portfolio(const accounts::PortfolioView& portfolio);
// The Robots menu and the catalogue (screens_robots.cpp): the exchange picker, one exchange's robots, a
// robot's information and its public statistics.
Screen robots(size_t enabled_accounts);
Screen find_robots();
Screen robots_list(std::string_view venue, const std::vector<robots::RobotReport>& reports);
Screen robot_info(const robots::RobotReport& report);
Screen robot_stats(const robots::RobotReport& report);
// 🤖 My Robots (screens_user_robots.cpp): a user robot as the bot shows it, with what it follows and where.
struct UserRobotItem {
  store::UserRobot ur;
  store::Robot robot;
  std::string account_name;
  std::optional<store::RobotPosition> open;  // the position it holds
};
Screen my_robots(const std::vector<UserRobotItem>& items);
Screen user_robot(const UserRobotItem& item);
// 📈 My Statistics and 🗃 Latest Positions, over its positions (newest first).
Screen user_robot_stats(const UserRobotItem& item, const std::vector<store::RobotPosition>& positions);
Screen user_robot_positions(const UserRobotItem& item, const std::vector<store::RobotPosition>& positions);
Screen confirm_start(const UserRobotItem& item, int64_t gen);
Screen ask_stop(const UserRobotItem& item, int64_t gen);
Screen confirm_remove(const UserRobotItem& item, int64_t gen);
// Following a robot: which of the user's enabled accounts on its exchange, then the volume type, then the amount.
Screen pick_account(const store::Robot& robot, const std::vector<accounts::AccountView>& enabled, int64_t gen);
Screen pick_volume(const store::Robot& robot, int64_t gen);
Screen ask_amount(store::VolumeType type, int64_t gen, std::string_view why);
Screen help();
Screen cancelled();
Screen not_understood();
Screen key_like_message_deleted();
Screen private_only();
// A plain message, and a screen that brings the main menu's reply keyboard back.
Screen plain(std::string text);
Screen with_menu_keyboard(Screen s);

// ---- notifications ----
Screen key_rejected_notice(const accounts::AccountView& view);
Screen order_left_open_notice(const accounts::AccountView& view);

// The command list given to setMyCommands.
nlohmann::json bot_commands();

}  // namespace tb::telegram
