// Registration and linking (who a Telegram user is: users::TelegramIdentities): /start registers a chat as
// a Telegram-only user, /start CODE or /link CODE links it to a web account.
#include <utility>

#include "telegram/bot_impl.hpp"

namespace tb::telegram {

namespace {

// Why a link code did not link this chat, and what to do.
Screen link_refused(users::LinkRefusal why, size_t accounts_held) {
  switch (why) {
    case users::LinkRefusal::TooManyTries:
      return plain("Too many wrong codes. Wait ten minutes, then create a new code on the web Profile page.");
    case users::LinkRefusal::NotACode:
      return plain("That is not a link code. On the web, open Profile and create a Telegram link code: 10 letters and digits.");
    case users::LinkRefusal::HoldsAccounts:
      return plain("This chat already has " + std::to_string(accounts_held) +
                   " exchange account(s) of its own, which linking would leave behind. Delete them under " + std::string(label::kSettings) +
                   " → " + std::string(label::kMyKeys) + " (and add them again after linking), then send the code again.");
    case users::LinkRefusal::UnknownCode: break;
  }
  return plain("❌ This code is unknown, already used or expired. Create a new one on the web Profile page.");
}

}  // namespace

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
    leave_step(c);
    send(c.chat_id,
         main_menu("👋 Welcome back" + (c.from.first_name.empty() ? std::string() : ", " + html_escape(c.from.first_name)) + "."));
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
  send(c.chat_id,
       main_menu("👋 Welcome to tradebridge" + (c.from.first_name.empty() ? std::string() : ", " + html_escape(c.from.first_name)) +
                 ".\n\nConnect the API key of your exchange account (" + venue_list(", ") +
                 ") and trade with robots. "
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

}  // namespace tb::telegram
