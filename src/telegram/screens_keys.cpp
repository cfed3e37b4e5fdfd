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

using accounts::AccountView;
using store::AccountStatus;

std::string status_icon(AccountStatus status) {
  switch (status) {
    case AccountStatus::Enabled: return "✅";
    case AccountStatus::Testing: return "🌀";
    case AccountStatus::Unverified: return "⏳";
    default: return "❌";
  }
}

std::string status_words(AccountStatus status) {
  switch (status) {
    case AccountStatus::Enabled: return "ready to trade";
    case AccountStatus::Testing: return "being tested";
    case AccountStatus::Disabled: return "disabled";
    case AccountStatus::Unverified: return "not verified yet: the exchange had trouble, I test it again by myself";
    default: return "not working";
  }
}

// "2026-11-26 12:38 UTC"
std::string short_time(int64_t ms) {
  const std::string iso = accounts::iso_time(ms);
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string step_icon(std::optional<store::StepState> state) {
  if (!state) return "⏳";
  switch (*state) {
    case store::StepState::Ok: return "✅";
    case store::StepState::Failed: return "❌";
    case store::StepState::Skipped: return "⏭";
    case store::StepState::Running: return "🌀";
    default: return "⏳";
  }
}

std::string steps_block(const std::vector<store::KeyTestStep>& steps) {
  std::string out;
  for (const auto& [name, label] : accounts::key_test_steps()) {
    const store::KeyTestStep* found = nullptr;
    for (const auto& s : steps)
      if (s.name == name) found = &s;
    out += step_icon(found ? std::optional(found->state) : std::nullopt) + " " + html_escape(label);
    if (found && found->state != store::StepState::Running && found->state != store::StepState::Ok && !found->message.empty())
      out += ": " + html_escape(found->message);
    out += "\n";
  }
  return out;
}

const std::vector<store::KeyTestStep>& last_steps(const AccountView& v) {
  static const std::vector<store::KeyTestStep> none;
  return v.last_test ? v.last_test->steps : none;
}

std::string account_heading(const AccountView& v) {
  return "<b>" + html_escape(v.account.name) + "</b> · " + html_escape(venue_name(v.account.venue)) + " · key <code>" +
         html_escape(v.account.masked_key) + "</code>";
}

std::string order_left_open_text(const AccountView& v) {
  const store::OrderRecord* o = accounts::order_to_cancel_by_hand(v);
  if (!o) return "";
  if (o->venue_order_id.empty())  // the exchange never told whether it holds it
    return "⚠️ A test order may still be open on " + html_escape(o->symbol) + " (client order id <code>" +
           html_escape(o->client_order_id) + "</code>): I keep asking the exchange and cancel it if it is there.\n";
  return "⚠️ The test order <code>" + html_escape(o->venue_order_id) + "</code> on " + html_escape(o->symbol) +
         " could not be cancelled. Cancel it by hand on the exchange; I keep trying in the background.\n";
}

std::string warnings_text(const AccountView& v) {
  std::string out;
  for (const auto& line : accounts::warnings_of(v)) out += "ℹ️ " + html_escape(line) + "\n";
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
std::string advice_text(const AccountView& v) {
  const accounts::KeyAdvice a = accounts::advice_of(v);
  std::string out;
  if (!a.advice.empty()) out += "\nWhat to do: " + html_escape(a.advice);
  if (!a.key_note.empty()) out += "\n" + html_escape(a.key_note);
  return out;
}

// Re-test while the key pair is kept; once a refusal erased it, only Replace keys can follow.
json retest_or_replace(const AccountView& v) {
  const int64_t id = v.account.id;
  return accounts::advice_of(v).key_kept ? button(label::kRetest, data::retest(id)) : button(label::kReplaceKeys, data::replace_keys(id));
}

std::string format_hint(std::string_view venue, bool secret) {
  const venues::VenueDescription* v = venues::find_venue(venue);
  if (!v) return "";
  const auto& field = secret ? v->secret : v->key;
  return " (" + std::to_string(field.length) + " characters, " + str(venues::to_string(field.alphabet)) + ")";
}

}  // namespace

Screen keys_list(const std::vector<AccountView>& accounts) {
  Screen s;
  s.protect = true;
  s.text = "<b>" + str(label::kMyKeys) + "</b>\n\n";
  std::vector<std::vector<json>> rows;
  if (accounts.empty()) {
    s.text +=
        "No exchange API key yet. Add one: it is tested at once by creating an order far below the market and "
        "cancelling it immediately.";
  } else {
    s.text += "✅ ready · ❌ not working · 🌀 being tested. Choose one to see it, rename, re-test or delete it.";
    for (const auto& v : accounts) {
      std::string text = status_icon(v.account.status) + " " + v.account.name + " · " + format_usd(v.account.usd_total);
      rows.push_back({button(text, data::account(v.account.id))});
    }
  }
  rows.push_back({button(label::kAddKey, data::kAdd)});
  rows.push_back(nav_row(data::kSettings));
  s.markup = inline_keyboard(std::move(rows));
  return s;
}

Screen account(const AccountView& v) {
  const store::Account& a = v.account;
  const int64_t id = a.id;
  const bool enabled = a.status == AccountStatus::Enabled;
  Screen s;
  s.protect = true;
  s.text = status_icon(a.status) + " " + account_heading(v) + "\n\n";
  s.text += "Status: " + status_words(a.status);
  if (!a.reason.empty() && !enabled) s.text += "\nReason: " + html_escape(a.reason);
  if (!enabled) s.text += advice_text(v);
  s.text += "\nBalance: " + format_usd(a.usd_total) + "\n";
  s.text += balances_lines(a.portfolio.balances);
  s.text += "Last check: " + (a.last_checked_ms ? short_time(*a.last_checked_ms) : std::string("not yet")) + "\n";
  std::string extra = order_left_open_text(v) + warnings_text(v);
  if (!extra.empty()) s.text += "\n" + extra;
  std::vector<json> second = {button(label::kDelete, data::ask_delete(id))};
  if (accounts::advice_of(v).key_kept) second.insert(second.begin(), button(label::kRetest, data::retest(id)));
  std::vector<std::vector<json>> rows{{button(label::kRename, data::rename(id)), button(label::kReplaceKeys, data::replace_keys(id))},
                                      std::move(second)};
  if (enabled) rows.push_back({button(label::kOpenOrders, data::account_orders(id))});  // only a working key reads them
  rows.push_back(nav_row(data::kKeys));
  s.markup = inline_keyboard(std::move(rows));
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

Screen checking(const AccountView& v, const std::vector<store::KeyTestStep>& steps) {
  Screen s;
  s.protect = true;
  s.text = "🌀 Checking your key…\n\n" + account_heading(v) +
           "\nAn order is created far below the market and cancelled at once, to prove the key can trade.\n\n" + steps_block(steps);
  return s;
}

Screen check_result(const AccountView& v, bool asks_again) {
  const store::Account& a = v.account;
  const auto& steps = last_steps(v);
  Screen s;
  s.protect = true;
  if (a.status == AccountStatus::Enabled) {
    s.text = "✅ Your key is ready.\n\n" + account_heading(v) + "\nBalance: " + format_usd(a.usd_total) + "\n" +
             balances_lines(a.portfolio.balances) + "\n" + steps_block(steps);
    std::string extra = order_left_open_text(v) + warnings_text(v);
    if (!extra.empty()) s.text += "\n" + extra;
    s.text += "\nNext: automated trading, in " + str(label::kMainMenu) + " → " + str(label::kRobots) + ".";
    s.markup = inline_keyboard(
        {{button(label::kRobots, data::kRobots), button(label::kMyKeys, data::kKeys)}, {button(label::kMainMenu, data::kMain)}});
    return s;
  }
  s.text = "❌ The key was not accepted.\n\n" + account_heading(v) + "\n\n" + steps_block(steps) + "\n" +
           (a.reason.empty() ? std::string("The test did not finish.") : html_escape(a.reason)) + advice_text(v) + "\n";
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

Screen ask_name(const AccountView& v, int64_t gen) {
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

Screen confirm_delete(const AccountView& v, int64_t gen) {
  const int64_t id = v.account.id;
  Screen s;
  s.text = "Delete " + account_heading(v) +
           "?\n\nIts encrypted key is erased from this server. The key itself stays on the exchange: delete it there too if "
           "you no longer need it.";
  s.markup = inline_keyboard({{button(label::kYesDelete, data::confirm_delete(gen, id)), button(label::kNoKeep, data::account(id))}});
  return s;
}

Screen key_rejected_notice(const AccountView& v) {
  const int64_t id = v.account.id;
  Screen s;
  s.protect = true;
  s.text = "⚠️ The exchange started rejecting a key.\n\n" + account_heading(v) + "\n\n" + html_escape(v.account.reason) +
           advice_text(v) +
           "\n\nNothing trades with this account until its key works again: check the key on the exchange, then replace it "
           "or test it again.";
  s.markup = inline_keyboard({{button(label::kReplaceKeys, data::replace_keys(id)), button(label::kRetest, data::retest(id))},
                              {button("Open " + v.account.name, data::account(id))}});
  return s;
}

Screen order_left_open_notice(const AccountView& v) {
  const int64_t id = v.account.id;
  Screen s;
  s.protect = true;
  s.text = "⚠️ A test order is still open.\n\n" + account_heading(v) + "\n\n" + order_left_open_text(v);
  s.markup = inline_keyboard({{button("Open " + v.account.name, data::account(id))}});
  return s;
}

}  // namespace tb::telegram
