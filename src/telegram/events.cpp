// Account events turned into messages: a key test's steps edit its progress message, its end shows the
// result (and a dialog waiting for it moves on), a key the exchange started rejecting and a test order left
// open are told. One handler per kind of event (the event variant's alternatives), each taking its own.
#include <utility>  // before Boost.Asio's awaitable.hpp, which uses std::exchange

#include <variant>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "accounts/account_view.hpp"
#include "telegram/bot_impl.hpp"

namespace tb::telegram {

namespace {

// An event as it concerns the chat of its user, read once before the handler runs.
struct ChatEvent {
  int64_t user_id = 0;
  int64_t chat = 0;
  const store::TelegramLink& link;
  Dialog& dialog;
  int64_t account_id = 0;
  bool awaited = false;    // the dialog waits for this test (also after a restart, when the progress is gone)
  bool shown = false;      // the test's progress message was started in this chat, even if the user moved on
  int64_t message_id = 0;  // that message, or the one the waiting dialog knows
};

using Change = accounts::AccountChanged::Change;

// The account an event is about, and whether the bot tells this kind at all.
int64_t account_of(const accounts::AccountEvent& e) {
  if (const auto* c = std::get_if<accounts::AccountChanged>(&e.what)) return c->view.account.id;
  if (const auto* s = std::get_if<accounts::KeyTestStepped>(&e.what)) return s->account_id;
  return 0;
}
bool told(const accounts::AccountEvent& e) {
  if (const auto* c = std::get_if<accounts::AccountChanged>(&e.what)) return c->change == Change::Tested || c->change == Change::Invalid;
  if (const auto* n = std::get_if<accounts::Notice>(&e.what)) return !n->text.empty();
  return std::holds_alternative<accounts::KeyTestStepped>(e.what);
}

// A step: the progress message shows it. Each returns whether the chat's dialog changed (it is saved then).
bool step_passed(Bot::Impl& bot, ChatEvent& e, const accounts::KeyTestStepped& stepped) {
  if (!e.awaited && !e.shown) return false;
  auto& p = bot.progress[e.account_id];
  p.chat_id = e.chat;
  if (p.message_id == 0) p.message_id = e.message_id;
  if (!p.view)
    if (auto v = bot.d.accounts.get(e.user_id, e.account_id)) p.view = std::move(*v);
  bool replaced = false;
  for (auto& s : p.steps)
    if (s.name == stepped.step.name) {
      s = stepped.step;
      replaced = true;
    }
  if (!replaced) p.steps.push_back(stepped.step);
  if (p.message_id && p.view) bot.edit(e.chat, p.message_id, checking(*p.view, p.steps));
  return false;
}

// A test shown in this chat ended: the result in its progress message; a dialog waiting for it is done, or
// asks for a new key when the pair was refused.
bool test_shown(Bot::Impl& bot, ChatEvent& e, const accounts::AccountView& view) {
  // The service's rule: a refused pair was erased, so the dialog asks for a new one.
  const accounts::KeyAdvice advice = accounts::advice_of(view);
  const bool refused = !advice.key_kept;
  // Only a dialog still waiting for this test asks for the key again.
  Screen result = check_result(view, refused && e.awaited);
  if (e.message_id) bot.edit(e.chat, e.message_id, result);
  else bot.send(e.chat, result);
  bot.progress.erase(e.account_id);
  bot.log("telegram: chat " + std::to_string(e.chat) + ": key test of account " + std::to_string(e.account_id) +
          " shown: " + std::string(store::to_string(view.account.status)));
  if (!e.awaited) return false;
  if (!refused) {
    e.dialog.reset(bot.d.clock.now_ms());
    return true;
  }
  e.dialog.begin(Step::AwaitKey, bot.d.clock.now_ms());
  e.dialog.exchange = view.account.venue;
  e.dialog.account_id = e.account_id;
  e.dialog.replace = true;
  e.dialog.message_id = 0;
  bot.send(e.chat, ask_key_again(e.dialog.exchange, e.dialog.gen, advice.key_note));
  return true;
}

// A test ended: shown where it was started; elsewhere only a test order left open is told.
bool test_ended(Bot::Impl& bot, ChatEvent& e, const accounts::AccountView& view) {
  if (e.awaited || e.shown) return test_shown(bot, e, view);
  if (!e.link.blocked && accounts::order_to_cancel_by_hand(view)) {
    bot.send(e.chat, order_left_open_notice(view));
    bot.log("telegram: chat " + std::to_string(e.chat) + ": notified of a test order left open on account " + std::to_string(e.account_id));
  }
  return false;
}

// A re-check found the exchange rejecting a key.
bool key_rejected(Bot::Impl& bot, ChatEvent& e, const accounts::AccountView& view) {
  if (e.link.blocked) return false;
  bot.send(e.chat, key_rejected_notice(view));
  bot.log("telegram: chat " + std::to_string(e.chat) + ": notified that account " + std::to_string(e.account_id) + "'s key is rejected");
  return false;
}

bool tell_chat(Bot::Impl& bot, ChatEvent& ce, const accounts::AccountEvent& e) {
  if (const auto* n = std::get_if<accounts::Notice>(&e.what)) {
    // A trade, a pause, a foreign order; not when the user turned robot notifications off in ⚙️ Settings.
    if (!ce.link.blocked && !ce.dialog.notices_off) bot.send(ce.chat, Screen{html_escape(n->text), nullptr});
    return false;
  }
  if (const auto* s = std::get_if<accounts::KeyTestStepped>(&e.what)) return step_passed(bot, ce, *s);
  const auto* c = std::get_if<accounts::AccountChanged>(&e.what);
  if (c && c->change == Change::Tested) return test_ended(bot, ce, c->view);
  if (c && c->change == Change::Invalid) return key_rejected(bot, ce, c->view);
  return false;
}

}  // namespace

void Bot::Impl::on_account_event(const accounts::AccountEvent& e) {
  if (!active || !told(e)) return;
  boost::asio::co_spawn(d.executor, handle_event(e), boost::asio::detached);
}

net::Task<void> Bot::Impl::handle_event(accounts::AccountEvent e) {
  auto found = d.store.find_telegram_link_by_user(e.user_id);
  if (!found || !found->has_value()) co_return;
  const int64_t chat = (*found)->chat_id;
  co_await enter(chat);
  try {
    auto fresh = d.store.find_telegram_link_by_user(e.user_id);
    if (fresh && fresh->has_value() && (*fresh)->chat_id == chat) {
      store::TelegramLink link = **fresh;
      Dialog dialog = Dialog::from_json(link.dialog_json);
      ChatEvent ce{e.user_id, chat, link, dialog, account_of(e)};
      ce.awaited = dialog.step == Step::Checking && dialog.account_id == ce.account_id && ce.account_id != 0;
      auto shown = progress.find(ce.account_id);
      ce.shown = shown != progress.end() && shown->second.chat_id == chat;
      ce.message_id = ce.shown ? shown->second.message_id : 0;
      if (ce.awaited && ce.message_id == 0) ce.message_id = dialog.message_id;
      if (tell_chat(*this, ce, e)) {
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
