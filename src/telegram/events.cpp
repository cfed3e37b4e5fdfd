// Account events turned into messages: a key test's steps edit its progress message, its end shows the
// result (and a dialog waiting for it moves on), a key the exchange started rejecting and a test order left
// open are told. One handler per event type, in a table keyed by the type; when events become a typed
// variant, the table becomes the visitor's overloads and each handler takes its own alternative.
#include <utility>  // before Boost.Asio's awaitable.hpp, which uses std::exchange

#include <array>
#include <string_view>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "accounts/account_view.hpp"
#include "telegram/bot_impl.hpp"

namespace tb::telegram {

namespace {

// An event as it concerns the chat of its user, read once before the handler runs.
struct ChatEvent {
  const nlohmann::json& data;
  int64_t user_id = 0;
  int64_t chat = 0;
  const store::TelegramLink& link;
  Dialog& dialog;
  int64_t account_id = 0;
  bool awaited = false;    // the dialog waits for this test (also after a restart, when the progress is gone)
  bool shown = false;      // the test's progress message was started in this chat, even if the user moved on
  int64_t message_id = 0;  // that message, or the one the waiting dialog knows
};

// Each returns whether the chat's dialog changed (it is saved then).
using EventHandler = bool (*)(Bot::Impl&, ChatEvent&);

// key_test.step: the progress message shows the step.
bool step_passed(Bot::Impl& bot, ChatEvent& e) {
  if (!e.awaited && !e.shown) return false;
  auto& p = bot.progress[e.account_id];
  p.chat_id = e.chat;
  if (p.message_id == 0) p.message_id = e.message_id;
  if (p.view.is_null())
    if (auto v = bot.d.accounts.get(e.user_id, e.account_id)) p.view = accounts::to_json(*v);
  const nlohmann::json step = e.data.value("step", nlohmann::json::object());
  bool replaced = false;
  for (auto& s : p.steps)
    if (s.value("name", "") == step.value("name", "")) {
      s = step;
      replaced = true;
    }
  if (!replaced) p.steps.push_back(step);
  if (p.message_id) bot.edit(e.chat, p.message_id, checking(p.view, p.steps));
  return false;
}

// account.tested of a test shown in this chat: the result in its progress message; a dialog waiting for it
// is done, or asks for a new key when the pair was refused.
bool test_shown(Bot::Impl& bot, ChatEvent& e) {
  const nlohmann::json& view = e.data;
  // The service's rule: a refused pair was erased, so the dialog asks for a new one.
  const bool refused = !view.value("key_kept", true);
  // Only a dialog still waiting for this test asks for the key again.
  Screen result = check_result(view, refused && e.awaited);
  if (e.message_id) bot.edit(e.chat, e.message_id, result);
  else bot.send(e.chat, result);
  bot.progress.erase(e.account_id);
  bot.log("telegram: chat " + std::to_string(e.chat) + ": key test of account " + std::to_string(e.account_id) +
          " shown: " + view.value("status", ""));
  if (!e.awaited) return false;
  if (!refused) {
    e.dialog.reset(bot.d.clock.now_ms());
    return true;
  }
  e.dialog.begin(Step::AwaitKey, bot.d.clock.now_ms());
  e.dialog.exchange = view.value("exchange", "");
  e.dialog.account_id = e.account_id;
  e.dialog.replace = true;
  e.dialog.message_id = 0;
  bot.send(e.chat, ask_key_again(e.dialog.exchange, e.dialog.gen, view.value("key_note", "The key pair was refused.")));
  return true;
}

// account.tested: shown where it was started; elsewhere only a test order left open is told.
bool test_ended(Bot::Impl& bot, ChatEvent& e) {
  if (e.awaited || e.shown) return test_shown(bot, e);
  if (!e.link.blocked && e.data.value("order_to_cancel_by_hand", nlohmann::json()).is_object()) {
    bot.send(e.chat, order_left_open_notice(e.data));
    bot.log("telegram: chat " + std::to_string(e.chat) + ": notified of a test order left open on account " + std::to_string(e.account_id));
  }
  return false;
}

// account.invalid: the exchange started rejecting a key.
bool key_rejected(Bot::Impl& bot, ChatEvent& e) {
  if (e.link.blocked) return false;
  bot.send(e.chat, key_rejected_notice(e.data));
  bot.log("telegram: chat " + std::to_string(e.chat) + ": notified that account " + std::to_string(e.account_id) + "'s key is rejected");
  return false;
}

struct EventRoute {
  std::string_view type;
  const char* account_id_field;  // where the event's data names its account
  EventHandler handle;
};

constexpr std::array<EventRoute, 3> kEvents{{
    {"key_test.step", "account_id", step_passed},
    {"account.tested", "id", test_ended},
    {"account.invalid", "id", key_rejected},
}};

// Null for the types the bot does not tell.
const EventRoute* route_of(std::string_view type) {
  for (const auto& r : kEvents)
    if (r.type == type) return &r;
  return nullptr;
}

}  // namespace

void Bot::Impl::on_account_event(const accounts::AccountEvent& e) {
  if (!route_of(e.type)) return;
  boost::asio::co_spawn(d.executor, handle_event(e), boost::asio::detached);
}

net::Task<void> Bot::Impl::handle_event(accounts::AccountEvent e) {
  const EventRoute* route = route_of(e.type);
  auto found = d.store.find_telegram_link_by_user(e.user_id);
  if (!route || !found || !found->has_value()) co_return;
  const int64_t chat = (*found)->chat_id;
  co_await enter(chat);
  try {
    auto fresh = d.store.find_telegram_link_by_user(e.user_id);
    if (fresh && fresh->has_value() && (*fresh)->chat_id == chat) {
      store::TelegramLink link = **fresh;
      Dialog dialog = Dialog::from_json(link.dialog_json);
      ChatEvent ce{e.data, e.user_id, chat, link, dialog, e.data.value(route->account_id_field, int64_t{0})};
      ce.awaited = dialog.step == Step::Checking && dialog.account_id == ce.account_id && ce.account_id != 0;
      auto shown = progress.find(ce.account_id);
      ce.shown = shown != progress.end() && shown->second.chat_id == chat;
      ce.message_id = ce.shown ? shown->second.message_id : 0;
      if (ce.awaited && ce.message_id == 0) ce.message_id = dialog.message_id;
      if (route->handle(*this, ce)) {
        link.dialog_json = dialog.to_json();
        if (auto st = d.store.save_telegram_link(link); !st) log("telegram: could not save a dialog: " + st.error().message);
      }
    }
  } catch (const std::exception& ex) {
    log(std::string("telegram: an account event failed: ") + ex.what());
  }
  leave(chat);
}

}  // namespace tb::telegram
