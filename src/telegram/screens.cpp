#include "telegram/screens.hpp"

#include <algorithm>
#include <cstdint>

#include "accounts/key_guide.hpp"
#include "accounts/user_texts.hpp"
#include "core/decimal.hpp"
#include "venues/registry.hpp"

namespace tb::telegram {

namespace {

using nlohmann::json;

std::string str(std::string_view s) { return std::string(s); }

json button(std::string_view text, std::string_view data) { return {{"text", text}, {"callback_data", data}}; }

json inline_keyboard(std::vector<std::vector<json>> rows) {
  json kb = json::array();
  for (auto& row : rows) kb.push_back(row);
  return {{"inline_keyboard", kb}};
}

std::vector<json> nav_row(std::string_view back) {
  return {button(label::kBack, back), button(label::kMainMenu, data::kMain)};
}

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

std::string text_of(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string status_icon(std::string_view status) {
  if (status == "enabled") return "✅";
  if (status == "testing") return "🌀";
  if (status == "unverified") return "⏳";
  return "❌";
}

std::string status_words(std::string_view status) {
  if (status == "enabled") return "ready to trade";
  if (status == "testing") return "being tested";
  if (status == "disabled") return "disabled";
  if (status == "unverified") return "not verified yet: the exchange had trouble, I test it again by myself";
  return "not working";
}

// "2026-11-26T12:38:47.123Z" → "2026-11-26 12:38 UTC"
std::string short_time(std::string_view iso) {
  if (iso.size() < 16) return str(iso);
  return str(iso.substr(0, 10)) + " " + str(iso.substr(11, 5)) + " UTC";
}

std::string balances_lines(const json& balances, size_t max_lines = 8) {
  std::string out;
  size_t n = 0;
  if (!balances.is_array()) return out;
  for (const auto& b : balances) {
    std::string total = text_of(b, "total");
    auto d = Decimal::parse(total);
    if (!d || d->is_zero()) continue;
    if (++n > max_lines) {
      out += "  …\n";
      break;
    }
    out += "  " + html_escape(text_of(b, "asset")) + " " + d->to_plain_string() + "\n";
  }
  return out;
}

std::string step_icon(std::string_view state) {
  if (state == "ok") return "✅";
  if (state == "failed") return "❌";
  if (state == "skipped") return "⏭";
  if (state == "running") return "🌀";
  return "⏳";
}

std::string steps_block(const json& steps) {
  std::string out;
  for (const auto& [name, label] : accounts::key_test_steps()) {
    const json* found = nullptr;
    if (steps.is_array())
      for (const auto& s : steps)
        if (text_of(s, "name") == store::to_string(name)) found = &s;
    std::string state = found ? text_of(*found, "state") : "";
    out += step_icon(state) + " " + html_escape(label);
    if (found && state != "running" && state != "ok") {
      std::string msg = text_of(*found, "message");
      if (!msg.empty()) out += ": " + html_escape(msg);
    }
    out += "\n";
  }
  return out;
}

std::string account_heading(const json& v) {
  return "<b>" + html_escape(text_of(v, "name")) + "</b> · " + html_escape(text_of(v, "exchange_name")) + " · key <code>" +
         html_escape(text_of(v, "key")) + "</code>";
}

std::string order_left_open_text(const json& v) {
  auto o = v.find("order_to_cancel_by_hand");
  if (o == v.end() || !o->is_object()) return "";
  if (text_of(*o, "order_id").empty())  // the exchange never told whether it holds it
    return "⚠️ A test order may still be open on " + html_escape(text_of(*o, "symbol")) + " (client order id <code>" +
           html_escape(text_of(*o, "client_order_id")) + "</code>): I keep asking the exchange and cancel it if it is there.\n";
  return "⚠️ The test order <code>" + html_escape(text_of(*o, "order_id")) + "</code> on " + html_escape(text_of(*o, "symbol")) +
         " could not be cancelled. Cancel it by hand on the exchange; I keep trying in the background.\n";
}

std::string warnings_text(const json& v) {
  std::string out;
  auto w = v.find("warnings");
  if (w == v.end() || !w->is_array()) return out;
  for (const auto& line : *w)
    if (line.is_string()) out += "ℹ️ " + html_escape(line.get<std::string>()) + "\n";
  return out;
}

// The key guide the API sends too: the venue's how-to, one numbered line a step, where keys are made (the
// simulator's page when the venue points at it) and the IP-whitelist advice.
std::string how_to_create(std::string_view venue, const accounts::GuideOptions& options) {
  const venues::VenueDescription* v = venues::find_venue(venue);
  if (!v) return "";
  const accounts::KeyGuide g = accounts::key_guide(*v, options);
  std::string out;
  int n = 0;
  for (const auto& step : v->guide.steps) out += "\n" + std::to_string(++n) + ". " + html_escape(step);
  out += "\n" + html_escape(g.ip_advice);
  if (!g.key_page.empty()) out += "\nKeys are made here: " + html_escape(g.key_page);
  return out;
}

// The advice for the latest test and what became of a refused pair, as the API sends them.
std::string advice_text(const json& v) {
  std::string out;
  if (std::string advice = text_of(v, "advice"); !advice.empty()) out += "\nWhat to do: " + html_escape(advice);
  if (std::string note = text_of(v, "key_note"); !note.empty()) out += "\n" + html_escape(note);
  return out;
}

// Re-test while the key pair is kept; once a refusal erased it, only Replace keys can follow.
json retest_or_replace(const json& v) {
  const int64_t id = v.value("id", int64_t{0});
  return v.value("key_kept", true) ? button(label::kRetest, data::retest(id)) : button(label::kReplaceKeys, data::replace_keys(id));
}

std::string format_hint(std::string_view venue, bool secret) {
  const venues::VenueDescription* v = venues::find_venue(venue);
  if (!v) return "";
  const auto& field = secret ? v->secret : v->key;
  return " (" + std::to_string(field.length) + " characters, " + str(venues::to_string(field.alphabet)) + ")";
}

}  // namespace

MenuButton menu_button(std::string_view text) {
  static const std::vector<std::pair<std::string_view, MenuButton>> all = {
      {label::kMainMenu, MenuButton::MainMenu}, {label::kRobots, MenuButton::Robots},   {label::kPortfolio, MenuButton::Portfolio},
      {label::kSettings, MenuButton::Settings}, {label::kHelp, MenuButton::Help},       {label::kMyKeys, MenuButton::MyKeys},
      {label::kAddKey, MenuButton::AddKey},     {label::kBack, MenuButton::Back},       {label::kCancel, MenuButton::Cancel},
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
  json p = {{"chat_id", chat_id}, {"message_id", message_id}, {"text", fit(s.text)}, {"parse_mode", "HTML"},
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
  if (!d) return str(decimal);
  std::string fixed = d->abs().to_fixed(2, Rounding::HalfEven);
  auto dot = fixed.find('.');
  std::string whole = fixed.substr(0, dot), cents = dot == std::string::npos ? "00" : fixed.substr(dot + 1);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  return std::string(d->is_negative() ? "-" : "") + "$" + grouped + "." + cents;
}

std::string venue_name(std::string_view venue_id) { return str(venues::display_name_of(venue_id)); }

std::string venue_list(std::string_view last_joint) {
  const auto& all = venues::supported_venues();
  std::string out;
  for (size_t i = 0; i < all.size(); ++i)
    out += (i == 0 ? "" : i + 1 == all.size() ? str(last_joint) : ", ") + html_escape(all[i].display_name);
  return out;
}

namespace data {
std::string account(int64_t id) { return "a:" + std::to_string(id); }
std::string retest(int64_t id) { return "t:" + std::to_string(id); }
std::string rename(int64_t id) { return "n:" + std::to_string(id); }
std::string replace_keys(int64_t id) { return "x:" + std::to_string(id); }
std::string ask_delete(int64_t id) { return "d:" + std::to_string(id); }
std::string confirm_delete(int64_t gen, int64_t id) { return "D:" + std::to_string(gen) + ":" + std::to_string(id); }
std::string pick_exchange(int64_t gen, std::string_view venue) { return "e:" + std::to_string(gen) + ":" + str(venue); }
std::string cancel(int64_t gen) { return "c:" + std::to_string(gen); }
}  // namespace data

Press parse_press(std::string_view d) {
  Press p;
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    auto colon = d.find(':', start);
    parts.push_back(d.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  auto number = [](std::string_view s) -> std::optional<int64_t> {
    if (s.empty() || s.size() > 19) return std::nullopt;
    int64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9' || v > (INT64_MAX - (c - '0')) / 10) return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  const std::string_view a = parts[0];
  if (parts.size() == 1 && (a == "m" || a == "s" || a == "k" || a == "p" || a == "r" || a == "h" || a == "add")) {
    p.action = str(a);
  } else if (parts.size() == 2 && (a == "a" || a == "t" || a == "n" || a == "x" || a == "d")) {
    if (auto id = number(parts[1]); id && *id > 0) {
      p.action = str(a);
      p.id = *id;
    }
  } else if (parts.size() == 2 && a == "c") {
    if (auto g = number(parts[1])) {
      p.action = "c";
      p.gen = *g;
    }
  } else if (parts.size() == 3 && a == "D") {
    auto g = number(parts[1]);
    auto id = number(parts[2]);
    if (g && id && *id > 0) {
      p.action = "D";
      p.gen = *g;
      p.id = *id;
    }
  } else if (parts.size() == 3 && a == "e") {
    auto g = number(parts[1]);
    if (g && venues::find_venue(parts[2])) {
      p.action = "e";
      p.gen = *g;
      p.venue = str(parts[2]);
    }
  }
  return p;
}

// ---- screens ----

Screen main_menu(std::string_view greeting) {
  Screen s;
  s.text = str(greeting) + (greeting.empty() ? "" : "\n\n") + "<b>" + str(label::kMainMenu) + "</b>\n\n" + str(label::kRobots) +
           ": automated trading\n" + str(label::kPortfolio) + ": balances in USD\n" + str(label::kSettings) +
           ": your exchange API keys\n" + str(label::kHelp) + ": how this works";
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
    s.text += "Profile: this Telegram account only. To use the same keys on the web, sign in there, open Profile, "
              "create a Telegram link code and send it here as <code>/link CODE</code>.";
  else
    s.text += "Linked to the web account <b>" + html_escape(p.email) + "</b>.";
  s.markup = inline_keyboard({{button(label::kMyKeys, data::kKeys)}, nav_row(data::kMain)});
  return s;
}

Screen keys_list(const json& accounts) {
  Screen s;
  s.protect = true;
  s.text = "<b>" + str(label::kMyKeys) + "</b>\n\n";
  std::vector<std::vector<json>> rows;
  if (!accounts.is_array() || accounts.empty()) {
    s.text += "No exchange API key yet. Add one: it is tested at once by creating an order far below the market and "
              "cancelling it immediately.";
  } else {
    s.text += "✅ ready · ❌ not working · 🌀 being tested. Choose one to see it, rename, re-test or delete it.";
    for (const auto& v : accounts) {
      std::string status = text_of(v, "status");
      std::string text = status_icon(status) + " " + text_of(v, "name") + " · " + format_usd(text_of(v, "usd_total"));
      rows.push_back({button(text, data::account(v.value("id", int64_t{0})))});
    }
  }
  rows.push_back({button(label::kAddKey, data::kAdd)});
  rows.push_back(nav_row(data::kSettings));
  s.markup = inline_keyboard(std::move(rows));
  return s;
}

Screen account(const json& v) {
  const int64_t id = v.value("id", int64_t{0});
  std::string status = text_of(v, "status");
  Screen s;
  s.protect = true;
  s.text = status_icon(status) + " " + account_heading(v) + "\n\n";
  s.text += "Status: " + status_words(status);
  std::string reason = text_of(v, "reason");
  if (!reason.empty() && status != "enabled") s.text += "\nReason: " + html_escape(reason);
  if (status != "enabled") s.text += advice_text(v);
  s.text += "\nBalance: " + format_usd(text_of(v, "usd_total")) + "\n";
  s.text += balances_lines(v.value("balances", json::array()));
  std::string checked = text_of(v, "last_checked_at");
  s.text += "Last check: " + (checked.empty() ? std::string("not yet") : short_time(checked)) + "\n";
  std::string extra = order_left_open_text(v) + warnings_text(v);
  if (!extra.empty()) s.text += "\n" + extra;
  std::vector<json> second = {button(label::kDelete, data::ask_delete(id))};
  if (v.value("key_kept", true)) second.insert(second.begin(), button(label::kRetest, data::retest(id)));
  s.markup = inline_keyboard({{button(label::kRename, data::rename(id)), button(label::kReplaceKeys, data::replace_keys(id))},
                              std::move(second), nav_row(data::kKeys)});
  return s;
}

Screen pick_exchange(int64_t gen) {
  Screen s;
  s.text = "<b>" + str(label::kAddKey) + "</b>\n\nWhich exchange is the key for?";
  std::vector<std::vector<json>> rows;
  for (const auto& v : venues::supported_venues()) rows.push_back({button(v.display_name, data::pick_exchange(gen, v.id))});
  rows.push_back({button(label::kCancel, data::cancel(gen))});
  s.markup = inline_keyboard(std::move(rows));
  return s;
}

Screen ask_key(std::string_view venue, int64_t gen, const accounts::GuideOptions& guide, std::string_view replacing_name) {
  Screen s;
  s.text = "<b>" + html_escape(venue_name(venue)) + "</b>";
  if (!replacing_name.empty()) s.text += " · new keys for <b>" + html_escape(replacing_name) + "</b>";
  s.text += "\n\nHow to create the key:" + how_to_create(venue, guide) + "\n\nSend the <b>API Key</b>" + format_hint(venue, false) + ".";
  s.markup = inline_keyboard({{button(label::kCancel, data::cancel(gen))}});
  return s;
}

Screen ask_key_again(std::string_view venue, int64_t gen, std::string_view why) {
  Screen s;
  s.text = "❌ " + html_escape(why) + "\n\nSend the <b>API Key</b> of your " + html_escape(venue_name(venue)) + " key again" +
           format_hint(venue, false) + ", or cancel.";
  s.markup = inline_keyboard({{button(label::kCancel, data::cancel(gen))}});
  return s;
}

Screen ask_secret(std::string_view venue, std::string_view masked_key, int64_t gen) {
  Screen s;
  s.protect = true;
  s.text = "🔑 API Key received: <code>" + html_escape(masked_key) +
           "</code>. I deleted your message.\n\nNow send the <b>API Secret (Private Key)</b>" + format_hint(venue, true) +
           ". I delete that message as soon as I have read it, and never show the secret again.";
  s.markup = inline_keyboard({{button(label::kCancel, data::cancel(gen))}});
  return s;
}

Screen ask_secret_again(int64_t gen, std::string_view why) {
  Screen s;
  s.text = "❌ " + html_escape(why) + "\n\nSend the <b>API Secret (Private Key)</b> again, or cancel.";
  s.markup = inline_keyboard({{button(label::kCancel, data::cancel(gen))}});
  return s;
}

Screen ask_code(int64_t gen, std::string_view why) {
  Screen s;
  s.text = (why.empty() ? std::string("🔐 Two-factor authentication is on for your account.")
                        : "❌ " + html_escape(why)) +
           "\n\nSend the current <b>6-digit code</b> from your authenticator app (or a recovery code) to add these keys.";
  s.markup = inline_keyboard({{button(label::kCancel, data::cancel(gen))}});
  return s;
}

Screen checking(const json& v, const json& steps) {
  Screen s;
  s.protect = true;
  s.text = "🌀 Checking your key…\n\n" + account_heading(v) +
           "\nAn order is created far below the market and cancelled at once, to prove the key can trade.\n\n" +
           steps_block(steps);
  return s;
}

Screen check_result(const json& v, bool asks_again) {
  std::string status = text_of(v, "status");
  json steps = v.contains("test") && v["test"].is_object() ? v["test"].value("steps", json::array()) : json::array();
  Screen s;
  s.protect = true;
  if (status == "enabled") {
    s.text = "✅ Your key is ready.\n\n" + account_heading(v) + "\nBalance: " + format_usd(text_of(v, "usd_total")) + "\n" +
             balances_lines(v.value("balances", json::array())) + "\n" + steps_block(steps);
    std::string extra = order_left_open_text(v) + warnings_text(v);
    if (!extra.empty()) s.text += "\n" + extra;
    s.text += "\nNext: automated trading, in " + str(label::kMainMenu) + " → " + str(label::kRobots) + ".";
    s.markup = inline_keyboard({{button(label::kRobots, data::kRobots), button(label::kMyKeys, data::kKeys)},
                                {button(label::kMainMenu, data::kMain)}});
    return s;
  }
  std::string reason = text_of(v, "reason");
  s.text = "❌ The key was not accepted.\n\n" + account_heading(v) + "\n\n" + steps_block(steps) + "\n" +
           (reason.empty() ? std::string("The test did not finish.") : html_escape(reason)) + advice_text(v) + "\n";
  std::string extra = order_left_open_text(v);
  if (!extra.empty()) s.text += "\n" + extra;
  if (asks_again) {
    s.text += "\nSend the API Key again (a corrected or new key) in your next message.";
    s.markup = json();  // the prompt follows as its own message with a Cancel button
  } else {
    s.markup = inline_keyboard({{retest_or_replace(v), button(label::kMyKeys, data::kKeys)}, {button(label::kMainMenu, data::kMain)}});
  }
  return s;
}

Screen ask_name(const json& v, int64_t gen) {
  Screen s;
  s.text = "Send the new name for " + account_heading(v) + " (at most 64 characters).";
  s.markup = inline_keyboard({{button(label::kCancel, data::cancel(gen))}});
  return s;
}

Screen ask_name_again(int64_t gen, std::string_view why) {
  Screen s;
  s.text = "❌ " + html_escape(why) + "\n\nSend another name, or cancel.";
  s.markup = inline_keyboard({{button(label::kCancel, data::cancel(gen))}});
  return s;
}

Screen confirm_delete(const json& v, int64_t gen) {
  const int64_t id = v.value("id", int64_t{0});
  Screen s;
  s.text = "Delete " + account_heading(v) +
           "?\n\nIts encrypted key is erased from this server. The key itself stays on the exchange: delete it there too if "
           "you no longer need it.";
  s.markup = inline_keyboard({{button(label::kYesDelete, data::confirm_delete(gen, id)), button(label::kNoKeep, data::account(id))}});
  return s;
}

Screen portfolio(const json& p) {
  Screen s;
  s.text = "<b>" + str(label::kPortfolio) + "</b>\n\nTotal: <b>" + format_usd(text_of(p, "usd_total")) + "</b>\n";
  auto accounts = p.value("accounts", json::array());
  if (accounts.empty())
    s.text += "\nNo working exchange account yet: add a key under " + str(label::kSettings) + " → " + str(label::kMyKeys) + ".";
  for (const auto& a : accounts) {
    s.text += "\n<b>" + html_escape(text_of(a, "name")) + "</b> · " + html_escape(venue_name(text_of(a, "exchange"))) + " · " +
              format_usd(text_of(a, "usd_total")) + "\n" + balances_lines(a.value("balances", json::array()));
  }
  s.markup = inline_keyboard({{button(label::kMyKeys, data::kKeys)}, nav_row(data::kMain)});
  return s;
}

Screen robots(size_t enabled_accounts) {
  Screen s;
  s.text = "<b>" + str(label::kRobots) +
           "</b>\n\nTrading robots are coming to tradebridge soon. This screen will hold them: each robot is a strategy on "
           "one exchange market (for example BTC/USDT on " + venue_list(" or ") + ") that buys and sells with one of your "
           "exchange accounts at the volume you choose. Here you will start and stop robots, and see each one's open "
           "position, trades, fees, net profit, win rate and drawdown; I will message you when a robot opens or closes a "
           "trade or stops on an error.\n\n";
  if (enabled_accounts == 0)
    s.text += "Get ready now: connect an exchange API key under " + str(label::kSettings) + " → " + str(label::kMyKeys) + ".";
  else
    s.text += "You have " + std::to_string(enabled_accounts) + " exchange account" + (enabled_accounts == 1 ? "" : "s") +
              " ready for them.";
  s.markup = inline_keyboard({{button(label::kMyKeys, data::kKeys)}, nav_row(data::kMain)});
  return s;
}

Screen help() {
  Screen s;
  s.text = "<b>" + str(label::kHelp) +
           "</b>\n\ntradebridge trades for you on " + venue_list(" and ") + " with the API key of your "
           "exchange account. A key is tested when you add it: an order is created far below the market and cancelled "
           "at once. Keys that can withdraw are refused. The secret is kept encrypted, never shown again, and the "
           "message that carried it is deleted as soon as it is read.\n\n"
           "/menu: main menu\n/keys: your exchange API keys\n/balance: portfolio in USD\n/cancel: stop what you are "
           "doing\n/link CODE: use the keys of your web account here (the code is on the web Profile page)\n/help: this "
           "text\n\nAdd a key: " + str(label::kSettings) + " → " + str(label::kMyKeys) + " → " + str(label::kAddKey) + ".";
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
  s.text = "⚠️ That looked like an API key or secret, so I deleted your message. To add a key use " + str(label::kSettings) +
           " → " + str(label::kMyKeys) + " → " + str(label::kAddKey) + ".";
  return s;
}

Screen private_only() {
  Screen s;
  s.text = "I only work in a private chat: open a chat with me to manage your exchange keys. Never post API keys in a group.";
  return s;
}

Screen key_rejected_notice(const json& v) {
  const int64_t id = v.value("id", int64_t{0});
  Screen s;
  s.protect = true;
  s.text = "⚠️ The exchange started rejecting a key.\n\n" + account_heading(v) + "\n\n" + html_escape(text_of(v, "reason")) +
           advice_text(v) + "\n\nNothing trades with this account until its key works again: check the key on the exchange, then replace it "
           "or test it again.";
  s.markup = inline_keyboard({{button(label::kReplaceKeys, data::replace_keys(id)), button(label::kRetest, data::retest(id))},
                              {button("Open " + text_of(v, "name"), data::account(id))}});
  return s;
}

Screen order_left_open_notice(const json& v) {
  const int64_t id = v.value("id", int64_t{0});
  Screen s;
  s.protect = true;
  s.text = "⚠️ A test order is still open.\n\n" + account_heading(v) + "\n\n" + order_left_open_text(v);
  s.markup = inline_keyboard({{button("Open " + text_of(v, "name"), data::account(id))}});
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


}  // namespace tb::telegram
