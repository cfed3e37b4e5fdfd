// The screens of 🤖 My Robots: the list, a user robot's screen with its 📈 My Statistics and 🗃 Latest
// Positions, the confirmations of 🟢 Start (the risk), ⛔ Stop (close or keep) and ❌ Delete, and the
// steps of following a robot (an account, the volume type, the amount). The same words as the web's.
#include "robots/time_text.hpp"
#include "telegram/screen_parts.hpp"
#include "telegram/screens.hpp"
#include "trading/position.hpp"

namespace tb::telegram {

using nlohmann::json;
using namespace screen_parts;

namespace {

std::string_view status_icon(store::UserRobotStatus s) {
  switch (s) {
    case store::UserRobotStatus::Started: return "🟢";
    case store::UserRobotStatus::Starting: return "⏳";
    case store::UserRobotStatus::Paused: return "⏸";
    case store::UserRobotStatus::Stopping: return "⏳";
    case store::UserRobotStatus::Stopped: return "⚪️";
  }
  return "";
}

std::string volume_text(const store::UserRobot& ur) {
  const std::string v = html_escape(ur.volume.to_plain_string());
  switch (ur.volume_type) {
    case store::VolumeType::AssetFixed: return v + " of the asset";
    case store::VolumeType::QuoteFixed: return v + " of the quote currency";
    case store::VolumeType::BalancePercent: return v + "% of the free balance";
  }
  return v;
}

std::string title(const UserRobotItem& it) {
  return "🤖 <b>" + html_escape(it.robot.name) + "</b> · " + html_escape(it.robot.symbol) + " on " +
         html_escape(venue_name(it.robot.venue));
}

std::string position_line(const store::RobotPosition& p) {
  std::string line = html_escape(p.side) + " " + html_escape((p.entered - p.exited).to_plain_string()) + " at " +
                     html_escape(p.entry_price.to_plain_string()) + " since " + robots::iso_utc(p.opened_ms);
  if (p.closed_ms)
    line = html_escape(p.side) + " " + html_escape(p.entered.to_plain_string()) + ": " + html_escape(p.entry_price.to_plain_string()) +
           " → " + html_escape(p.exit_price.to_plain_string()) + ", fees " + html_escape(p.fees.to_plain_string()) + ", profit " +
           (p.profit ? html_escape(p.profit->to_plain_string()) : std::string("—")) + " (" + robots::iso_utc(*p.closed_ms) + ")";
  return line;
}

std::vector<json> back_to(const UserRobotItem& it) {
  return {button(label::kBack, data::user_robot(it.ur.id)), button(label::kMainMenu, data::kMain)};
}

}  // namespace

Screen my_robots(const std::vector<UserRobotItem>& items) {
  Screen s;
  s.text = "<b>" + str(label::kMyRobots) + "</b>\n\n";
  if (items.empty())
    s.text += "You follow no robot yet. Open " + str(label::kFindRobots) + ", choose a robot and press " + str(label::kFollow) + ".";
  else s.text += "The robots your exchange accounts follow. Choose one to start, stop or change it.";
  std::vector<std::vector<json>> rows;
  for (const auto& it : items)
    rows.push_back(
        {button(std::string(status_icon(it.ur.status)) + " " + it.robot.name + " · " + it.account_name, data::user_robot(it.ur.id))});
  rows.push_back({button(label::kFindRobots, data::kFindRobots)});
  rows.push_back(nav_row(data::kRobots));
  s.markup = inline_keyboard(std::move(rows));
  return s;
}

Screen user_robot(const UserRobotItem& it) {
  Screen s;
  const auto st = it.ur.status;
  s.text = title(it) + "\n\nStatus: " + std::string(status_icon(st)) + " <b>" + std::string(store::to_string(st)) + "</b>";
  if (!it.ur.message.empty()) s.text += "\n⚠️ " + html_escape(it.ur.message);
  s.text += "\nAccount: " + html_escape(it.account_name) + "\nVolume: " + volume_text(it.ur);
  if (it.ur.leverage) s.text += "\nLeverage: " + std::to_string(*it.ur.leverage) + "× (in effect on the exchange at the start)";
  s.text += "\nPosition: " + (it.open ? position_line(*it.open) : std::string("none"));
  std::vector<std::vector<json>> rows{
      {button(label::kMyStats, data::my_stats(it.ur.id)), button(label::kPositions, data::positions(it.ur.id))},
      {button(label::kChangeAmount, data::change_amount(it.ur.id))}};
  std::vector<json> run;
  if (st == store::UserRobotStatus::Stopped || st == store::UserRobotStatus::Paused)
    run.push_back(button(label::kStart, data::ask_start(it.ur.id)));
  if (st != store::UserRobotStatus::Stopped && st != store::UserRobotStatus::Stopping)
    run.push_back(button(label::kStop, data::ask_stop(it.ur.id)));
  if (st == store::UserRobotStatus::Stopped) run.push_back(button(label::kRemoveRobot, data::ask_remove(it.ur.id)));
  if (!run.empty()) rows.push_back(std::move(run));
  rows.push_back(nav_row(data::kMyRobots));
  s.markup = inline_keyboard(std::move(rows));
  return s;
}

Screen user_robot_stats(const UserRobotItem& it, const std::vector<store::RobotPosition>& positions) {
  const trading::Statistics st = trading::statistics_of(positions);
  Screen s;
  s.text = title(it) + "\n\n<b>" + str(label::kMyStats) + "</b> (real fills)\nClosed positions: " + std::to_string(st.closed) +
           "\nWins: " + std::to_string(st.wins);
  if (auto rate = st.win_rate(1)) s.text += " (" + rate->to_plain_string() + "%)";
  s.text += "\nNet profit: " + html_escape(st.net_profit.to_plain_string()) + "\nFees: " + html_escape(st.fees.to_plain_string());
  s.markup = inline_keyboard({back_to(it)});
  return s;
}

Screen user_robot_positions(const UserRobotItem& it, const std::vector<store::RobotPosition>& positions) {
  Screen s;
  s.text = title(it) + "\n\n<b>" + str(label::kPositions) + "</b>\n";
  if (positions.empty()) s.text += "No position yet: the robot opens one at its next signal once started.";
  for (const auto& p : positions) s.text += "\n• " + position_line(p);
  s.markup = inline_keyboard({back_to(it)});
  return s;
}

Screen confirm_start(const UserRobotItem& it, int64_t gen) {
  Screen s;
  s.text = title(it) + "\n\n⚠️ <b>Start trading?</b> The robot will place real orders on <b>" + html_escape(it.account_name) +
           "</b> at " + volume_text(it.ur) +
           " each time it signals. Trading is risky: you can lose money, and past results do not promise future ones.";
  s.markup = inline_keyboard({{button(label::kYesStart, data::confirm_start(gen, it.ur.id))}, {button(label::kCancel, data::cancel(gen))}});
  return s;
}

Screen ask_stop(const UserRobotItem& it, int64_t gen) {
  Screen s;
  s.text = title(it) +
           "\n\n<b>Stop the robot?</b> Close: its open orders are cancelled and its position is closed at market. "
           "Keep: the position stays on the exchange for you to manage.";
  s.markup = inline_keyboard({{button(label::kStopClose, data::stop_close(gen, it.ur.id))},
                              {button(label::kStopKeep, data::stop_keep(gen, it.ur.id))},
                              {button(label::kCancel, data::cancel(gen))}});
  return s;
}

Screen confirm_remove(const UserRobotItem& it, int64_t gen) {
  Screen s;
  s.text = title(it) + "\n\n<b>Delete this robot from " + str(label::kMyRobots) + "?</b> Its positions and orders are kept in the history.";
  s.markup =
      inline_keyboard({{button(label::kYesRemove, data::confirm_remove(gen, it.ur.id))}, {button(label::kCancel, data::cancel(gen))}});
  return s;
}

Screen pick_account(const store::Robot& r, const std::vector<accounts::AccountView>& enabled, int64_t gen) {
  Screen s;
  s.text = "🤖 <b>" + html_escape(r.name) + "</b>\n\n";
  std::vector<std::vector<json>> rows;
  if (enabled.empty()) {
    s.text += "You have no enabled " + html_escape(venue_name(r.venue)) + " account to follow it with. Add a key under " +
              str(label::kMyKeys) + ".";
    rows.push_back({button(label::kAddKey, data::kAdd)});
  } else {
    s.text += "Which of your " + html_escape(venue_name(r.venue)) + " accounts trades it?";
  }
  for (const auto& v : enabled) rows.push_back({button(v.account.name, data::pick_account(gen, v.account.id))});
  rows.push_back({button(label::kCancel, data::cancel(gen))});
  s.markup = inline_keyboard(std::move(rows));
  return s;
}

Screen pick_volume(const store::Robot& r, int64_t gen) {
  Screen s;
  s.text = "🤖 <b>" + html_escape(r.name) + "</b> · " + html_escape(r.symbol) + "\n\nHow much does each trade use?";
  s.markup = inline_keyboard({{button(label::kAssetFixed, data::pick_volume(gen, 1))},
                              {button(label::kQuoteFixed, data::pick_volume(gen, 2))},
                              {button(label::kBalancePercent, data::pick_volume(gen, 3))},
                              {button(label::kCancel, data::cancel(gen))}});
  return s;
}

Screen ask_amount(store::VolumeType type, int64_t gen, std::string_view why) {
  Screen s;
  s.text = why.empty() ? std::string() : "❌ " + html_escape(why) + "\n\n";
  switch (type) {
    case store::VolumeType::AssetFixed:
      s.text += "Send the amount of the asset each trade buys or sells, for example <code>0.01</code>.";
      break;
    case store::VolumeType::QuoteFixed:
      s.text += "Send the amount of the quote currency each trade uses, for example <code>100</code>.";
      break;
    case store::VolumeType::BalancePercent:
      s.text += "Send the share of the free balance each trade uses, 1 to 100, for example <code>10</code>.";
      break;
  }
  s.text += " The exchange's minimum order applies.";
  s.markup = inline_keyboard({{button(label::kCancel, data::cancel(gen))}});
  return s;
}

}  // namespace tb::telegram
