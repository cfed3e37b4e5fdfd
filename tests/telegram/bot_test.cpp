// The bot's dialogs below HTTP: the real account service, store, vault and the in-process Kraken simulator
// (tests/accounts ServiceWorld), with a scripted Bot API that records every call. Updates go straight to
// Bot::handle; key tests run as jobs to the end.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include "accounts/account_view.hpp"

#include "accounts/service_world.hpp"
#include "auth/password.hpp"
#include "auth/totp.hpp"
#include "telegram/callback_data.hpp"
#include "telegram/dialog.hpp"
#include "telegram/telegram.hpp"
#include "trading/user_robots.hpp"

namespace tb::telegram {
namespace {

using nlohmann::json;

constexpr const char* kToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

class CountingRandom final : public auth::RandomSource {
 public:
  void fill(std::span<unsigned char> out) override {
    for (auto& b : out) b = static_cast<unsigned char>(n_++ * 37 + 11);
  }

 private:
  unsigned n_ = 0;
};

struct Call {
  std::string method;
  json params;
};

class BotWorld {
 public:
  BotWorld() {
    telegram_.set_handler([this](const net::HttpRequest& r) { return answer(r); });
    make_bot();
  }

  void make_bot() {
    bot.reset();
    BotOptions o;
    o.api.base_url = "http://127.0.0.1:9";
    o.egress_ip = "203.0.113.7";
    o.log = [this](std::string_view l) { log.emplace_back(l); };
    bot = std::make_unique<Bot>(BotDeps{*w.store, *w.service, two_factor_, w.bus, telegram_, w.sim.harness.clock, w.sim.harness.sleeper,
                                        w.io.get_executor(), random_, identities, robot_board, &user_robots},
                                crypto::Secret(kToken), o);
  }

  Result<net::HttpResponse> answer(const net::HttpRequest& r) {
    std::string method = r.url.substr(r.url.rfind('/') + 1);
    calls.push_back({method, json::parse(r.body)});
    if (forbid && method == "sendMessage")
      return tb::test::json_response(403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})");
    json result = true;
    if (method == "sendMessage") {
      const json& p = calls.back().params;
      result = {{"message_id", next_message++}, {"chat", {{"id", p["chat_id"]}, {"type", "private"}}}, {"date", 1}, {"text", p["text"]}};
    }
    return tb::test::json_response(200, json{{"ok", true}, {"result", result}}.dump());
  }

  Update text(int64_t user, const std::string& t) {
    json m = {{"message_id", next_message++},
              {"from", {{"id", user}, {"is_bot", false}, {"first_name", "Ann"}, {"username", "ann"}}},
              {"chat", {{"id", user}, {"type", "private"}}},
              {"date", 1767225600},
              {"text", t}};
    if (!t.empty() && t[0] == '/')
      m["entities"] =
          json::array({{{"offset", 0}, {"length", t.find(' ') == std::string::npos ? t.size() : t.find(' ')}, {"type", "bot_command"}}});
    return *parse_update(json{{"update_id", next_update++}, {"message", m}});
  }

  Update press(int64_t user, int64_t message_id, const std::string& data) {
    json q = {
        {"id", std::to_string(next_update * 1000)},
        {"from", {{"id", user}, {"is_bot", false}, {"first_name", "Ann"}}},
        {"message", {{"message_id", message_id}, {"chat", {{"id", user}, {"type", "private"}}}, {"date", 1767225600}, {"text", "..."}}},
        {"chat_instance", "1"},
        {"data", data}};
    return *parse_update(json{{"update_id", next_update++}, {"callback_query", q}});
  }

  void handle(Update u) {
    boost::asio::co_spawn(w.io, bot->handle(std::move(u)), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
    settle();
  }
  void settle() {
    w.io.restart();
    w.io.run();
  }

  std::vector<Call> of(const std::string& method) const {
    std::vector<Call> out;
    for (const auto& c : calls)
      if (c.method == method) out.push_back(c);
    return out;
  }
  const Call& last(const std::string& method) const {
    for (auto it = calls.rbegin(); it != calls.rend(); ++it)
      if (it->method == method) return *it;
    throw std::runtime_error("no " + method);
  }
  // The callback data of the button with this text on the newest message (sent or edited) that has it.
  std::string button(const std::string& label) const {
    for (auto it = calls.rbegin(); it != calls.rend(); ++it) {
      const json& p = it->params;
      if (!p.contains("reply_markup") || !p["reply_markup"].contains("inline_keyboard")) continue;
      for (const auto& row : p["reply_markup"]["inline_keyboard"])
        for (const auto& b : row)
          if (b["text"] == label) return b["callback_data"];
    }
    throw std::runtime_error("no button " + label);
  }
  Dialog dialog(int64_t tg) { return Dialog::from_json((*w.store->find_telegram_link(tg))->dialog_json); }
  bool said(const std::string& what) const {
    for (const auto& c : calls)
      if ((c.method == "sendMessage" || c.method == "editMessageText") && c.params.value("text", "").find(what) != std::string::npos)
        return true;
    return false;
  }

  accounts::test::ServiceWorld w{"kraken"};
  accounts::TwoFactorService two_factor_{*w.store, w.vault, w.sim.harness.clock};
  CountingRandom codes_random_;
  users::TelegramIdentities identities{*w.store, w.sim.harness.clock, codes_random_};
  // The robots' catalogue over the world's store: the simulated venue's BTC market.
  robots::RobotBoard robot_board{
      *w.store,
      {{"kraken", "XXBTZUSD", "BTC", false, robots::MarketRules{*Decimal::parse("0.0001"), *Decimal::parse("0.0001"), Decimal(), false},
        *Decimal::parse("0.0026")}}};
  trading::UserRobotService user_robots{*w.store, w.sim.harness.clock};
  std::vector<Call> calls;
  std::vector<std::string> log;
  std::unique_ptr<Bot> bot;
  bool forbid = false;
  int64_t next_message = 100;
  int64_t next_update = 815000001;

 private:
  tb::test::ScriptedTransport telegram_{
      [](const net::HttpRequest&) -> Result<net::HttpResponse> { return Error::make(ErrorKind::NetworkError, "unset"); }};
  CountingRandom random_;
};

constexpr int64_t kAnn = 111;

TEST(Bot, StartRegistersATelegramOnlyUserAndShowsTheMainMenu) {
  BotWorld b;
  b.handle(b.text(kAnn, "/start"));
  auto link = *b.w.store->find_telegram_link(kAnn);
  ASSERT_TRUE(link.has_value());
  auto user = **b.w.store->find_user(link->user_id);
  EXPECT_TRUE(store::is_telegram_only(user));  // no email to sign in with
  EXPECT_EQ((*b.w.store->find_telegram_user(kAnn))->id, user.id);
  EXPECT_FALSE(auth::verify_password(user.password_hash, ""));  // no password opens it
  const Call& menu = b.last("sendMessage");
  EXPECT_EQ(menu.params["chat_id"], kAnn);
  EXPECT_EQ(menu.params["parse_mode"], "HTML");
  EXPECT_EQ(menu.params["reply_markup"]["keyboard"][0][0], "🤖 Robots");
  // A second /start is no second user.
  b.handle(b.text(kAnn, "/start"));
  EXPECT_EQ((*b.w.store->find_telegram_link(kAnn))->user_id, link->user_id);
  EXPECT_TRUE(b.said("Welcome back"));
}

// The takeover of issue 10: someone registered "tg-<id>@telegram.invalid" before that Telegram user first wrote.
TEST(Bot, ATelegramUserNeverGetsTheAccountRegisteredUnderTheirOldAddress) {
  BotWorld b;
  auto squatter =
      b.w.store->create_user("tg-111@telegram.invalid", *auth::hash_password("squatter's password", auth::PasswordCost::fast()));
  ASSERT_TRUE(squatter.ok());
  b.handle(b.text(kAnn, "/start"));
  auto link = *b.w.store->find_telegram_link(kAnn);
  ASSERT_TRUE(link.has_value());
  EXPECT_NE(link->user_id, squatter->id);
  EXPECT_TRUE(store::is_telegram_only(**b.w.store->find_user(link->user_id)));
  // And after an unlink, /start finds the same Telegram user again by their id.
  ASSERT_TRUE(b.w.store->delete_telegram_link(kAnn).ok());
  b.handle(b.text(kAnn, "/start"));
  EXPECT_EQ((*b.w.store->find_telegram_link(kAnn))->user_id, link->user_id);
}

TEST(Bot, AddsAKeyDeletingTheMessagesThatCarriedItAndEditsOneMessageAsTheTestRuns) {
  BotWorld b;
  auto k = b.w.sim.key(accounts::test::SimWorld::trading());
  b.handle(b.text(kAnn, "/start"));
  b.handle(b.text(kAnn, "🔐 My Exchange API Keys"));
  b.handle(b.press(kAnn, 500, b.button("🔑 Add New Exchange API Key")));
  EXPECT_EQ(b.dialog(kAnn).step, Step::PickExchange);
  b.handle(b.press(kAnn, 500, b.button("Kraken")));
  EXPECT_EQ(b.dialog(kAnn).step, Step::AwaitKey);
  Update key = b.text(kAnn, k.key);
  b.handle(key);
  EXPECT_EQ(b.last("deleteMessage").params["message_id"], key.message->message_id);
  EXPECT_EQ(b.dialog(kAnn).step, Step::AwaitSecret);
  EXPECT_EQ(b.dialog(kAnn).masked_key, accounts::mask_key(k.key));
  Update secret = b.text(kAnn, k.secret);
  b.handle(secret);
  EXPECT_EQ(b.last("deleteMessage").params["message_id"], secret.message->message_id);
  Dialog checking = b.dialog(kAnn);
  EXPECT_EQ(checking.step, Step::Checking);
  ASSERT_GT(checking.message_id, 0);
  EXPECT_NE(b.last("sendMessage").params["text"].get<std::string>().find("🌀 Checking your key…"), std::string::npos);

  b.w.run_jobs();
  b.settle();
  const Call& result = b.last("editMessageText");
  EXPECT_EQ(result.params["message_id"], checking.message_id);
  EXPECT_NE(result.params["text"].get<std::string>().find("✅ Your key is ready."), std::string::npos) << result.params["text"];
  EXPECT_EQ(b.dialog(kAnn).step, Step::Idle);
  auto accounts = *b.w.service->list((*b.w.store->find_telegram_link(kAnn))->user_id);
  ASSERT_EQ(accounts.size(), 1u);
  EXPECT_EQ(accounts[0].account.status, store::AccountStatus::Enabled);
  for (const auto& c : b.calls) {
    std::string all = c.params.dump();
    EXPECT_EQ(all.find(k.secret), std::string::npos) << c.method;
    EXPECT_EQ(all.find(k.key), std::string::npos) << c.method;  // the whole key neither: only masked
  }
  for (const auto& l : b.log) EXPECT_EQ(l.find(k.secret), std::string::npos) << l;
  EXPECT_EQ(b.w.store->find_telegram_link(kAnn)->value().dialog_json.find(k.key.substr(0, 10)), std::string::npos);
  // The audit log says the key came through Telegram, and from whom (a chat has no IP).
  auto audit = *b.w.store->list_audit((*b.w.store->find_telegram_link(kAnn))->user_id, 10);
  auto added = std::find_if(audit.begin(), audit.end(), [](const store::AuditEntry& e) { return e.action == "key.added"; });
  ASSERT_NE(added, audit.end());
  EXPECT_EQ(added->channel, "telegram");
  EXPECT_EQ(added->telegram_user_id, std::optional<int64_t>(kAnn));
  EXPECT_EQ(added->ip, "");
}

TEST(Bot, ARefusedKeyIsAskedForAgainAndTheSameAccountGetsTheNewPair) {
  BotWorld b;
  auto good = b.w.sim.key(accounts::test::SimWorld::trading());
  auto other = b.w.sim.key(accounts::test::SimWorld::trading());
  b.handle(b.text(kAnn, "/start"));
  b.handle(b.text(kAnn, "🔐 My Exchange API Keys"));
  b.handle(b.press(kAnn, 500, b.button("🔑 Add New Exchange API Key")));
  b.handle(b.press(kAnn, 500, b.button("Kraken")));
  b.handle(b.text(kAnn, good.key));
  b.handle(b.text(kAnn, other.secret));  // a secret of another key
  b.w.run_jobs();
  b.settle();
  EXPECT_TRUE(b.said("❌ The key was not accepted."));
  EXPECT_TRUE(b.said("Send the <b>API Key</b> of your Kraken key again"));
  Dialog d = b.dialog(kAnn);
  EXPECT_EQ(d.step, Step::AwaitKey);
  EXPECT_TRUE(d.replace);
  b.handle(b.text(kAnn, good.key));
  b.handle(b.text(kAnn, good.secret));
  b.w.run_jobs();
  b.settle();
  EXPECT_NE(b.last("editMessageText").params["text"].get<std::string>().find("Your key is ready"), std::string::npos);
  auto accounts = *b.w.service->list((*b.w.store->find_telegram_link(kAnn))->user_id);
  ASSERT_EQ(accounts.size(), 1u);  // the refused account got the new pair
  EXPECT_EQ(accounts[0].account.status, store::AccountStatus::Enabled);
}

TEST(Bot, ARestartWhileTheSecretIsAwaitedAsksForTheKeyAgainAndKeepsNothing) {
  BotWorld b;
  auto k = b.w.sim.key(accounts::test::SimWorld::trading());
  b.handle(b.text(kAnn, "/start"));
  b.handle(b.text(kAnn, "🔐 My Exchange API Keys"));
  b.handle(b.press(kAnn, 500, b.button("🔑 Add New Exchange API Key")));
  b.handle(b.press(kAnn, 500, b.button("Kraken")));
  b.handle(b.text(kAnn, k.key));
  b.make_bot();  // a new process: the dialog is in the store, the key was only in memory
  Update secret = b.text(kAnn, k.secret);
  b.handle(secret);
  EXPECT_EQ(b.last("deleteMessage").params["message_id"], secret.message->message_id);
  EXPECT_TRUE(b.said("I no longer have the API Key you sent"));
  EXPECT_EQ(b.dialog(kAnn).step, Step::AwaitKey);
  EXPECT_TRUE(b.w.service->list((*b.w.store->find_telegram_link(kAnn))->user_id)->empty());
}

TEST(Bot, AStaleButtonSaysSoAndLosesItsButtons) {
  BotWorld b;
  b.handle(b.text(kAnn, "/start"));
  b.handle(b.text(kAnn, "🔑 Add New Exchange API Key"));
  std::string old_pick = b.button("Kraken");
  b.handle(b.text(kAnn, "/menu"));
  b.handle(b.press(kAnn, 321, old_pick));
  const Call& answer = b.last("answerCallbackQuery");
  EXPECT_EQ(answer.params["show_alert"], true);
  EXPECT_NE(answer.params["text"].get<std::string>().find("earlier step and no longer works"), std::string::npos);
  const Call& stripped = b.last("editMessageReplyMarkup");
  EXPECT_EQ(stripped.params["message_id"], 321);
  EXPECT_FALSE(stripped.params.contains("reply_markup"));
  EXPECT_EQ(b.dialog(kAnn).step, Step::Idle);
  // A button with data nobody wrote is stale too.
  b.handle(b.press(kAnn, 322, "D:0:99999"));
  EXPECT_EQ(b.last("answerCallbackQuery").params["show_alert"], true);
}

TEST(Bot, AnUpdateDeliveredTwiceIsHandledOnce) {
  BotWorld b;
  b.handle(b.text(kAnn, "/start"));
  Update help = b.text(kAnn, "/help");
  b.handle(help);
  size_t sent = b.of("sendMessage").size();
  b.handle(help);
  b.make_bot();  // also after a restart: the chat remembers the newest update it handled
  b.handle(help);
  EXPECT_EQ(b.of("sendMessage").size(), sent);
  bool logged = false;
  for (const auto& l : b.log) logged |= l.find("was handled before; skipped") != std::string::npos;
  EXPECT_TRUE(logged);
}

// A web user with two-factor on, linked to a chat: the chat's key pair waits in memory for a current code,
// a wrong code is asked for again, and only the right one adds the key.
TEST(Bot, WithTwoFactorOnAChatAddsKeysOnlyWithACurrentCode) {
  BotWorld b;
  int64_t web = b.w.user("ann@example.com");
  accounts::Actor ann{web, "198.51.100.7", "web"};
  auto enrolment = b.two_factor_.setup(ann, "ann@example.com");
  ASSERT_TRUE(enrolment.ok());
  const std::string secret = *auth::from_base32(enrolment->secret_base32);
  auto& clock = b.w.sim.harness.clock;
  ASSERT_TRUE(b.two_factor_.enable(ann, auth::totp(secret, clock.now_ms() / 1000)).ok());
  clock.advance_ms(30'000);
  b.handle(b.text(kAnn, "/start " + b.identities.issue_link_code(web)->code));

  auto k = b.w.sim.key(accounts::test::SimWorld::trading());
  b.handle(b.text(kAnn, "🔐 My Exchange API Keys"));
  b.handle(b.press(kAnn, 500, b.button("🔑 Add New Exchange API Key")));
  b.handle(b.press(kAnn, 500, b.button("Kraken")));
  b.handle(b.text(kAnn, k.key));
  b.handle(b.text(kAnn, k.secret));
  EXPECT_EQ(b.dialog(kAnn).step, Step::AwaitCode);
  EXPECT_TRUE(b.said("Two-factor authentication is on"));
  EXPECT_TRUE(b.w.service->list(web)->empty());

  Update wrong = b.text(kAnn, "000000");
  b.handle(wrong);
  EXPECT_EQ(b.last("deleteMessage").params["message_id"], wrong.message->message_id);
  EXPECT_EQ(b.dialog(kAnn).step, Step::AwaitCode);
  EXPECT_TRUE(b.said("wrong or was used already"));
  EXPECT_TRUE(b.w.service->list(web)->empty());

  b.handle(b.text(kAnn, auth::totp(secret, clock.now_ms() / 1000)));
  EXPECT_EQ(b.dialog(kAnn).step, Step::Checking);
  ASSERT_EQ(b.w.service->list(web)->size(), 1u);
  for (const auto& c : b.calls) EXPECT_EQ(c.params.dump().find(k.secret), std::string::npos) << c.method;
  auto audit = *b.w.store->list_audit(web, 20);
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const store::AuditEntry& e) {
    return e.action == "2fa.code_rejected" && e.channel == "telegram" && e.telegram_user_id == std::optional<int64_t>(kAnn);
  }));
}

// With two-factor on, a secret that cannot be right is asked for again before the code, not after it.
TEST(Bot, WithTwoFactorOnAMalformedSecretIsRefusedBeforeTheCode) {
  BotWorld b;
  int64_t web = b.w.user("ann@example.com");
  accounts::Actor ann{web, "198.51.100.7", "web"};
  auto enrolment = b.two_factor_.setup(ann, "ann@example.com");
  ASSERT_TRUE(enrolment.ok());
  const std::string secret = *auth::from_base32(enrolment->secret_base32);
  auto& clock = b.w.sim.harness.clock;
  ASSERT_TRUE(b.two_factor_.enable(ann, auth::totp(secret, clock.now_ms() / 1000)).ok());
  clock.advance_ms(30'000);
  b.handle(b.text(kAnn, "/start " + b.identities.issue_link_code(web)->code));

  auto k = b.w.sim.key(accounts::test::SimWorld::trading());
  b.handle(b.text(kAnn, "🔐 My Exchange API Keys"));
  b.handle(b.press(kAnn, 500, b.button("🔑 Add New Exchange API Key")));
  b.handle(b.press(kAnn, 500, b.button("Kraken")));
  b.handle(b.text(kAnn, k.key));
  const std::string cut = k.secret.substr(0, 20);
  Update short_secret = b.text(kAnn, cut);
  b.handle(short_secret);
  EXPECT_EQ(b.last("deleteMessage").params["message_id"], short_secret.message->message_id);
  EXPECT_EQ(b.dialog(kAnn).step, Step::AwaitSecret);
  EXPECT_TRUE(b.said("API secret should be " + std::to_string(k.secret.size()) + " characters, got 20"));
  EXPECT_FALSE(b.said("Two-factor authentication is on"));
  for (const auto& c : b.calls) EXPECT_EQ(c.params.dump().find(cut), std::string::npos) << c.method;

  b.handle(b.text(kAnn, k.secret));  // the key waited: the right secret now asks for the code
  EXPECT_EQ(b.dialog(kAnn).step, Step::AwaitCode);
  EXPECT_TRUE(b.said("Two-factor authentication is on"));
  EXPECT_TRUE(b.w.service->list(web)->empty());
}

TEST(Bot, ALinkCodeLinksAWebAccountOnce) {
  BotWorld b;
  int64_t web = b.w.user("ann@example.com");
  auto code = b.identities.issue_link_code(web);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(code->code.size(), 10u);
  EXPECT_EQ(code->expires_ms, b.w.sim.harness.clock.now_ms() + 10 * 60 * 1000);
  b.handle(b.text(kAnn, "/start " + code->code));
  EXPECT_EQ((*b.w.store->find_telegram_link(kAnn))->user_id, web);
  EXPECT_TRUE(b.said("Linked to your web account <b>ann@example.com</b>"));
  EXPECT_TRUE((*b.identities.link_of(web)).has_value());
  b.handle(b.text(222, "/link " + code->code));
  EXPECT_TRUE(b.said("unknown, already used or expired"));
  EXPECT_FALSE(b.w.store->find_telegram_link(222)->has_value());
  // Expired codes do not link.
  auto late = b.identities.issue_link_code(web);
  b.w.sim.harness.clock.advance_ms(10 * 60 * 1000 + 1);
  b.handle(b.text(333, "/start " + late->code));
  EXPECT_FALSE(b.w.store->find_telegram_link(333)->has_value());
  // Unlinking from the web side.
  ASSERT_TRUE(b.bot->unlink(web).ok());
  b.settle();
  EXPECT_FALSE((*b.identities.link_of(web)).has_value());
  EXPECT_TRUE(b.said("unlinked from your web account"));
}

TEST(Bot, NotificationsGoToLinkedUsersWhoDidNotBlockTheBot) {
  BotWorld b;
  b.handle(b.text(kAnn, "/start"));
  int64_t user = (*b.w.store->find_telegram_link(kAnn))->user_id;
  auto k = b.w.sim.key(accounts::test::SimWorld::trading());
  auto added = b.w.service->add({user, ""}, {std::string("Kraken main"), "kraken", k.key, crypto::Secret(k.secret)});
  ASSERT_TRUE(added.ok());
  b.w.run_jobs();
  b.settle();
  accounts::AccountView view = *b.w.service->get(user, added->account.id);
  view.account.status = store::AccountStatus::Invalid;
  view.account.reason = "The exchange now rejects this key.";
  size_t before = b.of("sendMessage").size();
  using Change = accounts::AccountChanged::Change;
  b.w.bus.publish({user, accounts::AccountChanged{Change::Invalid, view}});
  b.settle();
  ASSERT_EQ(b.of("sendMessage").size(), before + 1);
  EXPECT_NE(b.last("sendMessage").params["text"].get<std::string>().find("The exchange started rejecting a key"), std::string::npos);

  b.forbid = true;  // the user blocks the bot
  b.w.bus.publish({user, accounts::AccountChanged{Change::Invalid, view}});
  b.settle();
  EXPECT_TRUE((*b.w.store->find_telegram_link(kAnn))->blocked);
  b.forbid = false;
  before = b.of("sendMessage").size();
  b.w.bus.publish({user, accounts::AccountChanged{Change::Invalid, view}});
  b.settle();
  EXPECT_EQ(b.of("sendMessage").size(), before);  // nothing while blocked
  b.handle(b.text(kAnn, "/menu"));                // they write again: reachable
  EXPECT_FALSE((*b.w.store->find_telegram_link(kAnn))->blocked);
  store::OrderRecord left;
  left.venue = "kraken";
  left.symbol = "XBTUSD";
  left.venue_order_id = "OABC-123";
  left.client_order_id = "tb1";
  view.unsettled_orders = {left};  // the order to cancel by hand
  b.w.bus.publish({user, accounts::AccountChanged{Change::Tested, view}});
  b.settle();
  EXPECT_NE(b.last("sendMessage").params["text"].get<std::string>().find("OABC-123"), std::string::npos);
}

// A robot's notice (a trade, a pause, a foreign order) reaches the linked chat until the user turns robot
// notifications off in ⚙️ Settings; the switch survives a finished dialog, and turning it on again sends them.
TEST(Bot, RobotNotificationsCanBeSwitchedOffAndOnInSettings) {
  BotWorld b;
  b.handle(b.text(kAnn, "/start"));
  int64_t user = (*b.w.store->find_telegram_link(kAnn))->user_id;
  auto notice = [&](const std::string& text) {
    b.w.bus.publish({user, accounts::Notice{"position.opened", "{}", text}});
    b.settle();
  };
  notice("Bought 0.01 BTC at 100 <fee 0.1>");
  EXPECT_EQ(b.last("sendMessage").params["text"], "Bought 0.01 BTC at 100 &lt;fee 0.1&gt;");

  b.handle(b.text(kAnn, "⚙️ Settings"));
  EXPECT_TRUE(b.said("Robot notifications are on"));
  b.handle(b.press(kAnn, 500, b.button("🔔 Robot notifications: on")));
  EXPECT_EQ(b.last("answerCallbackQuery").params["text"], "Robot notifications off");
  EXPECT_NE(b.last("editMessageText").params["text"].get<std::string>().find("Robot notifications are off"), std::string::npos);
  EXPECT_TRUE(b.dialog(kAnn).notices_off);
  b.handle(b.text(kAnn, "/menu"));  // other turns keep the setting
  EXPECT_TRUE(b.dialog(kAnn).notices_off);
  size_t before = b.of("sendMessage").size();
  notice("Paused: insufficient funds");
  EXPECT_EQ(b.of("sendMessage").size(), before);  // suppressed

  b.handle(b.press(kAnn, 500, b.button("🔕 Robot notifications: off")));
  EXPECT_EQ(b.last("answerCallbackQuery").params["text"], "Robot notifications on");
  EXPECT_FALSE(b.dialog(kAnn).notices_off);
  before = b.of("sendMessage").size();
  notice("Sold 0.01 BTC at 110, profit 0.1");
  ASSERT_EQ(b.of("sendMessage").size(), before + 1);
  EXPECT_EQ(b.last("sendMessage").params["text"], "Sold 0.01 BTC at 110, profit 0.1");
}

// 🤖 Robots → 🔎 Find Robots → an exchange → a robot's ℹ️ Info → 📉 Public Statistics, over the catalogue in
// the store with candles the robot trades on; a robot removed meanwhile is told, not shown.
TEST(Bot, TheRobotsMenuFindsARobotAndShowsItsInfoAndPublicStatistics) {
  BotWorld b;
  b.handle(b.text(kAnn, "/start"));
  store::Robot r;
  r.name = "BTC cross";
  r.strategy = "ma_cross";
  r.params_json = R"({"fast":3,"slow":8})";
  r.venue = "kraken";
  r.symbol = "XXBTZUSD";
  r.timeframe = Timeframe::H1;
  const int64_t id = b.w.store->create_robot(r)->id;
  std::vector<Candle> candles;
  double price = 100;
  for (int i = 0; i < 300; ++i) {  // a zigzag: the averages cross again and again
    price += (i / 10) % 2 == 0 ? 1 : -1;
    Decimal p = *Decimal::from_double(price);
    candles.push_back({int64_t{i} * 3'600'000, p, p, p, p, Decimal::from_int(1)});
  }
  ASSERT_TRUE(b.w.store->save_candles("kraken", "XXBTZUSD", Timeframe::H1, candles).ok());
  auto report = b.robot_board.report(id);
  ASSERT_TRUE(report.ok());
  ASSERT_GT(report->run.stats.all.trades, 0);

  b.handle(b.text(kAnn, "🤖 Robots"));
  b.handle(b.press(kAnn, 500, b.button("🔎 Find Robots")));
  b.handle(b.press(kAnn, 500, b.button("Kraken")));
  b.handle(b.press(kAnn, 500, b.button("BTC cross · " + report->run.stats.all.net_profit.to_plain_string())));
  EXPECT_NE(b.last("editMessageText").params["text"].get<std::string>().find("Strategy: <b>ma_cross</b>"), std::string::npos);
  b.handle(b.press(kAnn, 500, b.button("📉 Public Statistics")));
  const std::string stats = b.last("editMessageText").params["text"];
  EXPECT_NE(stats.find("<b>All</b>: " + std::to_string(report->run.stats.all.trades) + " trades, net " +
                       report->run.stats.all.net_profit.to_plain_string()),
            std::string::npos)
      << stats;

  ASSERT_TRUE(b.w.store->delete_robot(id).ok());
  b.handle(b.press(kAnn, 500, data::robot_stats(id)));
  EXPECT_EQ(b.last("answerCallbackQuery").params["text"], "This robot is no longer in the catalogue.");
}

// 🤖 My Robots over the user robot service: follow a catalogue robot from 🔎 Find Robots with the enabled
// Kraken account at a typed amount (a bad one asked again), change the amount, start after the risk
// confirmation (refused while the account is not enabled), stop keeping and closing the position, delete.
TEST(Bot, MyRobotsFollowsStartsStopsChangesAndDeletesAUserRobot) {
  BotWorld b;
  b.handle(b.text(kAnn, "/start"));
  const int64_t user = (*b.w.store->find_telegram_link(kAnn))->user_id;
  auto k = b.w.sim.key(accounts::test::SimWorld::trading());
  auto added = b.w.service->add({user, ""}, {std::string("Kraken main"), "kraken", k.key, crypto::Secret(k.secret)});
  ASSERT_TRUE(added.ok());
  b.w.run_jobs();
  b.settle();
  ASSERT_EQ(b.w.service->get(user, added->account.id)->account.status, store::AccountStatus::Enabled);
  store::Robot r;
  r.name = "BTC cross";
  r.strategy = "ma_cross";
  r.params_json = R"({"fast":3,"slow":8})";
  r.venue = "kraken";
  r.symbol = "XXBTZUSD";
  r.timeframe = Timeframe::H1;
  const int64_t robot = b.w.store->create_robot(r)->id;

  b.handle(b.text(kAnn, "🤖 Robots"));
  b.handle(b.press(kAnn, 500, b.button("🤖 My Robots")));
  EXPECT_TRUE(b.said("You follow no robot yet"));
  b.handle(b.press(kAnn, 500, data::robot_info(robot)));
  b.handle(b.press(kAnn, 500, b.button("➕ Follow with my account")));
  b.handle(b.press(kAnn, 500, b.button("Kraken main")));
  b.handle(b.press(kAnn, 500, b.button("💵 A fixed amount of the quote currency")));
  EXPECT_EQ(b.dialog(kAnn).step, Step::AwaitAmount);
  b.handle(b.text(kAnn, "-5"));
  EXPECT_NE(b.last("sendMessage").params["text"].get<std::string>().find("Send a positive number"), std::string::npos);
  b.handle(b.text(kAnn, "100"));
  EXPECT_NE(b.last("sendMessage").params["text"].get<std::string>().find("You follow this robot now"), std::string::npos);
  auto mine = *b.user_robots.list(user);
  ASSERT_EQ(mine.size(), 1u);
  const int64_t id = mine[0].id;
  EXPECT_EQ(mine[0].volume_type, store::VolumeType::QuoteFixed);
  EXPECT_EQ(mine[0].volume.to_plain_string(), "100");
  EXPECT_EQ(mine[0].status, store::UserRobotStatus::Stopped);
  EXPECT_EQ(b.dialog(kAnn).step, Step::Idle);

  // ⚙️ Change Amount: over 100 % is the service's refusal, asked again; then 10 %.
  b.handle(b.press(kAnn, 500, b.button("⚙️ Change Amount")));
  b.handle(b.press(kAnn, 500, b.button("📊 A share of the free balance (%)")));
  b.handle(b.text(kAnn, "150"));
  EXPECT_EQ(b.dialog(kAnn).step, Step::AwaitAmount);
  b.handle(b.text(kAnn, "10"));
  EXPECT_TRUE(b.said("Amount changed"));
  auto changed = *b.user_robots.get(user, id);
  EXPECT_EQ(changed.volume_type, store::VolumeType::BalancePercent);
  EXPECT_EQ(changed.volume.to_plain_string(), "10");

  // 🟢 Start needs an enabled account, then the risk confirmation.
  store::Account acc = b.w.service->get(user, added->account.id)->account;
  acc.status = store::AccountStatus::Invalid;
  ASSERT_TRUE(b.w.store->update_account(acc).ok());
  b.handle(b.press(kAnn, 500, data::ask_start(id)));
  EXPECT_NE(b.last("answerCallbackQuery").params["text"].get<std::string>().find("not enabled"), std::string::npos);
  EXPECT_EQ(b.user_robots.get(user, id)->status, store::UserRobotStatus::Stopped);
  acc.status = store::AccountStatus::Enabled;
  ASSERT_TRUE(b.w.store->update_account(acc).ok());
  b.handle(b.press(kAnn, 500, data::ask_start(id)));
  EXPECT_TRUE(b.said("Start trading?"));
  EXPECT_EQ(b.user_robots.get(user, id)->status, store::UserRobotStatus::Stopped);  // not before the yes
  const std::string yes = b.button("✅ Yes, start trading");
  b.handle(b.press(kAnn, 500, yes));
  EXPECT_EQ(b.last("answerCallbackQuery").params["text"], "Started");
  EXPECT_EQ(b.user_robots.get(user, id)->status, store::UserRobotStatus::Starting);
  b.handle(b.press(kAnn, 500, yes));  // pressed again: stale
  EXPECT_NE(b.last("answerCallbackQuery").params["text"].get<std::string>(), "Started");

  // ⛔ Stop asks close or keep; the desk finishes the stop (here: the store, as the desk would).
  b.handle(b.press(kAnn, 500, b.button("⛔ Stop")));
  b.handle(b.press(kAnn, 500, b.button("🟡 Stop and keep the position")));
  auto stopping = *b.user_robots.get(user, id);
  EXPECT_EQ(stopping.status, store::UserRobotStatus::Stopping);
  EXPECT_EQ(stopping.stop_mode, "keep");
  stopping.status = store::UserRobotStatus::Started;
  ASSERT_TRUE(b.w.store->update_user_robot(stopping).ok());
  b.handle(b.press(kAnn, 500, data::user_robot(id)));
  b.handle(b.press(kAnn, 500, b.button("⛔ Stop")));
  b.handle(b.press(kAnn, 500, b.button("🔴 Stop and close the position")));
  stopping = *b.user_robots.get(user, id);
  EXPECT_EQ(stopping.stop_mode, "close");
  stopping.status = store::UserRobotStatus::Stopped;
  ASSERT_TRUE(b.w.store->update_user_robot(stopping).ok());

  // 📈 My Statistics and 🗃 Latest Positions, then ❌ Delete after its confirmation.
  b.handle(b.press(kAnn, 500, data::my_stats(id)));
  EXPECT_TRUE(b.said("Closed positions: 0"));
  b.handle(b.press(kAnn, 500, data::positions(id)));
  EXPECT_TRUE(b.said("No position yet"));
  b.handle(b.press(kAnn, 500, data::user_robot(id)));
  b.handle(b.press(kAnn, 500, b.button("❌ Delete")));
  b.handle(b.press(kAnn, 500, b.button("✅ Yes, delete the robot")));
  EXPECT_EQ(b.last("answerCallbackQuery").params["text"], "Deleted");
  EXPECT_TRUE(b.user_robots.list(user)->empty());
  b.handle(b.press(kAnn, 500, data::user_robot(id)));
  EXPECT_EQ(b.last("answerCallbackQuery").params["text"], "This robot is no longer in My Robots.");
}

TEST(Bot, AResultStillReachesItsProgressMessageWhenTheUserMovedOn) {
  BotWorld b;
  auto k = b.w.sim.key(accounts::test::SimWorld::trading());
  b.handle(b.text(kAnn, "/start"));
  b.handle(b.text(kAnn, "🔑 Add New Exchange API Key"));
  b.handle(b.press(kAnn, 500, b.button("Kraken")));
  b.handle(b.text(kAnn, k.key));
  b.handle(b.text(kAnn, k.secret));
  const int64_t progress = b.dialog(kAnn).message_id;
  b.handle(b.text(kAnn, "🔑 Add New Exchange API Key"));  // another key, before the first test ran
  EXPECT_EQ(b.dialog(kAnn).step, Step::PickExchange);
  b.w.run_jobs();
  b.settle();
  const Call& result = b.last("editMessageText");
  EXPECT_EQ(result.params["message_id"], progress);
  EXPECT_NE(result.params["text"].get<std::string>().find("Your key is ready"), std::string::npos);
  EXPECT_EQ(b.dialog(kAnn).step, Step::PickExchange);  // the new dialog goes on undisturbed
}

TEST(Bot, RenamingRefusesAKeyPastedAsTheName) {
  BotWorld b;
  b.handle(b.text(kAnn, "/start"));
  int64_t user = (*b.w.store->find_telegram_link(kAnn))->user_id;
  auto k = b.w.sim.key(accounts::test::SimWorld::trading());
  auto added = b.w.service->add({user, ""}, {std::string("Mine"), "kraken", k.key, crypto::Secret(k.secret)});
  ASSERT_TRUE(added.ok());
  b.handle(b.press(kAnn, 400, "n:" + std::to_string(added->account.id)));
  EXPECT_EQ(b.dialog(kAnn).step, Step::Rename);
  Update pasted = b.text(kAnn, k.secret);
  b.handle(pasted);
  EXPECT_EQ(b.last("deleteMessage").params["message_id"], pasted.message->message_id);
  EXPECT_EQ(b.w.service->get(user, added->account.id)->account.name, "Mine");
  b.handle(b.text(kAnn, "Kraken long-term"));
  EXPECT_EQ(b.w.service->get(user, added->account.id)->account.name, "Kraken long-term");
  EXPECT_TRUE(b.said("✅ Renamed."));
  EXPECT_FALSE(b.said(k.secret));
}

// The steps a button answers (the exchange picker, the delete question) read no text: a message there is
// not understood, a key pasted there is deleted, and the step and its buttons stay.
TEST(Bot, StepsThatWaitForAButtonReadNoTextAndKeepTheirButtons) {
  BotWorld b;
  auto k = b.w.sim.key(accounts::test::SimWorld::trading());
  b.handle(b.text(kAnn, "/start"));
  b.handle(b.text(kAnn, "🔑 Add New Exchange API Key"));
  const Dialog picking = b.dialog(kAnn);
  ASSERT_EQ(picking.step, Step::PickExchange);
  b.handle(b.text(kAnn, "kraken please"));
  EXPECT_NE(b.last("sendMessage").params["text"].get<std::string>().find("I did not understand that"), std::string::npos);
  Update pasted = b.text(kAnn, k.secret);
  b.handle(pasted);
  EXPECT_EQ(b.last("deleteMessage").params["message_id"], pasted.message->message_id);
  EXPECT_NE(b.last("sendMessage").params["text"].get<std::string>().find("That looked like an API key or secret"), std::string::npos);
  EXPECT_EQ(b.dialog(kAnn).step, Step::PickExchange);
  EXPECT_EQ(b.dialog(kAnn).gen, picking.gen);
  b.handle(b.press(kAnn, 500, b.button("Kraken")));  // the picker's buttons still count
  ASSERT_EQ(b.dialog(kAnn).step, Step::AwaitKey);
  b.handle(b.text(kAnn, k.key));
  b.handle(b.text(kAnn, k.secret));
  b.w.run_jobs();
  b.settle();
  int64_t user = (*b.w.store->find_telegram_link(kAnn))->user_id;
  auto accounts = *b.w.service->list(user);
  ASSERT_EQ(accounts.size(), 1u);

  b.handle(b.press(kAnn, 600, data::ask_delete(accounts[0].account.id)));
  const Dialog asking = b.dialog(kAnn);
  ASSERT_EQ(asking.step, Step::ConfirmDelete);
  b.handle(b.text(kAnn, "yes"));
  EXPECT_NE(b.last("sendMessage").params["text"].get<std::string>().find("I did not understand that"), std::string::npos);
  EXPECT_EQ(b.dialog(kAnn).step, Step::ConfirmDelete);
  EXPECT_EQ(b.dialog(kAnn).gen, asking.gen);
  b.handle(b.press(kAnn, 600, b.button("✅ Yes, delete")));
  EXPECT_EQ(b.last("answerCallbackQuery").params["text"], "Deleted");
  EXPECT_TRUE(b.w.service->list(user)->empty());
}

TEST(Bot, GroupsGetPointedToAPrivateChatAndTextIsNeverEchoed) {
  BotWorld b;
  Update group = *parse_update(json::parse(R"({"update_id":1,"message":{"message_id":5,"from":{"id":111,"is_bot":false,"first_name":"A"},
    "chat":{"id":-100123,"type":"supergroup"},"date":1,"text":"/keys","entities":[{"offset":0,"length":5,"type":"bot_command"}]}})"));
  b.handle(group);
  EXPECT_TRUE(b.said("I only work in a private chat"));
  Update pasted = *parse_update(json::parse(R"({"update_id":2,"message":{"message_id":6,"from":{"id":111,"is_bot":false,"first_name":"A"},
    "chat":{"id":-100123,"type":"supergroup"},"date":1,"text":"w8H5JD15QtwmZT1T3RnSCCHKXVqpgBRsb5qRKyJjmWCkVIp9MjjqSB"}})"));
  b.handle(pasted);
  EXPECT_EQ(b.last("deleteMessage").params["message_id"], 6);
  EXPECT_TRUE(b.said("Never post API keys or secrets in a group"));
  b.handle(b.text(kAnn, "/start"));
  b.handle(b.text(kAnn, "my password is hunter2"));
  EXPECT_FALSE(b.said("hunter2"));
  EXPECT_TRUE(b.said("I did not understand that"));
}

}  // namespace
}  // namespace tb::telegram
