// 🤖 My Robots in the chat, over trading::UserRobotService (the same service and rules as the web API):
// the buttons of a user robot (its screens, ⚙️ Change Amount, 🟢 Start, ⛔ Stop, ❌ Delete and their
// confirmations), following a robot from 🔎 Find Robots (an enabled account of its exchange, the volume
// type, then the amount typed in Step::AwaitAmount). Every press names a user robot the service checks is
// the caller's; the service's refusals (an account not enabled, the same robot twice, a volume it
// refuses) are told in its words.
#include <algorithm>

#include "telegram/dialog_text.hpp"
#include "telegram/pressed.hpp"

namespace tb::telegram {

namespace {

constexpr std::string_view kUnavailable = "Robots cannot be followed on this server.";
constexpr std::string_view kTryAgain = "❌ This cannot be read right now; try again in a moment.";

bool available(Pressed& x) {
  if (x.bot.d.user_robots) return true;
  x.bot.answer(x.q, kUnavailable, true);
  return false;
}

// The caller's user robot the press names; when it is gone the user is told and My Robots shown.
std::optional<UserRobotItem> item_of(Pressed& x) {
  auto ur = x.bot.d.user_robots->get(x.actor.user_id, x.p.id);
  if (ur)
    if (auto it = x.bot.user_robot_item(x.actor.user_id, *ur)) return std::move(*it);
  const bool gone = !ur && ur.error().kind == ErrorKind::NotFound;
  x.bot.leave_step(x.c);
  x.bot.answer(x.q, gone ? "This robot is no longer in My Robots." : "This robot cannot be read right now; try again in a moment.", true);
  if (gone) x.bot.edit_or_send(x.c, x.q, x.bot.my_robots_screen(x.actor.user_id));
  return std::nullopt;
}

// A question about the user robot: its step begins (the buttons of the one before go stale).
template <class Question>
void ask(Pressed& x, Step step, Question question) {
  x.bot.leave_step(x.c);
  x.c.dialog.begin(step, x.now);
  x.c.dialog.user_robot_id = x.p.id;
  x.bot.answer(x.q);
  x.bot.edit_or_send(x.c, x.q, question(x.c.dialog.gen));
}

// The account of the user robot, when it cannot start: why, in a line short enough for an alert.
std::optional<std::string> not_startable(Pressed& x, const UserRobotItem& it) {
  auto acc = x.bot.d.accounts.get(x.actor.user_id, it.ur.account_id);
  if (!acc) return std::nullopt;  // the service says why at the start
  if (acc->account.status == store::AccountStatus::Enabled) return std::nullopt;
  return "The account " + acc->account.name + " is " + std::string(store::to_string(acc->account.status)) +
         ", not enabled: re-test its key under My Exchange API Keys first.";
}

}  // namespace

Result<UserRobotItem> Bot::Impl::user_robot_item(int64_t user_id, const store::UserRobot& ur) {
  UserRobotItem it{ur, {}, "", std::nullopt};
  auto robot = d.store.find_robot(ur.robot_id);
  if (!robot) return robot.error();
  if (robot->has_value()) it.robot = **robot;
  else it.robot.name = "Robot " + std::to_string(ur.robot_id);
  auto acc = d.accounts.get(user_id, ur.account_id);
  it.account_name = acc ? acc->account.name : "account " + std::to_string(ur.account_id);
  if (auto positions = d.user_robots->positions(user_id, ur.id, 5))
    for (const auto& p : *positions)
      if (!p.closed_ms) {
        it.open = p;
        break;
      }
  return it;
}

Screen Bot::Impl::my_robots_screen(int64_t user_id) {
  if (!d.user_robots) return plain(std::string(kUnavailable));
  auto list = d.user_robots->list(user_id);
  if (!list) return plain(std::string(kTryAgain));
  std::vector<UserRobotItem> items;
  for (const auto& ur : *list)
    if (auto it = user_robot_item(user_id, ur)) items.push_back(std::move(*it));
  return my_robots(items);
}

namespace user_robot_presses {

net::Task<void> my_robots(Pressed& x) {
  show(x, x.bot.my_robots_screen(x.actor.user_id));
  co_return;
}

// The user robot's screen, its 📈 My Statistics or its 🗃 Latest Positions.
net::Task<void> open(Pressed& x) {
  if (!available(x)) co_return;
  auto it = item_of(x);
  if (!it) co_return;
  if (x.p.action == Action::UserRobot) {
    show(x, user_robot(*it));
    co_return;
  }
  const bool stats = x.p.action == Action::MyStats;
  auto positions = x.bot.d.user_robots->positions(x.actor.user_id, x.p.id, stats ? 1000 : 10);
  if (!positions) show(x, plain(std::string(kTryAgain)));
  else show(x, stats ? user_robot_stats(*it, *positions) : user_robot_positions(*it, *positions));
}

net::Task<void> change_amount(Pressed& x) {
  if (!available(x)) co_return;
  if (auto it = item_of(x)) ask(x, Step::PickVolume, [&](int64_t gen) { return pick_volume(it->robot, gen); });
}

net::Task<void> ask_start(Pressed& x) {
  if (!available(x)) co_return;
  auto it = item_of(x);
  if (!it) co_return;
  if (auto why = not_startable(x, *it)) {
    x.bot.answer(x.q, *why, true);
    co_return;
  }
  ask(x, Step::ConfirmStart, [&](int64_t gen) { return confirm_start(*it, gen); });
}

net::Task<void> ask_stop(Pressed& x) {
  if (!available(x)) co_return;
  if (auto it = item_of(x)) ask(x, Step::ConfirmStop, [&](int64_t gen) { return telegram::ask_stop(*it, gen); });
}

net::Task<void> ask_remove(Pressed& x) {
  if (!available(x)) co_return;
  if (auto it = item_of(x)) ask(x, Step::ConfirmRemove, [&](int64_t gen) { return confirm_remove(*it, gen); });
}

namespace {
// What a confirmation does: start (resume when paused), or stop closing or keeping the position. A start
// on futures reads the leverage in effect from the exchange, as the web's does.
net::Task<Result<store::UserRobot>> act(Pressed& x) {
  auto& s = *x.bot.d.user_robots;
  const int64_t user = x.actor.user_id;
  switch (x.p.action) {
    case Action::StopClose: co_return s.stop(user, x.p.id, "close");
    case Action::StopKeep: co_return s.stop(user, x.p.id, "keep");
    default: break;
  }
  auto ur = s.get(user, x.p.id);
  if (!ur) co_return ur;
  if (ur->status == store::UserRobotStatus::Paused) co_return s.resume(user, x.p.id);
  co_return co_await s.start_trading(user, x.p.id, std::nullopt);
}
}  // namespace

net::Task<void> confirmed(Pressed& x) {
  if (!available(x)) co_return;
  const int64_t user = x.actor.user_id;
  if (x.p.action == Action::ConfirmRemove) {
    auto st = x.bot.d.user_robots->remove(user, x.p.id);
    x.c.dialog.reset(x.now);
    x.bot.answer(x.q, st ? "Deleted" : without_field(st.error()), !st);
    x.bot.edit_or_send(x.c, x.q, x.bot.my_robots_screen(user));
    co_return;
  }
  auto r = co_await act(x);
  x.c.dialog.reset(x.now);
  const bool starting = x.p.action == Action::ConfirmStart;
  x.bot.answer(x.q, r ? (starting ? "Started" : "Stopping") : without_field(r.error()), !r);
  auto ur = r ? r : x.bot.d.user_robots->get(user, x.p.id);
  auto it = ur ? x.bot.user_robot_item(user, *ur) : Result<UserRobotItem>(ur.error());
  x.bot.edit_or_send(x.c, x.q, it ? user_robot(*it) : x.bot.my_robots_screen(user));
}

// ---- following a robot ----

net::Task<void> follow(Pressed& x) {
  if (!available(x)) co_return;
  auto robot = x.bot.d.user_robots->followable(x.actor.user_id, x.p.id);
  auto views = x.bot.d.accounts.list(x.actor.user_id);
  if (!robot || !views) {
    const bool gone = !robot && robot.error().kind == ErrorKind::NotFound;
    x.bot.answer(x.q, gone ? "This robot is no longer in the catalogue." : "This cannot be read right now; try again in a moment.", true);
    co_return;
  }
  std::vector<accounts::AccountView> enabled;
  for (auto& v : *views)
    if (v.account.venue == robot->venue && v.account.status == store::AccountStatus::Enabled) enabled.push_back(std::move(v));
  x.bot.leave_step(x.c);
  x.c.dialog.begin(Step::PickAccount, x.now);
  x.c.dialog.robot_id = robot->id;
  x.bot.answer(x.q);
  x.bot.edit_or_send(x.c, x.q, pick_account(*robot, enabled, x.c.dialog.gen));
}

// x.view is the caller's account: it must be enabled and on the robot's exchange.
net::Task<void> account_picked(Pressed& x) {
  if (!available(x)) co_return;
  auto robot = x.bot.d.user_robots->followable(x.actor.user_id, x.c.dialog.robot_id);
  if (!robot) {
    x.c.dialog.reset(x.now);
    x.bot.answer(x.q, "This robot is no longer in the catalogue.", true);
    co_return;
  }
  if (x.view.account.venue != robot->venue || x.view.account.status != store::AccountStatus::Enabled) {
    x.bot.answer(x.q, "Choose an enabled " + venue_name(robot->venue) + " account.", true);
    co_return;
  }
  x.c.dialog.begin(Step::PickVolume, x.now);  // keeps robot_id
  x.c.dialog.account_id = x.p.id;
  x.bot.answer(x.q);
  x.bot.edit_or_send(x.c, x.q, pick_volume(*robot, x.c.dialog.gen));
}

// The press's id is the volume type + 1 (the route checked 1 to 3).
net::Task<void> volume_picked(Pressed& x) {
  x.c.dialog.begin(Step::AwaitAmount, x.now);  // keeps what it follows or changes
  x.c.dialog.volume_type = static_cast<int>(x.p.id - 1);
  x.bot.answer(x.q);
  x.bot.edit_or_send(x.c, x.q, ask_amount(static_cast<store::VolumeType>(x.c.dialog.volume_type), x.c.dialog.gen, ""));
  co_return;
}

}  // namespace user_robot_presses

// Step::AwaitAmount: the amount of the chosen volume type, for a new user robot or a change of one.
Turn Bot::Impl::on_amount(const Conversation& c, std::string text) {
  Turn t{c.dialog};
  const auto type = static_cast<store::VolumeType>(std::clamp(t.next.volume_type, 0, 2));
  if (looks_like_key(text)) {
    t.delete_message = true;
    t.screens.push_back(ask_amount(type, t.next.gen, "That looks like an API key or secret, not an amount, so I deleted it."));
    return t;
  }
  auto amount = Decimal::parse(trim(text));
  if (!amount || !amount->is_positive() || !d.user_robots) {
    t.screens.push_back(ask_amount(type, t.next.gen, d.user_robots ? "Send a positive number such as 100 or 0.01." : kUnavailable));
    return t;
  }
  const int64_t user = c.link->user_id;
  const bool change = t.next.user_robot_id != 0;
  auto r = change ? d.user_robots->change_volume(user, t.next.user_robot_id, type, *amount)
                  : d.user_robots->create(user, {t.next.robot_id, t.next.account_id, type, *amount});
  if (!r && r.error().kind == ErrorKind::InvalidArgument) {
    t.screens.push_back(ask_amount(type, t.next.gen, without_field(r.error())));
    return t;
  }
  t.next.reset(d.clock.now_ms());
  auto it = r ? user_robot_item(user, *r) : Result<UserRobotItem>(r.error());
  if (!it) {
    t.screens.push_back(with_menu_keyboard(plain("❌ " + html_escape(without_field(it.error())))));
    return t;
  }
  Screen s = user_robot(*it);
  s.text =
      (change ? "✅ Amount changed.\n\n" : "✅ You follow this robot now. Press " + std::string(label::kStart) + " when you are ready.\n\n") +
      s.text;
  t.screens.push_back(s);
  return t;
}

}  // namespace tb::telegram
