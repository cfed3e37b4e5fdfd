// The screens under Settings → My Exchange API Keys: the list, an account's own screen, adding a key (the
// exchange, the key, the secret, the code), the key test as it runs and its result, renaming, deleting, and
// the notices about a key.
#include <cstdint>

#include "accounts/key_guide.hpp"
#include "accounts/user_texts.hpp"
#include "telegram/screen_parts.hpp"
#include "telegram/screens.hpp"
#include "venues/registry.hpp"

namespace tb::telegram {

using nlohmann::json;
using namespace screen_parts;

namespace {

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

Screen keys_list(const json& accounts) {
  Screen s;
  s.protect = true;
  s.text = "<b>" + str(label::kMyKeys) + "</b>\n\n";
  std::vector<std::vector<json>> rows;
  if (!accounts.is_array() || accounts.empty()) {
    s.text +=
        "No exchange API key yet. Add one: it is tested at once by creating an order far below the market and "
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
                              std::move(second),
                              nav_row(data::kKeys)});
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
  s.text = (why.empty() ? std::string("🔐 Two-factor authentication is on for your account.") : "❌ " + html_escape(why)) +
           "\n\nSend the current <b>6-digit code</b> from your authenticator app (or a recovery code) to add these keys.";
  s.markup = inline_keyboard({{button(label::kCancel, data::cancel(gen))}});
  return s;
}

Screen checking(const json& v, const json& steps) {
  Screen s;
  s.protect = true;
  s.text = "🌀 Checking your key…\n\n" + account_heading(v) +
           "\nAn order is created far below the market and cancelled at once, to prove the key can trade.\n\n" + steps_block(steps);
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
    s.markup = inline_keyboard(
        {{button(label::kRobots, data::kRobots), button(label::kMyKeys, data::kKeys)}, {button(label::kMainMenu, data::kMain)}});
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

Screen key_rejected_notice(const json& v) {
  const int64_t id = v.value("id", int64_t{0});
  Screen s;
  s.protect = true;
  s.text = "⚠️ The exchange started rejecting a key.\n\n" + account_heading(v) + "\n\n" + html_escape(text_of(v, "reason")) +
           advice_text(v) +
           "\n\nNothing trades with this account until its key works again: check the key on the exchange, then replace it "
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

}  // namespace tb::telegram
