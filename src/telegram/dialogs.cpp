// What each message and button press does: registration and linking, the menus, adding a key (exchange,
// key, secret, the key test edited as it runs), an account's own screen (rename, replace keys, re-test,
// delete), the portfolio, stale buttons, and plain answers for anything unexpected.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "accounts/account_view.hpp"
#include "accounts/key_input.hpp"
#include "telegram/bot_impl.hpp"
#include "venues/registry.hpp"

namespace tb::telegram {

namespace {

const std::vector<std::string_view> kCommands = {"/start", "/link", "/menu", "/keys", "/balance", "/cancel", "/help"};

bool known_command(std::string_view c) {
  for (auto k : kCommands)
    if (k == c) return true;
  return false;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

// "key: API key should be ..." → "API key should be ..."
std::string without_field(const std::string& message) {
  auto colon = message.find(": ");
  if (colon != std::string::npos && colon < 16) return message.substr(colon + 2);
  return message;
}

std::string update_kind(const Update& u) {
  if (u.callback_query) return "button";
  if (u.message) return u.edited ? "edited message" : "message";
  if (u.my_chat_member) return "membership";
  return "other";
}

Screen with_menu_keyboard(Screen s) {
  s.markup = main_menu("").markup;
  return s;
}

Screen plain(std::string text) {
  Screen s;
  s.text = std::move(text);
  return s;
}

// Why a link code did not link this chat, and what to do.
Screen link_refused(users::LinkRefusal why, size_t accounts_held) {
  switch (why) {
    case users::LinkRefusal::TooManyTries:
      return plain("Too many wrong codes. Wait ten minutes, then create a new code on the web Profile page.");
    case users::LinkRefusal::NotACode:
      return plain("That is not a link code. On the web, open Profile and create a Telegram link code: 10 letters and digits.");
    case users::LinkRefusal::HoldsAccounts:
      return plain("This chat already has " + std::to_string(accounts_held) +
                   " exchange account(s) of its own, which linking would leave behind. Delete them under " +
                   std::string(label::kSettings) + " → " + std::string(label::kMyKeys) +
                   " (and add them again after linking), then send the code again.");
    case users::LinkRefusal::UnknownCode: break;
  }
  return plain("❌ This code is unknown, already used or expired. Create a new one on the web Profile page.");
}

}  // namespace

// ---- sending ----

void Bot::Impl::send(int64_t chat_id, const Screen& s) { outbox.post(chat_id, "sendMessage", send_params(chat_id, s)); }

void Bot::Impl::edit(int64_t chat_id, int64_t message_id, const Screen& s) {
  outbox.post(chat_id, "editMessageText", edit_params(chat_id, message_id, s));
}

void Bot::Impl::edit_or_send(const Conversation& c, const CallbackQuery& q, const Screen& s) {
  // A message the bot can no longer see (date 0) cannot be edited: the screen comes as a new message.
  if (q.message && q.message->date != 0 && !(s.markup.is_object() && s.markup.contains("keyboard")))
    edit(c.chat_id, q.message->message_id, s);
  else
    send(c.chat_id, s);
}

void Bot::Impl::answer(const CallbackQuery& q, std::string_view text, bool alert) {
  nlohmann::json p = {{"callback_query_id", q.id}};
  if (!text.empty()) p["text"] = text;
  if (alert) p["show_alert"] = true;
  boost::asio::co_spawn(d.executor, fire("answerCallbackQuery", std::move(p)), boost::asio::detached);
}

void Bot::Impl::stale(const CallbackQuery& q) {
  answer(q, "⌛ This button belongs to an earlier step and no longer works. Use 🏠 Main Menu or /menu.", true);
  if (q.message && q.message->date != 0)  // its buttons go, so it is not pressed again
    outbox.post(q.message->chat.id, "editMessageReplyMarkup", {{"chat_id", q.message->chat.id}, {"message_id", q.message->message_id}});
}

net::Task<void> Bot::Impl::delete_user_message(int64_t chat_id, int64_t message_id) {
  std::string method = "deleteMessage";  // named: GCC 12 mishandles literals in a co_await expression
  nlohmann::json params = {{"chat_id", chat_id}, {"message_id", message_id}};
  auto r = co_await outbox.now(method, std::move(params));
  if (!r) {
    log("telegram: chat " + std::to_string(chat_id) + ": could not delete message " + std::to_string(message_id) + ": " + r.error().message);
    send(chat_id, plain("⚠️ I could not delete your message: please delete it yourself."));
  }
}

// ---- screens with data ----

Screen Bot::Impl::keys_screen(int64_t user_id) {
  auto views = d.accounts.list(user_id);
  if (!views) return plain("❌ Your exchange accounts cannot be read right now; try again in a moment.");
  nlohmann::json list = nlohmann::json::array();
  for (const auto& v : *views) list.push_back(accounts::to_json(v));
  return keys_list(list);
}

Screen Bot::Impl::settings_screen(int64_t user_id) {
  Profile p;
  if (auto u = d.store.find_user(user_id); u && u->has_value() && !store::is_telegram_only(**u)) p.email = (*u)->email;
  if (auto views = d.accounts.list(user_id)) p.accounts = views->size();
  return settings(p);
}

Screen Bot::Impl::portfolio_screen(int64_t user_id) {
  auto p = d.accounts.portfolio(user_id);
  if (!p) return plain("❌ Your portfolio cannot be read right now; try again in a moment.");
  nlohmann::json list = nlohmann::json::array();
  for (const auto& a : p->accounts) {
    list.push_back({{"name", a.name},
                    {"exchange", a.venue},
                    {"usd_total", a.usd_total.to_plain_string()},
                    {"balances", a.portfolio.balances}});
  }
  return portfolio({{"usd_total", p->usd_total.to_plain_string()}, {"accounts", list}});
}

Screen Bot::Impl::robots_screen(int64_t user_id) {
  size_t enabled = 0;
  if (auto views = d.accounts.list(user_id))
    for (const auto& v : *views) enabled += v.account.status == store::AccountStatus::Enabled;
  return robots(enabled);
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
      if (c.link) {
        c.link->dialog_json = c.dialog.to_json();
        c.link->last_update_id = std::max(c.link->last_update_id, u.update_id);
        if (!from->username.empty()) c.link->username = from->username;
        if (!from->first_name.empty()) c.link->first_name = from->first_name;
        if (auto st = d.store.save_telegram_link(*c.link); !st) log("telegram: could not save chat " + std::to_string(chat) + ": " + st.error().message);
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
    log(what + "button " + parse_press(u.callback_query->data).action + " at step " + std::string(to_string(c.dialog.step)));
    co_await on_callback(c, *u.callback_query);
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
      send(c.chat_id, plain("⚠️ Never post API keys or secrets in a group: revoke that key on the exchange now. I only handle keys in a private chat."));
    } else if (!m.command.empty()) {
      send(c.chat_id, private_only());
    }
    co_return;
  }
  if (c.update.edited) co_return;  // an edit of an earlier message is not new input
  static const std::string kNoText;
  const std::string& text = m.text ? *m.text : kNoText;  // no copy: a key or a secret is copied once, into the step
  const bool awaiting =
      c.link && (c.dialog.step == Step::AwaitKey || c.dialog.step == Step::AwaitSecret || c.dialog.step == Step::AwaitCode);
  // Whatever arrives while a key or secret is awaited is deleted before it is looked at: a secret that
  // happens to start with '/' or match a label is still a secret.
  if (awaiting && m.text) co_await delete_user_message(c.chat_id, m.message_id);

  if (!c.link) {
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
  switch (c.dialog.step) {
    case Step::AwaitKey: co_await on_key(c, text); co_return;
    case Step::AwaitSecret: co_await on_secret(c, text); co_return;
    case Step::AwaitCode: co_await on_code(c, text); co_return;
    case Step::Rename: co_await on_name(c, text); co_return;
    default: break;
  }
  if (looks_like_key(text)) {
    co_await delete_user_message(c.chat_id, m.message_id);
    send(c.chat_id, key_like_message_deleted());
    co_return;
  }
  send(c.chat_id, with_menu_keyboard(not_understood()));
}

net::Task<void> Bot::Impl::on_command(Conversation& c, const Message& m) {
  const int64_t now = d.clock.now_ms();
  const std::string& cmd = m.command;
  if (cmd == "/start") {
    co_await start_command(c, m.command_args);
    co_return;
  }
  if (cmd == "/link") {
    if (m.command_args.empty())
      send(c.chat_id, plain("Sign in on the web, open Profile, create a Telegram link code, then send it here: <code>/link CODE</code>."));
    else
      co_await link_with_code(c, m.command_args);
    co_return;
  }
  const bool was_busy = c.dialog.step != Step::Idle && c.dialog.step != Step::Checking;
  if (c.dialog.step != Step::Checking) {  // a running test keeps its progress message
    c.dialog.reset(now);
    typed_keys.erase(c.chat_id);
  }
  if (cmd == "/cancel") send(c.chat_id, with_menu_keyboard(was_busy ? cancelled() : plain("Nothing to cancel.")));
  else if (cmd == "/menu") send(c.chat_id, main_menu(""));
  else if (cmd == "/keys") send(c.chat_id, keys_screen(c.link->user_id));
  else if (cmd == "/balance") send(c.chat_id, portfolio_screen(c.link->user_id));
  else if (cmd == "/help") send(c.chat_id, help());
  co_return;
}

net::Task<void> Bot::Impl::on_menu_button(Conversation& c, MenuButton b) {
  const int64_t now = d.clock.now_ms();
  const bool was_busy = c.dialog.step != Step::Idle && c.dialog.step != Step::Checking;
  if (c.dialog.step != Step::Checking) {
    c.dialog.reset(now);
    typed_keys.erase(c.chat_id);
  }
  const int64_t user = c.link->user_id;
  switch (b) {
    case MenuButton::MainMenu:
    case MenuButton::Back: send(c.chat_id, main_menu("")); break;
    case MenuButton::Robots: send(c.chat_id, robots_screen(user)); break;
    case MenuButton::Portfolio: send(c.chat_id, portfolio_screen(user)); break;
    case MenuButton::Settings: send(c.chat_id, settings_screen(user)); break;
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

// ---- registration and linking (who a Telegram user is: users::TelegramIdentities) ----

// The chat as the store keeps it, from what this update says of it (the dialog is the caller's to set).
store::TelegramLink Bot::Impl::chat_of(const Conversation& c) const {
  store::TelegramLink l = c.link ? *c.link : store::TelegramLink{};
  l.telegram_user_id = c.from.id;
  l.chat_id = c.chat_id;
  l.username = c.from.username;
  l.first_name = c.from.first_name;
  l.last_update_id = std::max(l.last_update_id, c.update.update_id);
  return l;
}

net::Task<void> Bot::Impl::start_command(Conversation& c, std::string_view args) {
  if (!args.empty()) {
    co_await link_with_code(c, args);
    co_return;
  }
  if (c.link) {
    if (c.dialog.step != Step::Checking) {
      c.dialog.reset(d.clock.now_ms());
      typed_keys.erase(c.chat_id);
    }
    send(c.chat_id, main_menu("👋 Welcome back" + (c.from.first_name.empty() ? std::string() : ", " + html_escape(c.from.first_name)) + "."));
    co_return;
  }
  auto link = d.identities.register_chat(chat_of(c));
  if (!link) {
    log("telegram: chat " + std::to_string(c.chat_id) + ": registration failed: " + link.error().message);
    send(c.chat_id, plain("❌ Something went wrong on our side; please send /start again in a moment."));
    co_return;
  }
  c.link = *link;
  c.dialog = Dialog{};
  log("telegram: chat " + std::to_string(c.chat_id) + " registered as user " + std::to_string(c.link->user_id));
  send(c.chat_id, main_menu("👋 Welcome to tradebridge" + (c.from.first_name.empty() ? std::string() : ", " + html_escape(c.from.first_name)) +
                            ".\n\nConnect the API key of your exchange account (" + venue_list(", ") + ") and trade with robots. "
                            "Already use tradebridge on the web? Send <code>/link CODE</code> with the code from your Profile page."));
}

net::Task<void> Bot::Impl::link_with_code(Conversation& c, std::string_view raw) {
  store::TelegramLink chat = chat_of(c);
  Dialog fresh = c.dialog;  // its generation kept and moved on: buttons of earlier steps stay stale
  fresh.reset(d.clock.now_ms());
  chat.dialog_json = fresh.to_json();
  auto outcome = d.identities.link_with_code(std::move(chat), raw);
  if (!outcome) {
    send(c.chat_id, plain("❌ Something went wrong on our side; please try again in a moment."));
    co_return;
  }
  if (outcome->refused) {
    send(c.chat_id, link_refused(*outcome->refused, outcome->accounts_held));
    co_return;
  }
  c.link = outcome->link;
  c.dialog = fresh;
  typed_keys.erase(c.chat_id);
  log("telegram: chat " + std::to_string(c.chat_id) + " linked to user " + std::to_string(c.link->user_id));
  send(c.chat_id, main_menu("✅ Linked to your web account <b>" + html_escape(outcome->email) +
                            "</b>. Your exchange API keys are the same here and on the web."));
}

// ---- button presses ----

net::Task<void> Bot::Impl::on_callback(Conversation& c, const CallbackQuery& q) {
  Press p = parse_press(q.data);
  if (!c.link) {
    answer(q, "Send /start first.", true);
    co_return;
  }
  if (p.action.empty()) {
    stale(q);
    co_return;
  }
  const int64_t now = d.clock.now_ms();
  const int64_t user = c.link->user_id;
  const accounts::Actor actor{user, "", "telegram", c.from.id};
  const std::string& a = p.action;
  // Step buttons count only in the step that showed them.
  if (a == "e" && (c.dialog.step != Step::PickExchange || c.dialog.gen != p.gen)) {
    stale(q);
    co_return;
  }
  if (a == "c" && (c.dialog.step == Step::Idle || c.dialog.gen != p.gen)) {
    stale(q);
    co_return;
  }
  if (a == "D" && (c.dialog.step != Step::ConfirmDelete || c.dialog.gen != p.gen || c.dialog.account_id != p.id)) {
    stale(q);
    co_return;
  }
  // Navigation leaves a waiting step (a running test keeps its message).
  auto leave_step = [&] {
    if (c.dialog.step != Step::Checking) {
      c.dialog.reset(now);
      typed_keys.erase(c.chat_id);
    }
  };
  if (a == "m" || a == "s" || a == "k" || a == "p" || a == "r" || a == "h") {
    leave_step();
    answer(q);
    if (a == "m") edit_or_send(c, q, main_menu_inline());
    else if (a == "s") edit_or_send(c, q, settings_screen(user));
    else if (a == "k") edit_or_send(c, q, keys_screen(user));
    else if (a == "p") edit_or_send(c, q, portfolio_screen(user));
    else if (a == "r") edit_or_send(c, q, robots_screen(user));
    else edit_or_send(c, q, help());
    co_return;
  }
  if (a == "add") {
    begin_add(c);
    answer(q);
    edit_or_send(c, q, pick_exchange(c.dialog.gen));
    co_return;
  }
  if (a == "e") {
    c.dialog.begin(Step::AwaitKey, now);
    c.dialog.exchange = p.venue;
    answer(q);
    edit_or_send(c, q, plain("<b>" + std::string(label::kAddKey) + "</b>\n\nExchange: <b>" + html_escape(venue_name(p.venue)) + "</b>"));
    send(c.chat_id, ask_key(p.venue, c.dialog.gen, d.accounts.guide_options(), ""));
    co_return;
  }
  if (a == "c") {
    c.dialog.reset(now);
    typed_keys.erase(c.chat_id);
    answer(q, "Cancelled");
    Screen s = main_menu_inline();
    s.text = cancelled().text + "\n\n" + s.text;
    edit_or_send(c, q, s);
    co_return;
  }
  // The rest name an account: it must be the caller's own.
  auto view = d.accounts.get(user, p.id);
  if (!view) {
    answer(q, "This exchange account no longer exists.", true);
    if (c.dialog.account_id == p.id && c.dialog.step != Step::Idle) c.dialog.reset(now);
    edit_or_send(c, q, keys_screen(user));
    co_return;
  }
  const nlohmann::json v = accounts::to_json(*view);
  if (a == "a") {
    leave_step();
    answer(q);
    edit_or_send(c, q, account(v));
  } else if (a == "n") {
    leave_step();
    c.dialog.begin(Step::Rename, now);
    c.dialog.account_id = p.id;
    answer(q);
    send(c.chat_id, ask_name(v, c.dialog.gen));
  } else if (a == "x") {
    leave_step();
    c.dialog.begin(Step::AwaitKey, now);
    c.dialog.account_id = p.id;
    c.dialog.exchange = v.value("exchange", "");
    c.dialog.replace = true;
    answer(q);
    send(c.chat_id, ask_key(c.dialog.exchange, c.dialog.gen, d.accounts.guide_options(), v.value("name", "")));
  } else if (a == "d") {
    leave_step();
    c.dialog.begin(Step::ConfirmDelete, now);
    c.dialog.account_id = p.id;
    answer(q);
    edit_or_send(c, q, confirm_delete(v, c.dialog.gen));
  } else if (a == "D") {
    auto st = d.accounts.remove(actor, p.id);
    if (!st) {
      answer(q, without_field(st.error().message), true);
      co_return;
    }
    c.dialog.reset(now);
    answer(q, "Deleted");
    Screen list = keys_screen(user);
    list.text = "🗑 Deleted <b>" + html_escape(v.value("name", "")) + "</b>.\n\n" + list.text;
    edit_or_send(c, q, list);
  } else if (a == "t") {
    auto checked = d.accounts.check(actor, p.id);
    if (!checked) {
      answer(q, without_field(checked.error().message), true);
      co_return;
    }
    leave_step();
    answer(q, "Testing the key…");
    co_await start_checking(c, accounts::to_json(*checked));
  }
}

// ---- adding a key ----

net::Task<void> Bot::Impl::on_key(Conversation& c, std::string text) {
  std::string key = trim(text);
  crypto::secure_zero(text);
  // The venue's key check looks at the key first; with no secret yet, a complaint about the secret means
  // the key itself passed.
  auto check = accounts::check_key_input(c.dialog.exchange, key, crypto::Secret());
  if (check || check.error().message.rfind("API secret", 0) != 0) {
    std::string why = check ? "That key cannot be used." : check.error().message;
    send(c.chat_id, ask_key_again(c.dialog.exchange, c.dialog.gen, why));
    co_return;
  }
  c.dialog.masked_key = accounts::mask_key(key);
  c.dialog.begin(Step::AwaitSecret, d.clock.now_ms());
  TypedKey& typed = typed_keys[c.chat_id];  // a pair typed before in this chat is replaced
  crypto::secure_zero(typed.key);
  typed.key = std::move(key);
  typed.secret.wipe();
  typed.gen = c.dialog.gen;
  typed.at_ms = d.clock.now_ms();
  send(c.chat_id, ask_secret(c.dialog.exchange, c.dialog.masked_key, c.dialog.gen));
}

Bot::Impl::TypedKey* Bot::Impl::typed_key_of(Conversation& c) {
  const int64_t now = d.clock.now_ms();
  auto typed = typed_keys.find(c.chat_id);
  if (typed != typed_keys.end() && typed->second.gen == c.dialog.gen && now - typed->second.at_ms <= o.key_wait.count())
    return &typed->second;
  if (typed != typed_keys.end()) typed_keys.erase(typed);
  c.dialog.begin(Step::AwaitKey, now);
  c.dialog.masked_key.clear();
  send(c.chat_id, ask_key_again(c.dialog.exchange, c.dialog.gen,
                                "I no longer have the API Key you sent (the server restarted, or it waited too long), and I never "
                                "keep a key without its secret."));
  return nullptr;
}

net::Task<void> Bot::Impl::on_secret(Conversation& c, std::string text) {
  TypedKey* typed = typed_key_of(c);
  std::string secret = trim(text);
  crypto::secure_zero(text);
  if (!typed) {
    crypto::secure_zero(secret);
    co_return;
  }
  typed->secret = crypto::Secret(std::move(secret));
  crypto::secure_zero(secret);
  accounts::Actor actor{c.link->user_id, "", "telegram", c.from.id};
  auto on = d.two_factor.enabled(actor.user_id);
  actor.second_factor = on && !*on;  // known to be off: the gate is passed (unknown: the service asks)
  if (on && *on) {
    // The code comes last, so it is fresh when the keys go; a pair that cannot be right is refused before.
    auto input = accounts::check_key_input(c.dialog.exchange, typed->key, typed->secret);
    if (!input && input.error().message.rfind("API secret", 0) == 0) {  // the check's own words, not the service's
      typed->secret.wipe();
      send(c.chat_id, ask_secret_again(c.dialog.gen, without_field(input.error().message)));
      co_return;
    }
    c.dialog.begin(Step::AwaitCode, d.clock.now_ms());
    typed->gen = c.dialog.gen;
    typed->at_ms = d.clock.now_ms();
    send(c.chat_id, ask_code(c.dialog.gen, ""));
    co_return;
  }
  co_await submit_keys(c, actor, *typed);
}

net::Task<void> Bot::Impl::on_code(Conversation& c, std::string text) {
  TypedKey* typed = typed_key_of(c);
  if (!typed) co_return;
  accounts::Actor actor{c.link->user_id, "", "telegram", c.from.id};
  auto checked = d.two_factor.require(actor, trim(text));
  if (!checked) {
    const Error& e = checked.error();
    if (e.kind == ErrorKind::SecondFactorRequired) {
      send(c.chat_id, ask_code(c.dialog.gen, without_field(e.message)));
      co_return;
    }
    typed_keys.erase(c.chat_id);
    c.dialog.reset(d.clock.now_ms());
    send(c.chat_id, with_menu_keyboard(plain("❌ " + html_escape(e.kind == ErrorKind::RateLimited ? e.message : std::string("Something went wrong on our side; please try again.")))));
    co_return;
  }
  actor.second_factor = true;
  co_await submit_keys(c, actor, *typed);
}

net::Task<void> Bot::Impl::submit_keys(Conversation& c, const accounts::Actor& actor, TypedKey& typed) {
  const int64_t now = d.clock.now_ms();
  Result<accounts::AccountView> r = Error::make(ErrorKind::InvalidArgument, "");
  if (c.dialog.replace) {
    r = d.accounts.replace_keys(actor, c.dialog.account_id, typed.key, typed.secret);
  } else {
    accounts::NewAccount in;
    in.exchange = c.dialog.exchange;
    in.key = typed.key;  // kept for another try should the secret be refused
    in.secret = std::move(typed.secret);
    r = d.accounts.add(actor, in);
    crypto::secure_zero(in.key);
  }
  typed.secret.wipe();
  if (!r) {
    const Error& e = r.error();
    if (e.kind == ErrorKind::InvalidArgument && e.message.rfind("secret:", 0) == 0) {
      if (c.dialog.step != Step::AwaitSecret) {  // after the code: the secret again, then a new code
        c.dialog.begin(Step::AwaitSecret, now);
        typed.gen = c.dialog.gen;
      }
      send(c.chat_id, ask_secret_again(c.dialog.gen, without_field(e.message)));  // the key stays for the next try
      co_return;
    }
    typed_keys.erase(c.chat_id);
    if (e.kind == ErrorKind::InvalidArgument && e.message.rfind("key:", 0) == 0) {
      c.dialog.begin(Step::AwaitKey, now);
      send(c.chat_id, ask_key_again(c.dialog.exchange, c.dialog.gen, without_field(e.message)));
      co_return;
    }
    log("telegram: chat " + std::to_string(c.chat_id) + ": adding a key failed: " + std::string(to_string(e.kind)));
    c.dialog.reset(now);
    bool ours = e.kind == ErrorKind::Internal;
    send(c.chat_id, with_menu_keyboard(plain("❌ " + html_escape(ours ? std::string("Something went wrong on our side; please try again.") : without_field(e.message)))));
    co_return;
  }
  typed_keys.erase(c.chat_id);
  co_await start_checking(c, accounts::to_json(*r));
}

net::Task<void> Bot::Impl::start_checking(Conversation& c, const nlohmann::json& view) {
  const int64_t id = view.value("id", int64_t{0});
  progress[id] = Progress{view, nlohmann::json::array(), c.chat_id, 0};
  c.dialog.reset(d.clock.now_ms());
  c.dialog.begin(Step::Checking, d.clock.now_ms());
  c.dialog.account_id = id;
  c.dialog.exchange = view.value("exchange", "");
  // Waited for: the message's id is what the test's steps edit.
  std::string method = "sendMessage";
  nlohmann::json params = send_params(c.chat_id, checking(view, nlohmann::json::array()));
  auto sent = co_await outbox.to_chat(c.chat_id, std::move(method), std::move(params));
  if (sent && sent->is_object()) c.dialog.message_id = sent->value("message_id", int64_t{0});
  if (auto p = progress.find(id); p != progress.end() && p->second.chat_id == c.chat_id) p->second.message_id = c.dialog.message_id;
  else if (!sent) log("telegram: chat " + std::to_string(c.chat_id) + ": the progress message failed: " + sent.error().message);
}

net::Task<void> Bot::Impl::on_name(Conversation& c, const std::string& text) {
  const accounts::Actor actor{c.link->user_id, "", "telegram", c.from.id};
  if (looks_like_key(text)) {  // a key pasted into the wrong step must not become a name on every screen
    co_await delete_user_message(c.chat_id, c.update.message->message_id);
    send(c.chat_id, ask_name_again(c.dialog.gen, "That looks like an API key or secret, not a name, so I deleted it."));
    co_return;
  }
  auto r = d.accounts.rename(actor, c.dialog.account_id, trim(text));
  if (!r) {
    if (r.error().kind == ErrorKind::NotFound) {
      c.dialog.reset(d.clock.now_ms());
      send(c.chat_id, with_menu_keyboard(plain("This exchange account no longer exists.")));
      co_return;
    }
    send(c.chat_id, ask_name_again(c.dialog.gen, without_field(r.error().message)));
    co_return;
  }
  c.dialog.reset(d.clock.now_ms());
  Screen s = account(accounts::to_json(*r));
  s.text = "✅ Renamed.\n\n" + s.text;
  send(c.chat_id, s);
}

}  // namespace tb::telegram
