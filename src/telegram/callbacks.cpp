// What each button press does: a table keyed by the press's Action (callback_data.hpp), one small handler
// each. Before a handler runs, the table's rules re-validate the press: a step button counts only in the
// step that showed it, and an action that names an account needs the caller's own account.
#include <array>
#include <utility>

#include "telegram/dialog_text.hpp"
#include "telegram/pressed.hpp"

namespace tb::telegram {

namespace {

// ---- the menus ----

net::Task<void> main_menu_pressed(Pressed& x) {
  show(x, main_menu_inline());
  co_return;
}
net::Task<void> settings_pressed(Pressed& x) {
  show(x, x.bot.settings_screen(x.actor.user_id, !x.c.dialog.notices_off));
  co_return;
}
net::Task<void> keys_pressed(Pressed& x) {
  show(x, x.bot.keys_screen(x.actor.user_id));
  co_return;
}
net::Task<void> portfolio_pressed(Pressed& x) {
  show(x, x.bot.portfolio_screen(x.actor.user_id));
  co_return;
}
// Robot notifications off, or on again; the settings shown with the new state.
net::Task<void> notices_pressed(Pressed& x) {
  x.c.dialog.notices_off = !x.c.dialog.notices_off;
  x.bot.answer(x.q, x.c.dialog.notices_off ? "Robot notifications off" : "Robot notifications on");
  x.bot.edit_or_send(x.c, x.q, x.bot.settings_screen(x.actor.user_id, !x.c.dialog.notices_off));
  co_return;
}
net::Task<void> robots_pressed(Pressed& x) {
  show(x, x.bot.robots_screen(x.actor.user_id));
  co_return;
}
net::Task<void> help_pressed(Pressed& x) {
  show(x, help());
  co_return;
}

// ---- the robots' catalogue ----

net::Task<void> find_robots_pressed(Pressed& x) {
  show(x, find_robots());
  co_return;
}

net::Task<void> robots_of_pressed(Pressed& x) {
  auto all = x.bot.d.robots.list(robots::RobotFilter{x.p.venue, "", "", ""});
  show(x, all ? robots_list(x.p.venue, *all) : plain("❌ The robots cannot be read right now; try again in a moment."));
  co_return;
}

// ℹ️ Info or 📉 Public Statistics of the robot the press names.
net::Task<void> robot_pressed(Pressed& x) {
  auto r = x.bot.d.robots.report(x.p.id);
  if (!r && r.error().kind == ErrorKind::NotFound) {
    x.bot.answer(x.q, "This robot is no longer in the catalogue.", true);
    x.bot.edit_or_send(x.c, x.q, find_robots());
    co_return;
  }
  if (!r) {
    show(x, plain("❌ The robot cannot be read right now; try again in a moment."));
    co_return;
  }
  show(x, x.p.action == Action::RobotStats ? robot_stats(*r) : robot_info(*r));
}

// ---- adding a key ----

net::Task<void> add_pressed(Pressed& x) {
  x.bot.begin_add(x.c);
  x.bot.answer(x.q);
  x.bot.edit_or_send(x.c, x.q, pick_exchange(x.c.dialog.gen));
  co_return;
}

net::Task<void> exchange_picked(Pressed& x) {
  Dialog& dialog = x.c.dialog;
  dialog.begin(Step::AwaitKey, x.now);
  dialog.exchange = x.p.venue;
  x.bot.answer(x.q);
  x.bot.edit_or_send(x.c, x.q,
                     plain("<b>" + std::string(label::kAddKey) + "</b>\n\nExchange: <b>" + html_escape(venue_name(x.p.venue)) + "</b>"));
  x.bot.send(x.c.chat_id, ask_key(x.p.venue, dialog.gen, x.bot.d.accounts.guide_options(), ""));
  co_return;
}

net::Task<void> cancel_pressed(Pressed& x) {
  x.c.dialog.reset(x.now);
  x.bot.typed_keys.erase(x.c.chat_id);
  x.bot.answer(x.q, "Cancelled");
  Screen s = main_menu_inline();
  s.text = cancelled().text + "\n\n" + s.text;
  x.bot.edit_or_send(x.c, x.q, s);
  co_return;
}

// ---- an account (x.view is the caller's own) ----

net::Task<void> account_pressed(Pressed& x) {
  show(x, account(x.view));
  co_return;
}

net::Task<void> rename_pressed(Pressed& x) {
  x.bot.leave_step(x.c);
  x.c.dialog.begin(Step::Rename, x.now);
  x.c.dialog.account_id = x.p.id;
  x.bot.answer(x.q);
  x.bot.send(x.c.chat_id, ask_name(x.view, x.c.dialog.gen));
  co_return;
}

net::Task<void> replace_keys_pressed(Pressed& x) {
  Dialog& dialog = x.c.dialog;
  x.bot.leave_step(x.c);
  dialog.begin(Step::AwaitKey, x.now);
  dialog.account_id = x.p.id;
  dialog.exchange = x.view.account.venue;
  dialog.replace = true;
  x.bot.answer(x.q);
  x.bot.send(x.c.chat_id, ask_key(dialog.exchange, dialog.gen, x.bot.d.accounts.guide_options(), x.view.account.name));
  co_return;
}

net::Task<void> ask_delete_pressed(Pressed& x) {
  x.bot.leave_step(x.c);
  x.c.dialog.begin(Step::ConfirmDelete, x.now);
  x.c.dialog.account_id = x.p.id;
  x.bot.answer(x.q);
  x.bot.edit_or_send(x.c, x.q, confirm_delete(x.view, x.c.dialog.gen));
  co_return;
}

net::Task<void> delete_confirmed(Pressed& x) {
  auto st = x.bot.d.accounts.remove(x.actor, x.p.id);
  if (!st) {
    x.bot.answer(x.q, without_field(st.error()), true);
    co_return;
  }
  x.c.dialog.reset(x.now);
  x.bot.answer(x.q, "Deleted");
  Screen list = x.bot.keys_screen(x.actor.user_id);
  list.text = "🗑 Deleted <b>" + html_escape(x.view.account.name) + "</b>.\n\n" + list.text;
  x.bot.edit_or_send(x.c, x.q, list);
}

net::Task<void> retest_pressed(Pressed& x) {
  auto checked = x.bot.d.accounts.check(x.actor, x.p.id);
  if (!checked) {
    x.bot.answer(x.q, without_field(checked.error()), true);
    co_return;
  }
  x.bot.leave_step(x.c);
  x.bot.answer(x.q, "Testing the key…");
  co_await x.bot.start_checking(x.c, *checked);
}

// The account's open orders, asked from the exchange now (its trouble is told in its words).
net::Task<void> account_orders_pressed(Pressed& x) {
  auto orders = co_await x.bot.d.accounts.open_orders(x.actor.user_id, x.p.id);
  if (orders) {
    show(x, account_orders(x.view, *orders));
    co_return;
  }
  const Error& e = orders.error();
  const bool ours = e.kind == ErrorKind::Conflict || e.kind == ErrorKind::NotFound || e.kind == ErrorKind::Internal;
  show(x, account_orders(x.view, {}, ours ? without_field(e) : "the exchange did not list them: " + venue_reason(e)));
}

// ---- the table ----

// Step buttons count only in the step that showed them.
bool picking(const Dialog& d, const Press& p) { return d.step == Step::PickExchange && d.gen == p.gen; }
bool in_a_step(const Dialog& d, const Press& p) { return d.step != Step::Idle && d.gen == p.gen; }
bool confirming(const Dialog& d, const Press& p) { return d.step == Step::ConfirmDelete && d.gen == p.gen && d.account_id == p.id; }
bool confirming_robot(const Dialog& d, const Press& p) {
  const bool asked = d.step == Step::ConfirmStart || d.step == Step::ConfirmStop || d.step == Step::ConfirmRemove;
  const bool answers = (d.step == Step::ConfirmStart && p.action == Action::ConfirmStart) ||
                       (d.step == Step::ConfirmStop && (p.action == Action::StopClose || p.action == Action::StopKeep)) ||
                       (d.step == Step::ConfirmRemove && p.action == Action::ConfirmRemove);
  return asked && answers && d.gen == p.gen && d.user_robot_id == p.id;
}
bool picking_account(const Dialog& d, const Press& p) { return d.step == Step::PickAccount && d.gen == p.gen; }
bool picking_volume(const Dialog& d, const Press& p) { return d.step == Step::PickVolume && d.gen == p.gen && p.id >= 1 && p.id <= 3; }

struct Route {
  Action action;
  bool (*counts)(const Dialog&, const Press&);  // null: at any step; otherwise stale unless it holds
  bool names_account;                           // the account must be the caller's; its view is looked up first
  net::Task<void> (*handle)(Pressed&);
};

// In the order of Action.
constexpr std::array<Route, kActionCount> kRoutes{{
    {Action::Main, nullptr, false, main_menu_pressed},
    {Action::Settings, nullptr, false, settings_pressed},
    {Action::Keys, nullptr, false, keys_pressed},
    {Action::Portfolio, nullptr, false, portfolio_pressed},
    {Action::Robots, nullptr, false, robots_pressed},
    {Action::Help, nullptr, false, help_pressed},
    {Action::Add, nullptr, false, add_pressed},
    {Action::Account, nullptr, true, account_pressed},
    {Action::Retest, nullptr, true, retest_pressed},
    {Action::Rename, nullptr, true, rename_pressed},
    {Action::ReplaceKeys, nullptr, true, replace_keys_pressed},
    {Action::AskDelete, nullptr, true, ask_delete_pressed},
    {Action::ConfirmDelete, confirming, true, delete_confirmed},
    {Action::PickExchange, picking, false, exchange_picked},
    {Action::Cancel, in_a_step, false, cancel_pressed},
    {Action::FindRobots, nullptr, false, find_robots_pressed},
    {Action::RobotsOf, nullptr, false, robots_of_pressed},
    {Action::RobotInfo, nullptr, false, robot_pressed},
    {Action::RobotStats, nullptr, false, robot_pressed},
    {Action::Notices, nullptr, false, notices_pressed},
    {Action::MyRobots, nullptr, false, user_robot_presses::my_robots},
    {Action::UserRobot, nullptr, false, user_robot_presses::open},
    {Action::MyStats, nullptr, false, user_robot_presses::open},
    {Action::Positions, nullptr, false, user_robot_presses::open},
    {Action::ChangeAmount, nullptr, false, user_robot_presses::change_amount},
    {Action::AskStart, nullptr, false, user_robot_presses::ask_start},
    {Action::AskStop, nullptr, false, user_robot_presses::ask_stop},
    {Action::AskRemove, nullptr, false, user_robot_presses::ask_remove},
    {Action::Follow, nullptr, false, user_robot_presses::follow},
    {Action::ConfirmStart, confirming_robot, false, user_robot_presses::confirmed},
    {Action::StopClose, confirming_robot, false, user_robot_presses::confirmed},
    {Action::StopKeep, confirming_robot, false, user_robot_presses::confirmed},
    {Action::ConfirmRemove, confirming_robot, false, user_robot_presses::confirmed},
    {Action::PickAccount, picking_account, true, user_robot_presses::account_picked},
    {Action::PickVolume, picking_volume, false, user_robot_presses::volume_picked},
    {Action::AccountOrders, nullptr, true, account_orders_pressed},
}};

constexpr bool routes_in_order() {
  for (size_t i = 0; i < kRoutes.size(); ++i)
    if (static_cast<size_t>(kRoutes[i].action) != i) return false;
  return true;
}
static_assert(routes_in_order(), "kRoutes lists the actions in the enum's order");

// The account the press names, when it is the caller's; otherwise the user is told and the list shown.
bool find_account(Pressed& x) {
  auto view = x.bot.d.accounts.get(x.actor.user_id, x.p.id);
  if (view) {
    x.view = std::move(*view);
    return true;
  }
  x.bot.answer(x.q, "This exchange account no longer exists.", true);
  if (x.c.dialog.account_id == x.p.id && x.c.dialog.step != Step::Idle) x.c.dialog.reset(x.now);
  x.bot.edit_or_send(x.c, x.q, x.bot.keys_screen(x.actor.user_id));
  return false;
}

}  // namespace

net::Task<void> Bot::Impl::on_callback(Conversation& c, const CallbackQuery& q, const std::optional<Press>& press) {
  if (!c.link) {
    answer(q, "Send /start first.", true);
    co_return;
  }
  if (!press) {
    stale(q);
    co_return;
  }
  const Route& route = kRoutes[static_cast<size_t>(press->action)];
  if (route.counts && !route.counts(c.dialog, *press)) {
    stale(q);
    co_return;
  }
  Pressed x{*this, c, q, *press, d.clock.now_ms(), accounts::Actor{c.link->user_id, "", "telegram", c.from.id}, {}};
  if (route.names_account && !find_account(x)) co_return;
  co_await route.handle(x);
}

}  // namespace tb::telegram
