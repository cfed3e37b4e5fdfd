// The screens under 🤖 Robots: the menu, 🔎 Find Robots (an exchange, then its robots), a robot's ℹ️ Info
// and its 📉 Public Statistics, as the API reports them (robots::RobotBoard).
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "robots/time_text.hpp"
#include "telegram/screen_parts.hpp"
#include "telegram/screens.hpp"
#include "venues/registry.hpp"

namespace tb::telegram {

using nlohmann::json;
using namespace screen_parts;

namespace {

std::string percent(std::optional<double> v) {
  if (!v) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", *v);
  return buf;
}

std::string ratio(std::optional<double> v) {
  if (!v) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", *v);
  return buf;
}

std::string market_line(const store::Robot& r) {
  return html_escape(r.symbol) + " on " + html_escape(venue_name(r.venue)) + ", " + std::string(to_string(r.timeframe)) + " candles";
}

std::string stats_block(std::string_view title, const robots::Stats& s) {
  return "<b>" + std::string(title) + "</b>: " + std::to_string(s.trades) + " trades, net " + html_escape(s.net_profit.to_plain_string()) +
         " (" + percent(s.net_profit_pct) + "), win rate " + percent(s.win_rate) + ", profit factor " + ratio(s.profit_factor) +
         ", max drawdown " + html_escape(s.max_drawdown.to_plain_string()) + " (" + percent(s.max_drawdown_pct) + "), Sharpe " +
         ratio(s.sharpe) + "\n";
}

// "fast=3, slow=8"; the stored text itself when it is no JSON object.
std::string params_text(const std::string& params_json) {
  const auto params = json::parse(params_json, nullptr, false);
  if (!params.is_object()) return params_json;
  std::string out;
  for (const auto& [name, value] : params.items()) out += (out.empty() ? "" : ", ") + name + "=" + value.dump();
  return out;
}

std::vector<json> robot_nav(const store::Robot& r) {
  return {button(label::kBack, data::robots_of(r.venue)), button(label::kMainMenu, data::kMain)};
}

}  // namespace

Screen robots(size_t enabled_accounts) {
  Screen s;
  s.text = "<b>" + str(label::kRobots) + "</b>\n\nEach robot is a strategy on one exchange market (for example BTC/USDT on " +
           venue_list(" or ") + "). " + str(label::kFindRobots) +
           " lists them with their public statistics; follow one with an exchange "
           "account at the volume you choose. " +
           str(label::kMyRobots) +
           " holds the robots you follow: start and stop them, and see each one's position, trades, fees and net profit. I message "
           "you when a robot trades or pauses (switch it under " +
           str(label::kSettings) + ").\n\n";
  if (enabled_accounts == 0)
    s.text += "Get ready now: connect an exchange API key under " + str(label::kSettings) + " → " + str(label::kMyKeys) + ".";
  else
    s.text +=
        "You have " + std::to_string(enabled_accounts) + " exchange account" + (enabled_accounts == 1 ? "" : "s") + " ready for them.";
  s.markup = inline_keyboard({{button(label::kMyRobots, data::kMyRobots)},
                              {button(label::kFindRobots, data::kFindRobots)},
                              {button(label::kMyKeys, data::kKeys)},
                              nav_row(data::kMain)});
  return s;
}

Screen find_robots() {
  Screen s;
  s.text = "<b>" + str(label::kFindRobots) + "</b>\n\nWhich exchange?";
  std::vector<std::vector<json>> rows;
  for (const auto& v : venues::supported_venues()) rows.push_back({button(v.display_name, data::robots_of(v.id))});
  rows.push_back(nav_row(data::kRobots));
  s.markup = inline_keyboard(std::move(rows));
  return s;
}

Screen robots_list(std::string_view venue, const std::vector<robots::RobotReport>& reports) {
  Screen s;
  s.text = "<b>" + str(label::kFindRobots) + " · " + html_escape(venue_name(venue)) + "</b>\n\n";
  std::vector<std::vector<json>> rows;
  if (reports.empty()) s.text += "No robot runs on this exchange yet.";
  else s.text += "Net profit of each robot's backtest and live run, at a notional volume. Choose one to see it.";
  for (const auto& r : reports)
    rows.push_back({button(r.robot.name + " · " + r.run.stats.all.net_profit.to_plain_string(), data::robot_info(r.robot.id))});
  rows.push_back(nav_row(data::kFindRobots));
  s.markup = inline_keyboard(std::move(rows));
  return s;
}

Screen robot_info(const robots::RobotReport& r) {
  Screen s;
  s.text = "🤖 <b>" + html_escape(r.robot.name) + "</b>\n\nStrategy: <b>" + html_escape(r.robot.strategy) + "</b> " +
           html_escape(params_text(r.robot.params_json)) + "\nMarket: " + market_line(r.robot) +
           "\nStatus: " + std::string(to_string(r.robot.status));
  if (r.from_ms)
    s.text += "\nCandles: " + std::to_string(r.run.candles) + " from " + robots::iso_utc(r.from_ms) + " to " + robots::iso_utc(r.to_ms);
  if (r.run.open_position)
    s.text += "\nOpen position: " + std::string(to_string(r.run.open_position->side)) + " since " +
              robots::iso_utc(r.run.open_position->entry_time_ms) + " at " +
              html_escape(r.run.open_position->entry_price.to_plain_string());
  s.markup = inline_keyboard({{button(label::kPublicStats, data::robot_stats(r.robot.id))},
                              {button(label::kFollow, data::follow(r.robot.id))},
                              robot_nav(r.robot)});
  return s;
}

Screen robot_stats(const robots::RobotReport& r) {
  Screen s;
  s.text = "📉 <b>" + html_escape(r.robot.name) + "</b> · " + market_line(r.robot) + "\n\n" + stats_block("All", r.run.stats.all) +
           stats_block("Long", r.run.stats.longs) + stats_block("Short", r.run.stats.shorts);
  if (r.run.stats.all.trades == 0) s.text += "\nNo closed trade yet: statistics come with the robot's first trades.";
  s.markup = inline_keyboard({{button(label::kRobotInfo, data::robot_info(r.robot.id))}, robot_nav(r.robot)});
  return s;
}

}  // namespace tb::telegram
