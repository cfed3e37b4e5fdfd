// What a message does: the update's lane and stored chat, then commands and the menu's buttons, and
// otherwise the dialog's state machine — for each Step, the function that reads a message in it and returns
// the step after it with the bot's answer (kSteps below). Buttons are callbacks.cpp's; the steps of adding a
// key dialogs_keys.cpp's, of an account dialogs_accounts.cpp's, registration and linking dialogs_link.cpp's.
#include <array>
#include <utility>

#include "accounts/key_input.hpp"
#include "telegram/bot_impl.hpp"
#include "telegram/dialog_text.hpp"

namespace tb::telegram {

namespace {

const std::vector<std::string_view> kCommands = {"/start", "/link", "/menu", "/keys", "/balance", "/cancel", "/help"};

bool known_command(std::string_view c) {
  for (auto k : kCommands)
    if (k == c) return true;
  return false;
}

std::string update_kind(const Update& u) {
  if (u.callback_query) return "button";
  if (u.message) return u.edited ? "edited message" : "message";
  if (u.my_chat_member) return "membership";
  return "other";
}

// A step of the dialog: whether what arrives in it is a secret, and what a message in it does.
struct StepRule {
  Step step;
  // Deleted before it is looked at: a secret that happens to start with '/' or match a label is still a
  // secret.
  bool takes_secret;
  Turn (Bot::Impl::*on_text)(const Conversation&, std::string);
};

// In the order of Step.
constexpr std::array<StepRule, kStepCount> kSteps{{
    {Step::Idle, false, &Bot::Impl::on_other_text},
    {Step::PickExchange, false, &Bot::Impl::on_other_text},  // the exchange is a button
    {Step::AwaitKey, true, &Bot::Impl::on_key},
    {Step::AwaitSecret, true, &Bot::Impl::on_secret},
    {Step::AwaitCode, true, &Bot::Impl::on_code},
    {Step::Checking, false, &Bot::Impl::on_other_text},  // the test's result comes as an event
    {Step::Rename, false, &Bot::Impl::on_name},
    {Step::ConfirmDelete, false, &Bot::Impl::on_other_text},  // the answer is a button
    {Step::PickAccount, false, &Bot::Impl::on_other_text},
    {Step::PickVolume, false, &Bot::Impl::on_other_text},
    {Step::AwaitAmount, false, &Bot::Impl::on_amount},
    {Step::ConfirmStart, false, &Bot::Impl::on_other_text},
    {Step::ConfirmStop, false, &Bot::Impl::on_other_text},
    {Step::ConfirmRemove, false, &Bot::Impl::on_other_text},
}};

constexpr bool steps_in_order() {
  for (size_t i = 0; i < kSteps.size(); ++i)
    if (static_cast<size_t>(kSteps[i].step) != i) return false;
  return true;
}
static_assert(steps_in_order(), "kSteps lists the steps in the enum's order");

const StepRule& rule_of(Step s) { return kSteps[static_cast<size_t>(s)]; }

}  // namespace

// ---- reading what the user typed (dialog_text.hpp) ----

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

std::string without_field(const Error& error) {
  const std::string prefix = error.field + ": ";
  if (!error.field.empty() && error.message.starts_with(prefix)) return error.message.substr(prefix.size());
  return error.message;
}

// ---- one update ----

net::Task<void> Bot::Impl::process(Update u) {
  const int64_t chat = u.chat_id();
  const User* from = u.sender();
  if (chat == 0 || !from || from->is_bot) {
    log("telegram: update " + std::to_string(u.update_id) + " (" + update_kind(u) + ") ignored");
    co_return;
  }
  co_await enter(chat);
  // Keys typed and then abandoned do not linger in memory.
  for (auto it = typed_keys.begin(); it != typed_keys.end();)
    it = d.clock.now_ms() - it->second.at_ms > o.key_wait.count() ? typed_keys.erase(it) : std::next(it);
  try {
    auto link = d.store.find_telegram_link(from->id);
    if (!link) {
      log("telegram: update " + std::to_string(u.update_id) + ": the store failed: " + link.error().message);
    } else if (link->has_value() && u.update_id <= (*link)->last_update_id) {
      log("telegram: update " + std::to_string(u.update_id) + " in chat " + std::to_string(chat) + " was handled before; skipped");
    } else {
      Conversation c{u, chat, *from, *link, {}, false};
      if (c.link) c.dialog = Dialog::from_json(c.link->dialog_json);
      co_await dispatch(c);
      // Handled once its replies are out: a process killed before that leaves the update unconfirmed (the
      // offset and the chat's newest update are stored after this), so Telegram hands it out again.
      co_await outbox.chat_sent(chat);
      if (c.link) {
        c.link->dialog_json = c.dialog.to_json();
        c.link->last_update_id = std::max(c.link->last_update_id, u.update_id);
        if (!from->username.empty()) c.link->username = from->username;
        if (!from->first_name.empty()) c.link->first_name = from->first_name;
        if (auto st = d.store.save_telegram_link(*c.link); !st)
          log("telegram: could not save chat " + std::to_string(chat) + ": " + st.error().message);
      }
    }
  } catch (const std::exception& e) {
    log("telegram: update " + std::to_string(u.update_id) + " failed: " + e.what());
  }
  if (u.message) {  // it may have carried a key or a secret (a secret may even start with '/'): no copy outlives it
    if (u.message->text) crypto::secure_zero(*u.message->text);
    crypto::secure_zero(u.message->command);
    crypto::secure_zero(u.message->command_args);
  }
  leave(chat);
}

net::Task<void> Bot::Impl::dispatch(Conversation& c) {
  const Update& u = c.update;
  std::string what = "telegram: update " + std::to_string(u.update_id) + " chat " + std::to_string(c.chat_id) + ": ";
  if (u.my_chat_member) {
    const std::string& status = u.my_chat_member->new_status;
    if (c.link && (status == "kicked" || status == "member")) {
      c.link->blocked = status == "kicked";
      log(what + (c.link->blocked ? "the user blocked the bot" : "the user unblocked the bot"));
    }
    co_return;
  }
  if (c.link && c.link->blocked) c.link->blocked = false;  // they wrote: they can be reached again
  if (u.callback_query) {
    const std::optional<Press> press = parse_press(u.callback_query->data);  // the one parse of the data
    log(what + "button " + std::string(press ? code(press->action) : "") + " at step " + std::string(to_string(c.dialog.step)));
    co_await on_callback(c, *u.callback_query, press);
  } else if (u.message) {
    const Message& m = *u.message;
    log(what + (m.command.empty() || !known_command(m.command) ? "a message" : "command " + m.command) + " at step " +
        std::string(to_string(c.dialog.step)));
    co_await on_message(c, m);
  }
}

net::Task<void> Bot::Impl::on_message(Conversation& c, const Message& m) {
  if (!m.chat.is_private()) {
    if (m.text && looks_like_key(*m.text)) {  // posted where others read it: gone if the bot may, and the user warned
      co_await delete_user_message(c.chat_id, m.message_id);
      send(c.chat_id,
           plain("⚠️ Never post API keys or secrets in a group: revoke that key on the exchange now. I only handle keys in a "
                 "private chat."));
    } else if (!m.command.empty()) {
      send(c.chat_id, private_only());
    }
    co_return;
  }
  if (c.update.edited) co_return;  // an edit of an earlier message is not new input
  static const std::string kNoText;
  const std::string& text = m.text ? *m.text : kNoText;  // no copy: a key or a secret is copied once, into the step
  const StepRule& step = rule_of(c.dialog.step);
  const bool awaiting = c.link && step.takes_secret;
  if (awaiting && m.text) co_await delete_user_message(c.chat_id, m.message_id);

  if (!c.link) {
    co_await before_start(c, m, text);
    co_return;
  }
  if (!m.text) {
    send(c.chat_id, awaiting ? plain("Please send the key as text.") : with_menu_keyboard(not_understood()));
    co_return;
  }
  const bool bare_command = !m.command.empty() && known_command(m.command) && (m.command_args.empty() || !awaiting);
  if (bare_command) {
    co_await on_command(c, m);
    co_return;
  }
  if (MenuButton b = menu_button(text); b != MenuButton::None) {
    co_await on_menu_button(c, b);
    co_return;
  }
  co_await take_turn(c, m, (this->*step.on_text)(c, text));
}

// A chat the bot does not know yet: only /start and /link CODE do anything.
net::Task<void> Bot::Impl::before_start(Conversation& c, const Message& m, const std::string& text) {
  if (m.command == "/start") {
    co_await start_command(c, m.command_args);
  } else if (m.command == "/link" && !m.command_args.empty()) {
    co_await link_with_code(c, m.command_args);
  } else if (looks_like_key(text)) {
    co_await delete_user_message(c.chat_id, m.message_id);
    send(c.chat_id, key_like_message_deleted());
  } else {
    send(c.chat_id, plain("👋 Send /start to begin."));
  }
}

// Applies a step's answer in its order.
net::Task<void> Bot::Impl::take_turn(Conversation& c, const Message& m, Turn t) {
  if (t.delete_message) co_await delete_user_message(c.chat_id, m.message_id);
  c.dialog = std::move(t.next);
  for (const Screen& s : t.screens) send(c.chat_id, s);
  if (t.test) co_await start_checking(c, *t.test);
}

// Idle, PickExchange, Checking, ConfirmDelete: no text is awaited.
Turn Bot::Impl::on_other_text(const Conversation& c, std::string text) {
  Turn t{c.dialog};
  if (looks_like_key(text)) {
    t.delete_message = true;
    t.screens.push_back(key_like_message_deleted());
  } else {
    t.screens.push_back(with_menu_keyboard(not_understood()));
  }
  return t;
}

void Bot::Impl::leave_step(Conversation& c) {
  if (c.dialog.step == Step::Checking) return;
  c.dialog.reset(d.clock.now_ms());
  typed_keys.erase(c.chat_id);
}

net::Task<void> Bot::Impl::on_command(Conversation& c, const Message& m) {
  const std::string& cmd = m.command;
  if (cmd == "/start") {
    co_await start_command(c, m.command_args);
    co_return;
  }
  if (cmd == "/link") {
    if (m.command_args.empty())
      send(c.chat_id, plain("Sign in on the web, open Profile, create a Telegram link code, then send it here: <code>/link CODE</code>."));
    else co_await link_with_code(c, m.command_args);
    co_return;
  }
  const bool was_busy = c.dialog.step != Step::Idle && c.dialog.step != Step::Checking;
  leave_step(c);
  if (cmd == "/cancel") send(c.chat_id, with_menu_keyboard(was_busy ? cancelled() : plain("Nothing to cancel.")));
  else if (cmd == "/menu") send(c.chat_id, main_menu(""));
  else if (cmd == "/keys") send(c.chat_id, keys_screen(c.link->user_id));
  else if (cmd == "/balance") send(c.chat_id, portfolio_screen(c.link->user_id));
  else if (cmd == "/help") send(c.chat_id, help());
  co_return;
}

net::Task<void> Bot::Impl::on_menu_button(Conversation& c, MenuButton b) {
  const bool was_busy = c.dialog.step != Step::Idle && c.dialog.step != Step::Checking;
  leave_step(c);
  const int64_t user = c.link->user_id;
  switch (b) {
    case MenuButton::MainMenu:
    case MenuButton::Back: send(c.chat_id, main_menu("")); break;
    case MenuButton::Robots: send(c.chat_id, robots_screen(user)); break;
    case MenuButton::Portfolio: send(c.chat_id, portfolio_screen(user)); break;
    case MenuButton::Settings: send(c.chat_id, settings_screen(user, !c.dialog.notices_off)); break;
    case MenuButton::Help: send(c.chat_id, help()); break;
    case MenuButton::MyKeys: send(c.chat_id, keys_screen(user)); break;
    case MenuButton::AddKey:
      begin_add(c);
      send(c.chat_id, pick_exchange(c.dialog.gen));
      break;
    case MenuButton::Cancel: send(c.chat_id, with_menu_keyboard(was_busy ? cancelled() : plain("Nothing to cancel."))); break;
    case MenuButton::None: break;
  }
  co_return;
}

void Bot::Impl::begin_add(Conversation& c) {
  typed_keys.erase(c.chat_id);
  c.dialog.reset(d.clock.now_ms());
  c.dialog.begin(Step::PickExchange, d.clock.now_ms());
}

}  // namespace tb::telegram
