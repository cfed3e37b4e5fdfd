// How the bot answers: sending and editing screens, answering a button press, a stale button, deleting a
// message the user sent; and the screens filled with the user's data.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "accounts/account_view.hpp"
#include "telegram/bot_impl.hpp"

namespace tb::telegram {

// ---- sending ----

void Bot::Impl::send(int64_t chat_id, const Screen& s) { outbox.post(chat_id, "sendMessage", send_params(chat_id, s)); }

void Bot::Impl::edit(int64_t chat_id, int64_t message_id, const Screen& s) {
  outbox.post(chat_id, "editMessageText", edit_params(chat_id, message_id, s));
}

void Bot::Impl::edit_or_send(const Conversation& c, const CallbackQuery& q, const Screen& s) {
  // A message the bot can no longer see (date 0) cannot be edited: the screen comes as a new message.
  if (q.message && q.message->date != 0 && !(s.markup.is_object() && s.markup.contains("keyboard")))
    edit(c.chat_id, q.message->message_id, s);
  else send(c.chat_id, s);
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
    log("telegram: chat " + std::to_string(chat_id) + ": could not delete message " + std::to_string(message_id) + ": " +
        r.error().message);
    send(chat_id, plain("⚠️ I could not delete your message: please delete it yourself."));
  }
}

// ---- screens with data ----

Screen Bot::Impl::keys_screen(int64_t user_id) {
  auto views = d.accounts.list(user_id);
  if (!views) return plain("❌ Your exchange accounts cannot be read right now; try again in a moment.");
  return keys_list(*views);
}

Screen Bot::Impl::settings_screen(int64_t user_id, bool notices) {
  Profile p;
  p.notices = notices;
  if (auto u = d.store.find_user(user_id); u && u->has_value() && !store::is_telegram_only(**u)) p.email = (*u)->email;
  if (auto views = d.accounts.list(user_id)) p.accounts = views->size();
  return settings(p);
}

Screen Bot::Impl::portfolio_screen(int64_t user_id) {
  auto p = d.accounts.portfolio(user_id);
  if (!p) return plain("❌ Your portfolio cannot be read right now; try again in a moment.");
  return portfolio(*p);
}

Screen Bot::Impl::robots_screen(int64_t user_id) {
  size_t enabled = 0;
  if (auto views = d.accounts.list(user_id))
    for (const auto& v : *views) enabled += v.account.status == store::AccountStatus::Enabled;
  return robots(enabled);
}

}  // namespace tb::telegram
