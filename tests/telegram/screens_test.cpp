// Screens, labels, button data, dialog state and what looks like a key: pure functions, checked without a bot.
#include <gtest/gtest.h>

#include <algorithm>

#include "robots/stats.hpp"
#include "telegram/bot_impl.hpp"
#include "telegram/dialog.hpp"
#include "telegram/screens.hpp"
#include "telegram/telegram.hpp"

namespace tb::telegram {
namespace {

using nlohmann::json;

// An account as the service hands it out: named with HTML in it, a balance and a dust one, checked, one
// step of its test passed. Not enabled: the exchange's words as the reason, no refusal judged (the pair kept).
accounts::AccountView view(store::AccountStatus status = store::AccountStatus::Enabled) {
  accounts::AccountView v;
  store::Account& a = v.account;
  a.id = 7;
  a.name = "Main <b>&";
  a.venue = "kraken";
  a.status = status;
  if (status != store::AccountStatus::Enabled) a.reason = "The exchange says the API secret is wrong.";
  a.masked_key = "vmPU…3e5A";
  a.portfolio.balances = {{"USD", *Decimal::parse("10000.00"), {}, {}}, {"BTC", *Decimal::parse("0"), {}, {}}};
  a.usd_total = *Decimal::parse("10500.5");
  a.last_checked_ms = 1'795'696'727'123;  // 2026-11-26T12:38:47.123Z
  store::KeyTest t;
  t.steps = {{store::StepName::Permissions, store::StepState::Ok, "", 0}};
  v.last_test = t;
  return v;
}
using store::AccountStatus;

std::vector<std::string> button_texts(const Screen& s) {
  std::vector<std::string> out;
  for (const auto& row : s.markup["inline_keyboard"])
    for (const auto& b : row) out.push_back(b["text"]);
  return out;
}

std::vector<std::string> button_data(const Screen& s) {
  std::vector<std::string> out;
  for (const auto& row : s.markup["inline_keyboard"])
    for (const auto& b : row) out.push_back(b["callback_data"]);
  return out;
}

TEST(Screens, TheMainMenuIsAReplyKeyboardWithTheFourLabels) {
  Screen m = main_menu("");
  EXPECT_EQ(m.markup["keyboard"], json::parse(R"([["🤖 Robots","💼 Portfolio"],["⚙️ Settings","❓ Help"]])"));
  EXPECT_EQ(m.markup["is_persistent"], true);
  EXPECT_EQ(button_texts(main_menu_inline()), (std::vector<std::string>{"🤖 Robots", "💼 Portfolio", "⚙️ Settings", "❓ Help"}));
}

TEST(Screens, MenuLabelsMatchWithOrWithoutVariationSelectors) {
  EXPECT_EQ(menu_button("⚙️ Settings"), MenuButton::Settings);
  EXPECT_EQ(menu_button("⚙ Settings"), MenuButton::Settings);  // U+FE0F dropped by some clients
  EXPECT_EQ(menu_button("◀ Back"), MenuButton::Back);
  EXPECT_EQ(menu_button("🏠 Main Menu"), MenuButton::MainMenu);
  EXPECT_EQ(menu_button("🔑 Add New Exchange API Key"), MenuButton::AddKey);
  EXPECT_EQ(menu_button("🔐 My Exchange API Keys\n"), MenuButton::MyKeys);
  EXPECT_EQ(menu_button("Settings"), MenuButton::None);
  EXPECT_EQ(menu_button(""), MenuButton::None);
}

TEST(Screens, EverySubScreenHasBackAndMainMenu) {
  Profile p;
  for (const Screen& s : {settings(p), keys_list({}), account(view()), portfolio(accounts::PortfolioView{}), robots(0), help()}) {
    auto texts = button_texts(s);
    ASSERT_GE(texts.size(), 2u);
    EXPECT_EQ(texts[texts.size() - 2], "◀️ Back") << s.text;
    EXPECT_EQ(texts.back(), "🏠 Main Menu") << s.text;
  }
}

TEST(Screens, SettingsShowTheRobotNotificationsSwitchInItsState) {
  Profile p;
  Screen on = settings(p);
  EXPECT_NE(on.text.find("Robot notifications are on"), std::string::npos);
  EXPECT_EQ(button_texts(on)[1], "🔔 Robot notifications: on");
  EXPECT_EQ(on.markup["inline_keyboard"][1][0]["callback_data"], "nt");
  p.notices = false;
  Screen off = settings(p);
  EXPECT_NE(off.text.find("Robot notifications are off"), std::string::npos);
  EXPECT_EQ(button_texts(off)[1], "🔕 Robot notifications: off");
}

TEST(Screens, TheKeysListShowsStatusAndBalanceAndOffersToAddOne) {
  Screen s = keys_list({view(AccountStatus::Enabled), view(AccountStatus::Invalid), view(AccountStatus::Testing)});
  auto texts = button_texts(s);
  EXPECT_EQ(texts[0], "✅ Main <b>& · $10,500.50");  // button text is not HTML
  EXPECT_EQ(texts[1], "❌ Main <b>& · $10,500.50");
  EXPECT_EQ(texts[2], "🌀 Main <b>& · $10,500.50");
  EXPECT_EQ(texts[3], "🔑 Add New Exchange API Key");
  EXPECT_EQ(button_data(s)[0], "a:7");
}

TEST(Screens, UserTextIsEscapedAndNoScreenCarriesMoreThanTheMaskedKey) {
  Screen a = account(view(AccountStatus::Invalid));
  EXPECT_NE(a.text.find("Main &lt;b&gt;&amp;"), std::string::npos) << a.text;
  EXPECT_EQ(a.text.find("Main <b>"), std::string::npos);
  EXPECT_NE(a.text.find("<code>vmPU…3e5A</code>"), std::string::npos);
  EXPECT_NE(a.text.find("Reason: The exchange says the API secret is wrong."), std::string::npos);
  EXPECT_NE(a.text.find("Last check: 2026-11-26 12:38 UTC"), std::string::npos);
  EXPECT_NE(a.text.find("USD 10000"), std::string::npos);
  EXPECT_EQ(a.text.find("BTC 0"), std::string::npos);  // empty balances are left out
  EXPECT_EQ(button_texts(a),
            (std::vector<std::string>{"✏️ Rename", "🔁 Replace keys", "🔄 Re-test", "🗑 Delete", "◀️ Back", "🏠 Main Menu"}));
}

TEST(Screens, TheKeyTestProgressAndItsResult) {
  Screen c = checking(view(AccountStatus::Testing), {{store::StepName::Permissions, store::StepState::Ok, "", 0},
                                                     {store::StepName::Balances, store::StepState::Running, "", 0}});
  EXPECT_EQ(c.text.rfind("🌀 Checking your key…", 0), 0u);
  EXPECT_NE(c.text.find("✅ Permissions"), std::string::npos);
  EXPECT_NE(c.text.find("🌀 Balances"), std::string::npos);
  EXPECT_NE(c.text.find("⏳ Test order"), std::string::npos);
  Screen ready = check_result(view(AccountStatus::Enabled), false);
  EXPECT_EQ(ready.text.rfind("✅ Your key is ready.", 0), 0u);
  EXPECT_NE(ready.text.find("🏠 Main Menu → 🤖 Robots"), std::string::npos);
  Screen refused = check_result(view(AccountStatus::Invalid), true);
  EXPECT_EQ(refused.text.rfind("❌ The key was not accepted.", 0), 0u);
  EXPECT_NE(refused.text.find("API secret is wrong"), std::string::npos);
  EXPECT_TRUE(refused.markup.is_null());  // the prompt for the key follows as its own message
  EXPECT_EQ(button_texts(check_result(view(AccountStatus::Invalid), false))[0], "🔄 Re-test");
}

TEST(Screens, TheServicesAdviceAndItsRuleForARefusedPair) {
  // The advice and the rule are the service's (accounts::advice_of), HTML-escaped: Kraken's words for a key
  // that can withdraw hold "Settings > API" and quotes.
  accounts::AccountView refused = view(AccountStatus::Invalid);
  refused.last_test->reason = store::InvalidReason::WithdrawalPermission;
  Screen result = check_result(refused, false);
  EXPECT_NE(
      result.text.find("What to do: In Kraken, Settings &gt; API, edit this key and remove the &quot;Withdraw Funds&quot; permission."),
      std::string::npos)
      << result.text;
  EXPECT_NE(result.text.find("The refused key pair was erased"), std::string::npos);
  // Nothing to test again: Replace keys instead of Re-test, here and on the account's screen.
  EXPECT_EQ(button_texts(result)[0], std::string(label::kReplaceKeys));
  Screen screen = account(refused);
  EXPECT_NE(screen.text.find("What to do: In Kraken, Settings &gt; API"), std::string::npos);
  auto buttons = button_texts(screen);
  EXPECT_EQ(std::count(buttons.begin(), buttons.end(), std::string(label::kRetest)), 0);
  EXPECT_EQ(std::count(buttons.begin(), buttons.end(), std::string(label::kReplaceKeys)), 1);
  // A kept pair may be tested again.
  accounts::AccountView funds = view(AccountStatus::Invalid);
  funds.last_test->reason = store::InvalidReason::InsufficientFunds;
  buttons = button_texts(account(funds));
  EXPECT_EQ(std::count(buttons.begin(), buttons.end(), std::string(label::kRetest)), 1);
}

// 📋 Open Orders: only a working key reads them; each order in its real type with trigger and limit, a
// foreign one marked, a robot's named; the exchange's trouble in words.
TEST(Screens, AnAccountsOpenOrdersWithTheirRealTypeAndWhoseTheyAre) {
  auto enabled = button_texts(account(view()));
  EXPECT_EQ(std::count(enabled.begin(), enabled.end(), std::string(label::kOpenOrders)), 1);
  auto invalid = button_texts(account(view(AccountStatus::Invalid)));
  EXPECT_EQ(std::count(invalid.begin(), invalid.end(), std::string(label::kOpenOrders)), 0);
  Order stop;
  stop.id = "1000000";
  stop.symbol = "XXBTZUSD";
  stop.side = Side::Sell;
  stop.type = OrderType::StopLimit;
  stop.venue_type = "stop-loss-limit";
  stop.trigger_price = *Decimal::parse("55.0");
  stop.price = *Decimal::parse("54");
  stop.amount = *Decimal::parse("2.000");
  Order limit;
  limit.symbol = "XXBTZUSD";
  limit.price = *Decimal::parse("30000");
  limit.amount = *Decimal::parse("0.006");
  Order odd = stop;
  odd.type = OrderType::Other;
  odd.venue_type = "settle-position";
  odd.trigger_price.reset();
  odd.price.reset();
  Screen s = account_orders(view(), {{stop, false, std::nullopt}, {limit, true, 12}, {odd, false, std::nullopt}});
  EXPECT_NE(s.text.find("• sell 2 XXBTZUSD — Stop limit · trigger 55 · limit 54\n  ⚠️ placed outside tradebridge"),
            std::string::npos)
      << s.text;
  EXPECT_NE(s.text.find("• buy 0.006 XXBTZUSD — Limit · limit 30000\n  🤖 user robot 12"), std::string::npos) << s.text;
  EXPECT_NE(s.text.find("Other (settle-position)"), std::string::npos) << s.text;
  EXPECT_NE(s.text.find("Main &lt;b&gt;&amp;"), std::string::npos);
  EXPECT_EQ(button_data(s)[0], data::account_orders(7));
  EXPECT_NE(account_orders(view(), {}).text.find("No open orders on the exchange."), std::string::npos);
  EXPECT_NE(account_orders(view(), {}, "the exchange is down <now>").text.find("❌ the exchange is down &lt;now&gt;"), std::string::npos);
}

TEST(Screens, TheKeyGuideIsTheServicesWithTheKeyPageItIsGiven) {
  accounts::GuideOptions o;
  o.egress_ip = "203.0.113.7";
  o.key_pages["kraken"] = "http://127.0.0.1:8081/?venue=kraken";
  Screen ask = ask_key("kraken", 3, o, "");
  EXPECT_NE(ask.text.find("1. Sign in to Kraken"), std::string::npos) << ask.text;
  EXPECT_NE(ask.text.find("203.0.113.7"), std::string::npos);
  EXPECT_NE(ask.text.find("Keys are made here: http://127.0.0.1:8081/?venue=kraken"), std::string::npos);
  Screen own = ask_key("bitfinex", 3, o, "");
  EXPECT_NE(own.text.find("Keys are made here: https://"), std::string::npos) << own.text;
}

TEST(Screens, CallbackDataIsShortAndParsesBack) {
  for (const std::string& d :
       {data::account(7), data::retest(7), data::rename(7), data::replace_keys(7), data::ask_delete(7),
        data::confirm_delete(123456789, 9'000'000'000'000'000'000), data::pick_exchange(42, "binance_futures"), data::cancel(42)})
    EXPECT_LE(d.size(), 64u) << d;
  std::optional<Press> p = parse_press(data::confirm_delete(12, 34));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->action, Action::ConfirmDelete);
  EXPECT_EQ(code(p->action), "D");
  EXPECT_EQ(p->gen, 12);
  EXPECT_EQ(p->id, 34);
  p = parse_press(data::pick_exchange(3, "kraken"));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->action, Action::PickExchange);
  EXPECT_EQ(code(p->action), "e");
  EXPECT_EQ(p->venue, "kraken");
  ASSERT_TRUE(parse_press("k"));
  EXPECT_EQ(parse_press("k")->action, Action::Keys);
  EXPECT_EQ(code(parse_press("k")->action), "k");
  EXPECT_EQ(parse_press(data::robots_of("bitfinex"))->venue, "bitfinex");
  for (const char* bad : {"", "zz", "a:", "a:0", "a:-1", "a:x", "e:1:nasdaq", "D:1", "c:", "a:1:2", "m:1", "e:x:kraken", "fv:nasdaq", "fv",
                          "ri:0", "rs:x", "f:1"})
    EXPECT_FALSE(parse_press(bad).has_value()) << bad;
}

TEST(Screens, EveryActionsDataParsesBackToItsActionAndArguments) {
  struct Case {
    std::string data;
    Action action;
    int64_t gen;
    int64_t id;
  };
  const std::vector<Case> cases = {
      {std::string(data::kMain), Action::Main, -1, 0},
      {std::string(data::kSettings), Action::Settings, -1, 0},
      {std::string(data::kKeys), Action::Keys, -1, 0},
      {std::string(data::kPortfolio), Action::Portfolio, -1, 0},
      {std::string(data::kRobots), Action::Robots, -1, 0},
      {std::string(data::kHelp), Action::Help, -1, 0},
      {std::string(data::kAdd), Action::Add, -1, 0},
      {data::account(5), Action::Account, -1, 5},
      {data::retest(6), Action::Retest, -1, 6},
      {data::rename(7), Action::Rename, -1, 7},
      {data::replace_keys(8), Action::ReplaceKeys, -1, 8},
      {data::ask_delete(9), Action::AskDelete, -1, 9},
      {data::confirm_delete(0, 10), Action::ConfirmDelete, 0, 10},
      {data::pick_exchange(11, "bitfinex"), Action::PickExchange, 11, 0},
      {data::cancel(12), Action::Cancel, 12, 0},
      {std::string(data::kFindRobots), Action::FindRobots, -1, 0},
      {data::robots_of("kraken"), Action::RobotsOf, -1, 0},
      {data::robot_info(13), Action::RobotInfo, -1, 13},
      {data::robot_stats(14), Action::RobotStats, -1, 14},
      {std::string(data::kNotices), Action::Notices, -1, 0},
      {std::string(data::kMyRobots), Action::MyRobots, -1, 0},
      {data::user_robot(15), Action::UserRobot, -1, 15},
      {data::my_stats(16), Action::MyStats, -1, 16},
      {data::positions(17), Action::Positions, -1, 17},
      {data::change_amount(18), Action::ChangeAmount, -1, 18},
      {data::ask_start(19), Action::AskStart, -1, 19},
      {data::ask_stop(20), Action::AskStop, -1, 20},
      {data::ask_remove(21), Action::AskRemove, -1, 21},
      {data::follow(22), Action::Follow, -1, 22},
      {data::confirm_start(1, 23), Action::ConfirmStart, 1, 23},
      {data::stop_close(2, 24), Action::StopClose, 2, 24},
      {data::stop_keep(3, 25), Action::StopKeep, 3, 25},
      {data::confirm_remove(4, 26), Action::ConfirmRemove, 4, 26},
      {data::pick_account(5, 27), Action::PickAccount, 5, 27},
      {data::pick_volume(6, 3), Action::PickVolume, 6, 3},
      {data::account_orders(28), Action::AccountOrders, -1, 28},
  };
  ASSERT_EQ(cases.size(), kActionCount);  // one case per action
  std::vector<std::string> codes;
  for (const Case& c : cases) {
    auto p = parse_press(c.data);
    ASSERT_TRUE(p) << c.data;
    EXPECT_EQ(p->action, c.action) << c.data;
    EXPECT_EQ(p->gen, c.gen) << c.data;
    EXPECT_EQ(p->id, c.id) << c.data;
    EXPECT_EQ(c.data.substr(0, c.data.find(':')), code(c.action));
    codes.emplace_back(code(c.action));
  }
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(std::adjacent_find(codes.begin(), codes.end()), codes.end()) << "two actions share a code";
}

TEST(Screens, MoneyAndCommands) {
  EXPECT_EQ(format_usd("0"), "$0.00");
  EXPECT_EQ(format_usd("999.995"), "$1,000.00");
  EXPECT_EQ(format_usd("1234567.891"), "$1,234,567.89");
  EXPECT_EQ(format_usd("-12.5"), "-$12.50");
  EXPECT_EQ(format_usd("n/a"), "n/a");
  std::vector<std::string> names;
  for (const auto& c : bot_commands()) names.push_back(c["command"]);
  for (const char* c : {"menu", "keys", "balance", "cancel", "help", "start"})
    EXPECT_NE(std::find(names.begin(), names.end(), c), names.end()) << c;
}

// A robot as the catalogue reports it: two closed trades (one win, one loss) and an open position.
robots::RobotReport report() {
  robots::RobotReport r;
  r.robot.id = 21;
  r.robot.name = "ma_cross <XBT>";
  r.robot.strategy = "ma_cross";
  r.robot.params_json = R"({"fast":3,"slow":8})";
  r.robot.venue = "kraken";
  r.robot.symbol = "XXBTZUSD";
  r.robot.timeframe = Timeframe::H4;
  auto d = [](const char* s) { return *Decimal::parse(s); };
  r.run.trades = {{robots::TradeSide::Long, 0, d("100"), 3'600'000, d("110"), d("1"), d("0"), d("10"), 1},
                  {robots::TradeSide::Short, 7'200'000, d("110"), 10'800'000, d("114"), d("1"), d("0"), d("-4"), 1}};
  r.run.stats = robots::compute_stats_set(r.run.trades, robots::StatsBasis{d("1000"), 0, 10'800'000});
  r.run.open_position = robots::OpenPosition{robots::TradeSide::Long, 14'400'000, d("112"), d("1"), d("0"), 0};
  r.run.candles = 6;
  r.from_ms = 0;
  r.to_ms = 18'000'000;
  return r;
}

TEST(Screens, TheRobotsMenuFindsRobotsByExchangeWithTheirInfoAndPublicStatistics) {
  auto menu = button_texts(robots(1));
  EXPECT_EQ(menu[0], "🤖 My Robots");
  EXPECT_EQ(menu[1], "🔎 Find Robots");
  auto pick = find_robots();
  EXPECT_EQ(button_data(pick)[0], data::robots_of("binance_futures"));
  EXPECT_EQ(button_texts(pick).size(), 3u + 2u);  // each venue, then Back and Main Menu

  auto list = robots_list("kraken", {report()});
  EXPECT_EQ(button_texts(list)[0], "ma_cross <XBT> · 6");  // button text is not HTML; the net profit
  EXPECT_EQ(button_data(list)[0], data::robot_info(21));
  EXPECT_NE(robots_list("kraken", {}).text.find("No robot runs on this exchange yet"), std::string::npos);

  auto info = robot_info(report());
  EXPECT_NE(info.text.find("ma_cross &lt;XBT&gt;"), std::string::npos) << info.text;
  EXPECT_NE(info.text.find("Strategy: <b>ma_cross</b> fast=3, slow=8"), std::string::npos);
  EXPECT_NE(info.text.find("XXBTZUSD on Kraken, 4h candles"), std::string::npos);
  EXPECT_NE(info.text.find("Open position: long since 1970-01-01T04:00:00Z at 112"), std::string::npos) << info.text;
  EXPECT_EQ(button_texts(info),
            (std::vector<std::string>{"📉 Public Statistics", "➕ Follow with my account", "◀️ Back", "🏠 Main Menu"}));
  EXPECT_EQ(button_data(info)[1], data::follow(21));
  EXPECT_EQ(button_data(info)[2], data::robots_of("kraken"));

  auto stats = robot_stats(report());
  EXPECT_NE(stats.text.find("<b>All</b>: 2 trades, net 6 (0.6%), win rate 50.0%, profit factor 2.50"), std::string::npos) << stats.text;
  EXPECT_NE(stats.text.find("<b>Long</b>: 1 trades, net 10"), std::string::npos);
  EXPECT_NE(stats.text.find("<b>Short</b>: 1 trades, net -4"), std::string::npos);
  EXPECT_EQ(button_texts(stats)[0], "ℹ️ Info");
}

// A user robot's buttons follow its status: Start and Delete when stopped, Stop while it runs, Start
// (resume) and Stop when paused; the confirmations carry the step's generation and the user robot.
TEST(Screens, MyRobotsShowEachUserRobotWithTheButtonsItsStatusAllows) {
  UserRobotItem it;
  it.ur.id = 9;
  it.ur.volume_type = store::VolumeType::QuoteFixed;
  it.ur.volume = *Decimal::parse("100");
  it.robot.name = "BTC <cross>";
  it.robot.symbol = "XXBTZUSD";
  it.robot.venue = "kraken";
  it.account_name = "Kraken main";
  Screen stopped = user_robot(it);
  EXPECT_NE(stopped.text.find("BTC &lt;cross&gt;"), std::string::npos);
  EXPECT_NE(stopped.text.find("Volume: 100 of the quote currency"), std::string::npos) << stopped.text;
  EXPECT_EQ(button_texts(stopped), (std::vector<std::string>{"📈 My Statistics", "🗃 Latest Positions", "⚙️ Change Amount",
                                                             "🟢 Start", "❌ Delete", "◀️ Back", "🏠 Main Menu"}));
  it.ur.status = store::UserRobotStatus::Started;
  EXPECT_EQ(button_texts(user_robot(it))[3], "⛔ Stop");
  it.ur.status = store::UserRobotStatus::Paused;
  it.ur.message = "insufficient funds";
  Screen paused = user_robot(it);
  EXPECT_NE(paused.text.find("⚠️ insufficient funds"), std::string::npos);
  EXPECT_EQ(button_texts(paused)[3], "🟢 Start");
  EXPECT_EQ(button_texts(paused)[4], "⛔ Stop");
  EXPECT_EQ(button_data(confirm_start(it, 4))[0], data::confirm_start(4, 9));
  EXPECT_EQ(button_data(ask_stop(it, 5)), (std::vector<std::string>{data::stop_close(5, 9), data::stop_keep(5, 9), data::cancel(5)}));
  EXPECT_EQ(button_data(confirm_remove(it, 6))[0], data::confirm_remove(6, 9));
  EXPECT_EQ(button_texts(my_robots({it}))[0], "⏸ BTC <cross> · Kraken main");
  EXPECT_NE(my_robots({}).text.find("You follow no robot yet"), std::string::npos);
}

TEST(Dialog, RoundTripsAndReadsAnythingElseAsIdle) {
  Dialog d;
  d.begin(Step::AwaitSecret, 1000);
  d.exchange = "kraken";
  d.account_id = 7;
  d.replace = true;
  d.masked_key = "vmPU…3e5A";
  Dialog back = Dialog::from_json(d.to_json());
  EXPECT_EQ(back.step, Step::AwaitSecret);
  EXPECT_EQ(back.gen, 1);
  EXPECT_EQ(back.exchange, "kraken");
  EXPECT_EQ(back.account_id, 7);
  EXPECT_TRUE(back.replace);
  EXPECT_EQ(back.masked_key, "vmPU…3e5A");
  EXPECT_EQ(Dialog::from_json("not json").step, Step::Idle);
  Dialog odd = Dialog::from_json(R"({"step":"from_the_future","gen":9})");
  EXPECT_EQ(odd.step, Step::Idle);
  EXPECT_EQ(odd.gen, 9);  // buttons of the unknown step stay stale
  d.reset(2000);
  EXPECT_EQ(d.step, Step::Idle);
  EXPECT_EQ(d.gen, 2);
  EXPECT_TRUE(d.exchange.empty());
  EXPECT_FALSE(d.notices_off);
  EXPECT_FALSE(Dialog::from_json(d.to_json()).notices_off);
  d.notices_off = true;  // a setting: kept by reset and by an unknown step
  d.reset(3000);
  EXPECT_TRUE(d.notices_off);
  EXPECT_TRUE(Dialog::from_json(d.to_json()).notices_off);
  EXPECT_TRUE(Dialog::from_json(R"({"step":"from_the_future","gen":9,"notices_off":true})").notices_off);
}

TEST(LinkCodes, WhatLooksLikeAKey) {
  EXPECT_TRUE(looks_like_key("w8H5JD15QtwmZT1T//3RnSCCHKXVqpgBRsb5qRKyJjmWCkVIp9MjjqSB"));
  EXPECT_TRUE(looks_like_key(" SigcnpP2ofS02zKEwAnvBH09ukicRNzOqup1bcP5AReFZXcGgHYtIm1YZF0h0HtizEdOJTBd/y8G2GjuaxlgRw==\n"));
  EXPECT_FALSE(looks_like_key("please transfer 5 BTC to my friend"));
  EXPECT_FALSE(looks_like_key("short"));
}

}  // namespace
}  // namespace tb::telegram
