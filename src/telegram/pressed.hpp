#pragma once
// Private to the telegram module: a button press being handled, shared by the route table (callbacks.cpp)
// and the handlers of 🤖 My Robots (dialogs_user_robots.cpp).
#include "accounts/account_view.hpp"
#include "telegram/bot_impl.hpp"

namespace tb::telegram {

struct Pressed {
  Bot::Impl& bot;
  Conversation& c;
  const CallbackQuery& q;
  const Press& p;
  int64_t now = 0;
  accounts::Actor actor;
  accounts::AccountView view;  // the account's, for the actions that name one
};

// A press made into a screen in place of the one it was on (or a new message), after leaving the step.
inline void show(Pressed& x, const Screen& s) {
  x.bot.leave_step(x.c);
  x.bot.answer(x.q);
  x.bot.edit_or_send(x.c, x.q, s);
}

// 🤖 My Robots' buttons (dialogs_user_robots.cpp).
namespace user_robot_presses {
net::Task<void> my_robots(Pressed& x);
net::Task<void> open(Pressed& x);  // UserRobot, MyStats, Positions
net::Task<void> change_amount(Pressed& x);
net::Task<void> ask_start(Pressed& x);
net::Task<void> ask_stop(Pressed& x);
net::Task<void> ask_remove(Pressed& x);
net::Task<void> follow(Pressed& x);
net::Task<void> confirmed(Pressed& x);  // ConfirmStart, StopClose, StopKeep, ConfirmRemove
net::Task<void> account_picked(Pressed& x);
net::Task<void> volume_picked(Pressed& x);
}  // namespace user_robot_presses

}  // namespace tb::telegram
