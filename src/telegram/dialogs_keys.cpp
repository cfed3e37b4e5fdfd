// The steps of adding a key (or replacing an account's keys): the API key, the secret, with two-factor on
// the code; then the key test, shown in one message edited as its steps pass (events.cpp). A typed key
// waits for its secret in memory only (typed_keys), never in the stored dialog.
#include <utility>

#include "accounts/account_view.hpp"
#include "accounts/key_input.hpp"
#include "telegram/bot_impl.hpp"
#include "telegram/dialog_text.hpp"

namespace tb::telegram {

// Step::AwaitKey
Turn Bot::Impl::on_key(const Conversation& c, std::string text) {
  Turn t{c.dialog};
  std::string key = trim(text);
  crypto::secure_zero(text);
  // The venue's key check looks at the key first; with no secret yet, a complaint about the secret means
  // the key itself passed.
  auto check = accounts::check_key_input(t.next.exchange, key, crypto::Secret());
  if (check || check.error().field != "secret") {
    std::string why = check ? "That key cannot be used." : check.error().message;
    t.screens.push_back(ask_key_again(t.next.exchange, t.next.gen, why));
    return t;
  }
  t.next.masked_key = accounts::mask_key(key);
  t.next.begin(Step::AwaitSecret, d.clock.now_ms());
  TypedKey& typed = typed_keys[c.chat_id];  // a pair typed before in this chat is replaced
  crypto::secure_zero(typed.key);
  typed.key = std::move(key);
  typed.secret.wipe();
  typed.gen = t.next.gen;
  typed.at_ms = d.clock.now_ms();
  t.screens.push_back(ask_secret(t.next.exchange, t.next.masked_key, t.next.gen));
  return t;
}

Bot::Impl::TypedKey* Bot::Impl::typed_key_of(const Conversation& c) {
  const int64_t now = d.clock.now_ms();
  auto typed = typed_keys.find(c.chat_id);
  if (typed != typed_keys.end() && typed->second.gen == c.dialog.gen && now - typed->second.at_ms <= o.key_wait.count())
    return &typed->second;
  if (typed != typed_keys.end()) typed_keys.erase(typed);
  return nullptr;
}

// The secret or the code came, but the key it belongs to is gone: the key again.
Turn Bot::Impl::key_lost(const Conversation& c) {
  Turn t{c.dialog};
  t.next.begin(Step::AwaitKey, d.clock.now_ms());
  t.next.masked_key.clear();
  t.screens.push_back(ask_key_again(t.next.exchange, t.next.gen,
                                    "I no longer have the API Key you sent (the server restarted, or it waited too long), and I never "
                                    "keep a key without its secret."));
  return t;
}

// Step::AwaitSecret
Turn Bot::Impl::on_secret(const Conversation& c, std::string text) {
  TypedKey* typed = typed_key_of(c);
  std::string secret = trim(text);
  crypto::secure_zero(text);
  if (!typed) {
    crypto::secure_zero(secret);
    return key_lost(c);
  }
  typed->secret = crypto::Secret(std::move(secret));
  crypto::secure_zero(secret);
  accounts::Actor actor{c.link->user_id, "", "telegram", c.from.id};
  auto on = d.two_factor.enabled(actor.user_id);
  actor.second_factor = on && !*on;  // known to be off: the gate is passed (unknown: the service asks)
  if (on && *on) {
    Turn t{c.dialog};
    // The code comes last, so it is fresh when the keys go; a pair that cannot be right is refused before.
    auto input = accounts::check_key_input(t.next.exchange, typed->key, typed->secret);
    if (!input && input.error().field == "secret") {
      typed->secret.wipe();
      t.screens.push_back(ask_secret_again(t.next.gen, without_field(input.error())));
      return t;
    }
    t.next.begin(Step::AwaitCode, d.clock.now_ms());
    typed->gen = t.next.gen;
    typed->at_ms = d.clock.now_ms();
    t.screens.push_back(ask_code(t.next.gen, ""));
    return t;
  }
  return submit_keys(c, actor, *typed);
}

// Step::AwaitCode
Turn Bot::Impl::on_code(const Conversation& c, std::string text) {
  TypedKey* typed = typed_key_of(c);
  if (!typed) return key_lost(c);
  accounts::Actor actor{c.link->user_id, "", "telegram", c.from.id};
  auto checked = d.two_factor.require(actor, trim(text));
  if (!checked) {
    Turn t{c.dialog};
    const Error& e = checked.error();
    if (e.kind == ErrorKind::SecondFactorRequired) {
      t.screens.push_back(ask_code(t.next.gen, without_field(e)));
      return t;
    }
    typed_keys.erase(c.chat_id);
    t.next.reset(d.clock.now_ms());
    t.screens.push_back(with_menu_keyboard(
        plain("❌ " + html_escape(e.kind == ErrorKind::RateLimited ? e.message
                                                                  : std::string("Something went wrong on our side; please try again.")))));
    return t;
  }
  actor.second_factor = true;
  return submit_keys(c, actor, *typed);
}

// The pair goes to the service: a new account, or new keys for dialog.account_id. Refused input asks for
// the part that was wrong; an account made starts its key test.
Turn Bot::Impl::submit_keys(const Conversation& c, const accounts::Actor& actor, TypedKey& typed) {
  const int64_t now = d.clock.now_ms();
  Turn t{c.dialog};
  Result<accounts::AccountView> r = Error::make(ErrorKind::InvalidArgument, "");
  if (t.next.replace) {
    r = d.accounts.replace_keys(actor, t.next.account_id, typed.key, typed.secret);
  } else {
    accounts::NewAccount in;
    in.exchange = t.next.exchange;
    in.key = typed.key;  // kept for another try should the secret be refused
    in.secret = std::move(typed.secret);
    r = d.accounts.add(actor, in);
    crypto::secure_zero(in.key);
  }
  typed.secret.wipe();
  if (r) {
    typed_keys.erase(c.chat_id);
    t.test = std::move(*r);
    return t;
  }
  const Error& e = r.error();
  if (e.kind == ErrorKind::InvalidArgument && e.field == "secret") {
    if (t.next.step != Step::AwaitSecret) {  // after the code: the secret again, then a new code
      t.next.begin(Step::AwaitSecret, now);
      typed.gen = t.next.gen;
    }
    t.screens.push_back(ask_secret_again(t.next.gen, without_field(e)));  // the key stays for the next try
    return t;
  }
  typed_keys.erase(c.chat_id);
  if (e.kind == ErrorKind::InvalidArgument && e.field == "key") {
    t.next.begin(Step::AwaitKey, now);
    t.screens.push_back(ask_key_again(t.next.exchange, t.next.gen, without_field(e)));
    return t;
  }
  log("telegram: chat " + std::to_string(c.chat_id) + ": adding a key failed: " + std::string(to_string(e.kind)));
  t.next.reset(now);
  bool ours = e.kind == ErrorKind::Internal;
  t.screens.push_back(with_menu_keyboard(
      plain("❌ " + html_escape(ours ? std::string("Something went wrong on our side; please try again.") : without_field(e)))));
  return t;
}

// Step::Checking begins: the progress message is sent and waited for, since its id is what the test's
// steps edit.
net::Task<void> Bot::Impl::start_checking(Conversation& c, const accounts::AccountView& view) {
  const int64_t id = view.account.id;
  progress[id] = Progress{view, {}, c.chat_id, 0};
  c.dialog.reset(d.clock.now_ms());
  c.dialog.begin(Step::Checking, d.clock.now_ms());
  c.dialog.account_id = id;
  c.dialog.exchange = view.account.venue;
  std::string method = "sendMessage";
  nlohmann::json params = send_params(c.chat_id, checking(view, {}));
  auto sent = co_await outbox.to_chat(c.chat_id, std::move(method), std::move(params));
  if (sent && sent->is_object()) c.dialog.message_id = sent->value("message_id", int64_t{0});
  if (auto p = progress.find(id); p != progress.end() && p->second.chat_id == c.chat_id) p->second.message_id = c.dialog.message_id;
  else if (!sent) log("telegram: chat " + std::to_string(c.chat_id) + ": the progress message failed: " + sent.error().message);
}

}  // namespace tb::telegram
