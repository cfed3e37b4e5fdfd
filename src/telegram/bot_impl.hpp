#pragma once
// Private to the telegram module: the Bot's state and the pieces its files share — bot.cpp (lifecycle,
// polling, webhook), events.cpp (account events), dialogs*.cpp (what each message does, a state machine
// over Step), callbacks.cpp (what each button does, a table over Action), replies.cpp (sending).
#include <utility>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "accounts/key_input.hpp"
#include "telegram/dialog.hpp"
#include "telegram/screens.hpp"
#include "telegram/telegram.hpp"

namespace tb::telegram {

// Something a coroutine waits for and another ends: a timer cancelled when `ready` is set.
struct Signal {
  explicit Signal(const boost::asio::any_io_executor& ex) : timer(ex) { timer.expires_at(boost::asio::steady_timer::time_point::max()); }
  void fire() {
    ready = true;
    timer.cancel();
  }
  net::Task<void> wait();
  boost::asio::steady_timer timer;
  bool ready = false;
};

// One update being handled, with what it changes of its chat.
struct Conversation {
  const Update& update;
  int64_t chat_id = 0;
  User from;
  std::optional<store::TelegramLink> link;  // empty until the user has started the bot
  Dialog dialog;
  bool save = false;  // link (dialog, last update) to be written at the end
};

// What a message does in a dialog step (the step's function in dialogs.cpp's table): the dialog after it
// and what the bot answers, applied in this order.
struct Turn {
  Dialog next;
  bool delete_message = false;                // the message goes first (a key pasted where none belongs)
  std::vector<Screen> screens;                // then these are sent
  std::optional<accounts::AccountView> test;  // then the key test of this account is shown (Step::Checking)
};

struct Bot::Impl {
  Impl(BotDeps deps, crypto::Secret token, BotOptions options);

  BotDeps d;
  BotOptions o;
  BotApi api;
  Outbox outbox;
  std::string username;
  std::string webhook_secret;
  bool stopping = false;
  // Whether events are told to chats (Bot::set_notifying).
  bool active = true;
  bool in_batch = false;
  std::function<void()> on_stopped;
  accounts::EventBus::Subscription subscription;

  // ---- lifecycle (bot.cpp) ----
  void log(const std::string& line) const;
  net::Task<void> run();
  net::Task<bool> identify();
  net::Task<void> introduce();
  net::Task<void> poll();
  net::Task<void> finish_stop();
  net::Task<void> stop_deadline();
  net::Task<void> handle_batch(std::vector<Update> updates);
  net::Task<void> process_counted(Update u, std::shared_ptr<size_t> left, std::shared_ptr<Signal> all_done);

  // One chat's updates and events one at a time, in arrival order.
  struct Lane {
    std::deque<std::shared_ptr<Signal>> waiting;
  };
  std::map<int64_t, Lane> lanes;
  net::Task<void> enter(int64_t chat_id);
  void leave(int64_t chat_id);

  // ---- updates (dialogs.cpp) ----
  net::Task<void> process(Update u);
  net::Task<void> dispatch(Conversation& c);
  net::Task<void> on_message(Conversation& c, const Message& m);
  net::Task<void> before_start(Conversation& c, const Message& m, const std::string& text);
  net::Task<void> on_command(Conversation& c, const Message& m);
  net::Task<void> on_menu_button(Conversation& c, MenuButton b);
  net::Task<void> take_turn(Conversation& c, const Message& m, Turn t);
  void leave_step(Conversation& c);  // navigation ends a waiting step (a running test keeps its message)
  void begin_add(Conversation& c);
  // ---- button presses (callbacks.cpp); `press` is nullopt for data no button of ours carries ----
  net::Task<void> on_callback(Conversation& c, const CallbackQuery& q, const std::optional<Press>& press);
  // ---- the dialog's steps: one function per Step that waits for text (dialogs_keys.cpp, dialogs_accounts.cpp) ----
  Turn on_key(const Conversation& c, std::string text);
  Turn on_secret(const Conversation& c, std::string text);
  Turn on_code(const Conversation& c, std::string text);
  Turn on_name(const Conversation& c, std::string text);
  Turn on_amount(const Conversation& c, std::string text);      // dialogs_user_robots.cpp
  Turn on_other_text(const Conversation& c, std::string text);  // a step that waits for no text
  net::Task<void> start_checking(Conversation& c, const accounts::AccountView& view);
  // ---- registration and linking (dialogs_link.cpp) ----
  net::Task<void> start_command(Conversation& c, std::string_view args);
  net::Task<void> link_with_code(Conversation& c, std::string_view raw);
  store::TelegramLink chat_of(const Conversation& c) const;  // the chat's row as this update tells it

  // Screens with the user's data (replies.cpp); a plain apology when the data cannot be read.
  Screen keys_screen(int64_t user_id);
  Screen settings_screen(int64_t user_id, bool notices);
  Screen portfolio_screen(int64_t user_id);
  Screen robots_screen(int64_t user_id);
  // 🤖 My Robots (dialogs_user_robots.cpp): a user robot with its robot, account and open position.
  Result<UserRobotItem> user_robot_item(int64_t user_id, const store::UserRobot& ur);
  Screen my_robots_screen(int64_t user_id);

  // Sending (replies.cpp).
  void send(int64_t chat_id, const Screen& s);
  void edit(int64_t chat_id, int64_t message_id, const Screen& s);
  void edit_or_send(const Conversation& c, const CallbackQuery& q, const Screen& s);
  void answer(const CallbackQuery& q, std::string_view text = {}, bool alert = false);
  void stale(const CallbackQuery& q);
  // Deletes a message the user sent (a key, a secret) at once; tells them to delete it if it cannot.
  net::Task<void> delete_user_message(int64_t chat_id, int64_t message_id);
  net::Task<void> fire(std::string method, nlohmann::json params);

  // ---- account events (events.cpp) ----
  void on_account_event(const accounts::AccountEvent& e);
  net::Task<void> handle_event(accounts::AccountEvent e);

  // An API key typed in a chat, waiting in memory for its secret (never stored); with two-factor on, the
  // pair waits for the code. Made in place in typed_keys and never moved (Secret is move-only; the key, the
  // public half the service masks, is wiped all the same when the entry goes).
  struct TypedKey {
    std::string key;
    crypto::Secret secret;
    int64_t gen = 0;
    int64_t at_ms = 0;
    ~TypedKey() { crypto::secure_zero(key); }
  };
  std::map<int64_t, TypedKey> typed_keys;  // by chat
  // The typed key of the chat's current step, or null (then the user is asked for the key again: key_lost).
  TypedKey* typed_key_of(const Conversation& c);
  Turn key_lost(const Conversation& c);
  Turn submit_keys(const Conversation& c, const accounts::Actor& actor, TypedKey& typed);
  // The key test shown in a chat's progress message, by account id.
  struct Progress {
    std::optional<accounts::AccountView> view;  // read again when the progress outlived a restart
    std::vector<store::KeyTestStep> steps;
    int64_t chat_id = 0;
    int64_t message_id = 0;
  };
  std::map<int64_t, Progress> progress;
};

using accounts::looks_like_key;  // one rule for the bot and the web (accounts/key_input.hpp)

}  // namespace tb::telegram
