// The screens of the main menu and what hangs off it directly (Settings, Portfolio, Robots, Help), the
// plain answers, the labels and how a screen becomes sendMessage parameters; the parts every screen uses.
#include "telegram/screens.hpp"

#include <algorithm>
#include <cstdint>

#include "core/decimal.hpp"
#include "telegram/screen_parts.hpp"
#include "venues/registry.hpp"

namespace tb::telegram {

using nlohmann::json;

namespace screen_parts {

json button(std::string_view text, std::string_view data) { return {{"text", text}, {"callback_data", data}}; }

json inline_keyboard(std::vector<std::vector<json>> rows) {
  json kb = json::array();
  for (auto& row : rows) kb.push_back(row);
  return {{"inline_keyboard", kb}};
}

std::vector<json> nav_row(std::string_view back) { return {button(label::kBack, back), button(label::kMainMenu, data::kMain)}; }

std::string balances_lines(const std::vector<Balance>& balances, size_t max_lines) {
  std::string out;
  size_t n = 0;
  for (const auto& b : balances) {
    if (b.total.is_zero()) continue;
    if (++n > max_lines) {
      out += "  …\n";
      break;
    }
    out += "  " + html_escape(b.asset) + " " + b.total.to_plain_string() + "\n";
  }
  return out;
}

}  // namespace screen_parts

using namespace screen_parts;

namespace {

std::string without_variation_selectors(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  static const std::string vs16 = "\xEF\xB8\x8F";  // U+FE0F
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, vs16.size(), vs16) == 0) {
      i += vs16.size();
      continue;
    }
    out += s[i++];
  }
  return out;
}

}  // namespace

MenuButton menu_button(std::string_view text) {
  static const std::vector<std::pair<std::string_view, MenuButton>> all = {
      {label::kMainMenu, MenuButton::MainMenu}, {label::kRobots, MenuButton::Robots}, {label::kPortfolio, MenuButton::Portfolio},
      {label::kSettings, MenuButton::Settings}, {label::kHelp, MenuButton::Help},     {label::kMyKeys, MenuButton::MyKeys},
      {label::kAddKey, MenuButton::AddKey},     {label::kBack, MenuButton::Back},     {label::kCancel, MenuButton::Cancel},
  };
  std::string plain = without_variation_selectors(text);
  while (!plain.empty() && (plain.back() == ' ' || plain.back() == '\n')) plain.pop_back();
  for (const auto& [l, b] : all)
    if (text == l || plain == without_variation_selectors(l)) return b;
  return MenuButton::None;
}

namespace {
// Our screens keep each tag within a line, so cutting at a line end keeps the HTML whole. Bytes bound the
// characters Telegram counts.
std::string fit(const std::string& text) {
  constexpr size_t kMax = 3800;
  if (text.size() <= kMax) return text;
  auto cut = text.rfind('\n', kMax);
  return text.substr(0, cut == std::string::npos ? kMax : cut) + "\n…";
}
}  // namespace

json send_params(int64_t chat_id, const Screen& s) {
  json p = {{"chat_id", chat_id}, {"text", fit(s.text)}, {"parse_mode", "HTML"}, {"link_preview_options", {{"is_disabled", true}}}};
  if (!s.markup.is_null()) p["reply_markup"] = s.markup;
  if (s.protect) p["protect_content"] = true;
  return p;
}

json edit_params(int64_t chat_id, int64_t message_id, const Screen& s) {
  json p = {{"chat_id", chat_id},
            {"message_id", message_id},
            {"text", fit(s.text)},
            {"parse_mode", "HTML"},
            {"link_preview_options", {{"is_disabled", true}}}};
  // Only an inline keyboard can be edited in; leaving it out removes the one the message had.
  if (s.markup.is_object() && s.markup.contains("inline_keyboard")) p["reply_markup"] = s.markup;
  return p;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

std::string format_usd(std::string_view decimal) {
  auto d = Decimal::parse(decimal);
  return d ? format_usd(*d) : str(decimal);
}

std::string format_usd(const Decimal& d) {
  std::string fixed = d.abs().to_fixed(2, Rounding::HalfEven);
  auto dot = fixed.find('.');
  std::string whole = fixed.substr(0, dot), cents = dot == std::string::npos ? "00" : fixed.substr(dot + 1);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  return std::string(d.is_negative() ? "-" : "") + "$" + grouped + "." + cents;
}

std::string venue_name(std::string_view venue_id) { return str(venues::display_name_of(venue_id)); }

std::string venue_list(std::string_view last_joint) {
  const auto& all = venues::supported_venues();
  std::string out;
  for (size_t i = 0; i < all.size(); ++i)
    out += (i == 0 ? "" : i + 1 == all.size() ? str(last_joint) : ", ") + html_escape(all[i].display_name);
  return out;
}

// ---- screens ----

Screen main_menu(std::string_view greeting) {
  Screen s;
  s.text = str(greeting) + (greeting.empty() ? "" : "\n\n") + "<b>" + str(label::kMainMenu) + "</b>\n\n" + str(label::kRobots) +
           ": automated trading\n" + str(label::kPortfolio) + ": balances in USD\n" + str(label::kSettings) + ": your exchange API keys\n" +
           str(label::kHelp) + ": how this works";
  json rows = json::array();
  rows.push_back(json::array({str(label::kRobots), str(label::kPortfolio)}));
  rows.push_back(json::array({str(label::kSettings), str(label::kHelp)}));
  s.markup = {{"keyboard", rows}, {"resize_keyboard", true}, {"is_persistent", true}};
  return s;
}

Screen main_menu_inline() {
  Screen s;
  s.text = "<b>" + str(label::kMainMenu) + "</b>\n\nWhat would you like to do?";
  s.markup = inline_keyboard({{button(label::kRobots, data::kRobots), button(label::kPortfolio, data::kPortfolio)},
                              {button(label::kSettings, data::kSettings), button(label::kHelp, data::kHelp)}});
  return s;
}

Screen settings(const Profile& p) {
  Screen s;
  s.text = "<b>" + str(label::kSettings) + "</b>\n\n";
  s.text += "Exchange API keys: " + std::to_string(p.accounts) + " connected.\n";
  if (p.email.empty())
    s.text +=
        "Profile: this Telegram account only. To use the same keys on the web, sign in there, open Profile, "
        "create a Telegram link code and send it here as <code>/link CODE</code>.";
  else s.text += "Linked to the web account <b>" + html_escape(p.email) + "</b>.";
  s.text += p.notices ? "\n\nRobot notifications are on: I message you each trade (price, amount, fee, profit), a robot paused and "
                        "an order on your account that is not ours. Press the button to turn them off."
                      : "\n\nRobot notifications are off: robots trade and pause without a message here. Press the button to turn "
                        "them on.";
  s.markup = inline_keyboard({{button(label::kMyKeys, data::kKeys)},
                              {button(p.notices ? label::kNoticesOn : label::kNoticesOff, data::kNotices)},
                              nav_row(data::kMain)});
  return s;
}

Screen portfolio(const accounts::PortfolioView& p) {
  Screen s;
  s.text = "<b>" + str(label::kPortfolio) + "</b>\n\nTotal: <b>" + format_usd(p.usd_total) + "</b>\n";
  if (p.accounts.empty())
    s.text += "\nNo working exchange account yet: add a key under " + str(label::kSettings) + " → " + str(label::kMyKeys) + ".";
  for (const auto& a : p.accounts) {
    s.text += "\n<b>" + html_escape(a.name) + "</b> · " + html_escape(venue_name(a.venue)) + " · " + format_usd(a.usd_total) + "\n" +
              balances_lines(a.portfolio.balances);
  }
  s.markup = inline_keyboard({{button(label::kMyKeys, data::kKeys)}, nav_row(data::kMain)});
  return s;
}

Screen help() {
  Screen s;
  s.text = "<b>" + str(label::kHelp) + "</b>\n\ntradebridge trades for you on " + venue_list(" and ") +
           " with the API key of your "
           "exchange account. A key is tested when you add it: an order is created far below the market and cancelled "
           "at once. Keys that can withdraw are refused. The secret is kept encrypted, never shown again, and the "
           "message that carried it is deleted as soon as it is read.\n\n"
           "/menu: main menu\n/keys: your exchange API keys\n/balance: portfolio in USD\n/cancel: stop what you are "
           "doing\n/link CODE: use the keys of your web account here (the code is on the web Profile page)\n/help: this "
           "text\n\nAdd a key: " +
           str(label::kSettings) + " → " + str(label::kMyKeys) + " → " + str(label::kAddKey) + ".";
  s.markup = inline_keyboard({nav_row(data::kMain)});
  return s;
}

Screen cancelled() {
  Screen s;
  s.text = "Cancelled. Nothing was saved from this step.";
  return s;
}

Screen not_understood() {
  Screen s;
  s.text = "I did not understand that. Use the menu below, or /help.";
  return s;
}

Screen key_like_message_deleted() {
  Screen s;
  s.text = "⚠️ That looked like an API key or secret, so I deleted your message. To add a key use " + str(label::kSettings) + " → " +
           str(label::kMyKeys) + " → " + str(label::kAddKey) + ".";
  return s;
}

Screen private_only() {
  Screen s;
  s.text = "I only work in a private chat: open a chat with me to manage your exchange keys. Never post API keys in a group.";
  return s;
}

json bot_commands() {
  return json::array({{{"command", "menu"}, {"description", "Main menu"}},
                      {{"command", "keys"}, {"description", "My exchange API keys"}},
                      {{"command", "balance"}, {"description", "Portfolio: balances in USD"}},
                      {{"command", "cancel"}, {"description", "Cancel the current step"}},
                      {{"command", "help"}, {"description", "How this bot works"}},
                      {{"command", "link"}, {"description", "Link your web account: /link CODE"}},
                      {{"command", "start"}, {"description", "Start"}}});
}

Screen plain(std::string text) {
  Screen s;
  s.text = std::move(text);
  return s;
}

Screen with_menu_keyboard(Screen s) {
  s.markup = main_menu("").markup;
  return s;
}

}  // namespace tb::telegram
