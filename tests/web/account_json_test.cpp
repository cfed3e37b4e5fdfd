// The API's JSON of the accounts' values: the view as ViewRenderer caches it, and the events as the stream
// sends them.
#include <gtest/gtest.h>

#include <functional>

#include "web/account_json.hpp"
#include "web/robot_notices.hpp"

namespace tb::web {
namespace {

using accounts::AccountView;

AccountView sample() {
  AccountView v;
  v.account.id = 7;
  v.account.user_id = 1;
  v.account.name = "Kraken";
  v.account.venue = "kraken";
  v.account.masked_key = "abcd\u2026wxyz";
  v.account.status = store::AccountStatus::Enabled;
  v.account.portfolio.balances = {{"USD", *Decimal::parse("10000"), *Decimal::parse("10000"), *Decimal::parse("0")}};
  v.account.usd_total = *Decimal::parse("10000.5");
  v.account.last_checked_ms = 1'700'000'000'500;
  v.account.created_ms = 1'700'000'000'000;
  v.account.updated_ms = 1'700'000'000'600;
  store::KeyTest t;
  t.id = 3;
  t.account_id = 7;
  t.steps = {{store::StepName::Permissions, store::StepState::Ok, "fine", 51}};
  t.outcome = "enabled";
  t.started_ms = 1'700'000'000'100;
  t.finished_ms = 1'700'000'000'500;
  t.warnings = {"no IP restriction"};
  v.last_test = t;
  return v;
}

std::string dumped(const AccountView& v) { return to_json(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

TEST(ViewRenderer, RendersWhatToJsonPrintsAndFollowsEveryChange) {
  ViewRenderer r;
  AccountView v = sample();
  EXPECT_EQ(r.render(v), dumped(v));
  EXPECT_EQ(r.render(v), dumped(v));  // from the kept text
  EXPECT_EQ(r.size(), 1u);

  std::vector<std::function<void(AccountView&)>> changes = {
      [](AccountView& x) { x.account.name = "Kraken #2"; },
      [](AccountView& x) { x.account.status = store::AccountStatus::Invalid; },
      [](AccountView& x) { x.account.reason = "refused"; },
      [](AccountView& x) { x.account.portfolio.balances.clear(); },
      [](AccountView& x) { x.account.portfolio.balances[0].free = *Decimal::parse("9999"); },
      [](AccountView& x) {
        x.account.portfolio.positions.push_back(
            {"BTCUSDT", *Decimal::parse("1"), *Decimal::parse("2"), *Decimal::parse("3"), std::nullopt});
      },
      [](AccountView& x) { x.account.usd_total = *Decimal::parse("1"); },
      [](AccountView& x) { x.account.last_checked_ms.reset(); },
      [](AccountView& x) { x.account.updated_ms += 1; },
      [](AccountView& x) { x.account.masked_key = "zzzz\u2026zzzz"; },
      [](AccountView& x) { x.last_test->steps.clear(); },
      [](AccountView& x) { x.last_test->steps[0].state = store::StepState::Failed; },
      [](AccountView& x) { x.last_test->steps[0].message = "other"; },
      [](AccountView& x) { x.last_test->reason = store::InvalidReason::InsufficientFunds; },
      [](AccountView& x) { x.last_test->warnings.clear(); },
      [](AccountView& x) { x.last_test->trading_expires_ms = 1'702'252'800'000; },
      [](AccountView& x) { x.last_test->finished_ms.reset(); },
      [](AccountView& x) { x.last_test->outcome = ""; },
      [](AccountView& x) { x.last_test->id = 4; },
      [](AccountView& x) { x.last_test.reset(); },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    AccountView changed = sample();
    changes[i](changed);
    ASSERT_NE(dumped(changed), dumped(sample())) << "change " << i;
    EXPECT_EQ(r.render(changed), dumped(changed)) << "change " << i;
    EXPECT_EQ(r.render(sample()), dumped(sample())) << "change " << i;
  }
}

TEST(ViewRenderer, InvalidUtf8IsReplacedAsTheApiDoesAndCapacityIsKept) {
  ViewRenderer r(2);
  AccountView v = sample();
  v.account.name = std::string("bad \xff name");
  EXPECT_EQ(r.render(v), dumped(v));
  for (int64_t id = 1; id <= 5; ++id) {
    AccountView x = sample();
    x.account.id = id;
    EXPECT_EQ(r.render(x), dumped(x));
    EXPECT_LE(r.size(), 2u);
  }
}

TEST(AccountEvents, NamedAndRenderedAsTheStreamSendsThem) {
  using Change = accounts::AccountChanged::Change;
  const AccountView v = sample();
  const std::vector<std::pair<Change, std::string>> changes = {{Change::Created, "account.created"},
                                                               {Change::Updated, "account.updated"},
                                                               {Change::Tested, "account.tested"},
                                                               {Change::Invalid, "account.invalid"}};
  for (const auto& [change, name] : changes) {
    accounts::AccountEvent e{1, accounts::AccountChanged{change, v}};
    EXPECT_EQ(event_name(e), name);
    EXPECT_EQ(event_data(e), to_json(v));
  }
  accounts::AccountEvent step{1, accounts::KeyTestStepped{7, 3, v.last_test->steps[0]}};
  EXPECT_EQ(event_name(step), "key_test.step");
  EXPECT_EQ(event_data(step),
            nlohmann::json::parse(
                R"({"account_id":7,"test_id":3,"step":{"name":"permissions","state":"ok","message":"fine","duration_ms":51}})"));
  accounts::AccountEvent gone{1, accounts::AccountDeleted{7}};
  EXPECT_EQ(event_name(gone), "account.deleted");
  EXPECT_EQ(event_data(gone), nlohmann::json::parse(R"({"id":7})"));
}

// An order placed by hand: its real type, trigger and limit apart, foreign; in the list and in the alert.
Order hand_stop_limit() {
  Order o;
  o.id = "1000000";
  o.client_order_id = "sim_1";
  o.symbol = "BTCUSDT";
  o.side = Side::Sell;
  o.type = OrderType::StopLimit;
  o.venue_type = "STOP";
  o.trigger_price = *Decimal::parse("55.0");
  o.price = *Decimal::parse("54.0");
  o.amount = *Decimal::parse("2.000");
  return o;
}

TEST(AccountOrderJson, TheRealTypeTriggerAndLimitAndWhoseItIs) {
  auto j = account_order_json({hand_stop_limit(), false, std::nullopt});
  EXPECT_EQ(j["type"], "stop_limit");
  EXPECT_EQ(j["venue_type"], "STOP");
  EXPECT_EQ(j["trigger_price"], "55.0");
  EXPECT_EQ(j["price"], "54.0");
  EXPECT_EQ(j["side"], "sell");
  EXPECT_EQ(j["ours"], false);
  EXPECT_TRUE(j["user_robot_id"].is_null());
  EXPECT_EQ(j["description"], "Stop limit \u00b7 trigger 55 \u00b7 limit 54");
  Order market = hand_stop_limit();
  market.type = OrderType::Limit;
  market.trigger_price.reset();
  auto ours = account_order_json({market, true, 4});
  EXPECT_EQ(ours["ours"], true);
  EXPECT_EQ(ours["user_robot_id"], 4);
  EXPECT_TRUE(ours["trigger_price"].is_null());
}

TEST(AccountOrderJson, TheForeignOrderAlertNamesTheRealType) {
  trading::DeskEvent e;
  e.kind = trading::DeskEvent::ForeignOrder;
  e.user_robot.account_id = 3;
  e.foreign = hand_stop_limit();
  auto n = notice_of(e);
  EXPECT_EQ(n.name, "foreign_order");
  EXPECT_NE(n.text.find("sell 2 BTCUSDT, Stop limit \u00b7 trigger 55 \u00b7 limit 54. It is left untouched."), std::string::npos)
      << n.text;
  EXPECT_EQ(nlohmann::json::parse(n.data_json)["description"], "Stop limit \u00b7 trigger 55 \u00b7 limit 54");
}

}  // namespace
}  // namespace tb::web
