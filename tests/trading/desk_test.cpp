// The desk on the real simulator: signals become the orders the positions say, each once, through lost
// answers, requests that never arrived, a crash between the venue's fill and its record, refusals and stops.
#include <algorithm>

#include <gtest/gtest.h>

#include "store/faulty_store.hpp"
#include "trading/desk_world.hpp"
#include "venues/observed_venue.hpp"

namespace tb::trading::test {
namespace {

using store::SignalAction;
using store::UserRobotStatus;

Decimal simulated_position(const DeskWorld& d) {
  for (const auto& p : d.w.exchange.positions(d.key.key))
    if (p.symbol == d.symbol()) return p.amount;
  return Decimal();
}

TEST(Desk, ALongAndItsCloseOnFuturesAreTheSimulatorsOrdersAndPosition) {
  DeskWorld d("binance_futures");
  d.signal(SignalAction::Long);
  EXPECT_EQ(d.pass(), 1);
  auto sent = d.venue_orders();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].side, Side::Buy);
  EXPECT_EQ(sent[0].type, OrderType::Market);
  EXPECT_EQ(sent[0].amount, dec("0.003"));  // 150 USDT / 50000, on the 0.001 step
  EXPECT_FALSE(sent[0].reduce_only);
  auto ours = d.orders();
  ASSERT_EQ(ours.size(), 1u);
  EXPECT_EQ(sent[0].client_order_id, "tb-r-" + std::to_string(ours[0].id));
  EXPECT_EQ(ours[0].state, "filled");
  EXPECT_EQ(ours[0].filled, dec("0.003"));
  EXPECT_TRUE(sent[0].fee.is_positive());
  EXPECT_EQ(ours[0].fee, sent[0].fee);  // read from the venue's trades of the order (its answer has none)
  auto open = d.open();
  ASSERT_TRUE(open);
  EXPECT_EQ(open->side, "long");
  EXPECT_EQ(open->entered, dec("0.003"));
  EXPECT_EQ(open->entry_price, sent[0].average_price);
  EXPECT_EQ(open->fees, sent[0].fee);
  EXPECT_EQ(simulated_position(d), dec("0.003"));

  EXPECT_EQ(d.pass(), 0);  // nothing new: nothing sent
  ASSERT_TRUE(d.w.exchange.set_price("binance_futures", "BTCUSDT", dec("51000")).ok());
  d.signal(SignalAction::Short);  // reverses: the exit, then the short entry
  EXPECT_EQ(d.pass(), 2) << d.log.str() << d.ur().message;
  sent = d.venue_orders();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[1].side, Side::Sell);
  EXPECT_TRUE(sent[1].reduce_only);
  EXPECT_EQ(sent[1].amount, dec("0.003"));
  EXPECT_EQ(sent[2].side, Side::Sell);
  EXPECT_FALSE(sent[2].reduce_only);
  EXPECT_EQ(simulated_position(d), dec("-0.002"));  // 150 / 51000 on the step
  auto all = *d.store->positions(d.user_robot, 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].profit, (dec("0.003") * (all[1].exit_price - all[1].entry_price) - all[1].fees).normalized());
  EXPECT_TRUE(all[1].profit->is_positive());
  EXPECT_EQ(all[0].side, "short");
  d.signal(SignalAction::Close);
  EXPECT_EQ(d.pass(), 1);
  EXPECT_EQ(simulated_position(d), Decimal());
  EXPECT_FALSE(d.open());
}

// The robot's market (its step, for the entry's amount) is picked from the venue's list once for the pass,
// not once per user robot: a venue lists hundreds of markets and a robot has thousands of followers.
TEST(Desk, APassPicksTheRobotsMarketOnceForAllItsUserRobots) {
  DeskWorld d("binance_futures");
  for (int i = 0; i < 2; ++i) {  // two more accounts (on the same simulator key) following the robot
    store::Account a;
    a.user_id = d.user;
    a.name = "more " + std::to_string(i);
    a.venue = "binance_futures";
    a.masked_key = "abcd…wxyz";
    a.status = store::AccountStatus::Enabled;
    store::UserRobot u = d.ur();
    u.account_id = d.store->create_account(a, {})->id;
    ASSERT_TRUE(d.store->create_user_robot(u).ok());
  }
  int markets = 0;
  d.w.venue = venues::observe_calls(std::move(d.w.venue), [&](std::string_view, venues::Action action, std::string_view) {
    if (action == venues::Action::Markets) ++markets;
  });
  DeskOptions one_at_a_time;
  one_at_a_time.fan_out = 1;               // each user robot after the last one's market was read
  one_at_a_time.fee_lookups_per_pass = 0;  // (a fee asked for later reads the market on its own)
  auto desk = d.make_desk(nullptr, one_at_a_time);
  d.signal(SignalAction::Long);
  EXPECT_EQ(d.pass(desk.get()), 3) << d.log.str();
  EXPECT_EQ(markets, 1);
}

// serve opens the signers of a pass's accounts with one read of their secrets (AccountService::
// open_trading_signers): the pass hands them over once, before any of its orders is sent.
TEST(Desk, APassHandsItsAccountsToOpenTheirSignersTogetherBeforeItsFirstOrder) {
  DeskWorld d("binance_futures");
  std::vector<int64_t> expected{d.account};
  std::vector<exsim::ApiKey> keys{d.key};
  for (int i = 0; i < 2; ++i) {
    auto f = d.add_follower();
    expected.push_back(d.store->find_user_robot(f.user_robot)->value().account_id);
    keys.push_back(f.key);
  }
  std::vector<std::vector<int64_t>> handed;
  size_t orders_then = 0;
  d.desk->open_signers = [&](const std::vector<store::Account>& pass) {
    handed.emplace_back();
    for (const auto& a : pass) handed.back().push_back(a.id);
    for (const auto& k : keys) orders_then += d.w.exchange.orders(k.key).size();
  };
  d.signal(SignalAction::Long);
  EXPECT_EQ(d.pass(), 3) << d.log.str();
  EXPECT_EQ(d.pass(), 0);  // nothing new: no pass's reads, nothing handed over
  ASSERT_EQ(handed.size(), 1u);
  std::sort(handed[0].begin(), handed[0].end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(handed[0], expected);
  EXPECT_EQ(orders_then, 0u);
  for (const auto& k : keys) EXPECT_EQ(d.w.exchange.orders(k.key).size(), 1u);
}

TEST(Desk, InHedgeModeOrdersNameThePositionTheyActOn) {
  DeskWorld d("binance_futures");
  ASSERT_TRUE(d.w.exchange.set_hedge_mode(d.key.key, true).ok());
  d.signal(SignalAction::Short);
  EXPECT_EQ(d.pass(), 1);
  d.signal(SignalAction::Long);  // reverses: closes the short, opens a long
  EXPECT_EQ(d.pass(), 2);
  auto sent = d.venue_orders();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].position_side, PositionSide::Short);
  EXPECT_EQ(sent[1].side, Side::Buy);
  EXPECT_EQ(sent[1].position_side, PositionSide::Short);  // the exit acts on the short
  EXPECT_EQ(sent[2].position_side, PositionSide::Long);
  Decimal longs, shorts;
  for (const auto& p : d.w.exchange.positions(d.key.key)) (p.side == PositionSide::Long ? longs : shorts) += p.amount;
  EXPECT_EQ(shorts, Decimal());
  EXPECT_EQ(longs, dec("0.003"));
  EXPECT_EQ(d.open()->side, "long");
}

TEST(Desk, ALostAnswerIsSettledByAskingAndTheOrderIsNotSentTwice) {
  DeskWorld d("binance_futures");
  d.w.lose_answers_of = "order";
  d.w.lose_count = 1;
  d.signal(SignalAction::Long);
  d.pass();
  EXPECT_EQ(d.orders()[0].state, "unknown");
  EXPECT_FALSE(d.open());
  d.pass();  // asks by client order id
  EXPECT_EQ(d.venue_orders().size(), 1u);
  EXPECT_EQ(d.orders()[0].state, "filled");
  ASSERT_TRUE(d.open());
  EXPECT_EQ(d.open()->entered, dec("0.003"));
  for (int i = 0; i < 3; ++i) d.pass();
  EXPECT_EQ(d.venue_orders().size(), 1u);
  EXPECT_EQ(d.open()->entered, dec("0.003"));
}

TEST(Desk, TheNextSignalWaitsUntilThePreviousOnesOrderIsSettled) {
  DeskWorld d("binance_futures");
  d.w.lose_answers_of = "order";
  d.w.lose_count = 1;
  d.signal(SignalAction::Long);
  d.signal(SignalAction::Close);  // already waiting when the long is sent: planned on the long's outcome
  d.pass();
  EXPECT_EQ(d.orders().size(), 1u);  // the close waits: the long's answer never came
  EXPECT_EQ(d.ur().handled_seq, 1);
  d.pass();  // the long settled by asking, then the close exits it
  auto sent = d.venue_orders();
  ASSERT_EQ(sent.size(), 2u) << d.log.str();
  EXPECT_EQ(sent[1].side, Side::Sell);
  EXPECT_TRUE(sent[1].reduce_only);
  EXPECT_EQ(simulated_position(d), Decimal());
  EXPECT_FALSE(d.open());
  EXPECT_EQ(d.ur().handled_seq, 2);
}

TEST(Desk, AFeeTheVenueDidNotTellYetIsAskedLaterAndCountedInTheClosedPosition) {
  DeskWorld d("binance_futures");
  d.w.exchange.add_fault({"binance_futures", "userTrades", "http_500", 50});
  d.signal(SignalAction::Long);
  d.pass();
  d.signal(SignalAction::Close);
  d.pass();
  auto ours = d.orders();
  ASSERT_EQ(ours.size(), 2u);
  for (const auto& o : ours) {
    EXPECT_TRUE(o.fee_pending);
    EXPECT_EQ(o.fee, Decimal());
    EXPECT_TRUE(o.position_id);
  }
  auto closed = (*d.store->positions(d.user_robot, 10))[0];
  ASSERT_TRUE(closed.profit);
  const Decimal gross = *closed.profit;  // no fee known yet
  d.w.exchange.clear_faults();
  d.pass();  // the fees asked: each order's, into the closed position and its profit
  auto sent = d.venue_orders();
  ASSERT_EQ(sent.size(), 2u);
  const Decimal fees = (sent[0].fee + sent[1].fee).normalized();
  EXPECT_TRUE(fees.is_positive());
  ours = d.orders();
  for (const auto& o : ours) EXPECT_FALSE(o.fee_pending);
  closed = (*d.store->positions(d.user_robot, 10))[0];
  EXPECT_EQ(closed.fees, fees);
  EXPECT_EQ(*closed.profit, (gross - fees).normalized());
  d.pass();
  EXPECT_EQ((*d.store->positions(d.user_robot, 10))[0].fees, fees);  // counted once
}

TEST(Desk, ARequestThatNeverArrivedIsSentAgainUnderItsIdOnlyAfterTheVenueSaidNoTwice) {
  DeskWorld d("binance_futures");
  d.w.exchange.add_fault({"binance_futures", "order", "timeout", 1});
  d.signal(SignalAction::Long);
  d.pass();
  EXPECT_EQ(d.orders()[0].state, "unknown");
  EXPECT_TRUE(d.venue_orders().empty());
  d.pass();
  d.pass();  // absent twice, but too soon: one in transit may still land
  EXPECT_TRUE(d.venue_orders().empty());
  d.w.harness.clock.advance_ms(11'000);
  d.pass();
  auto sent = d.venue_orders();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].client_order_id, d.orders()[0].client_order_id);
  EXPECT_EQ(d.orders()[0].state, "filled");
  d.pass();
  EXPECT_EQ(d.venue_orders().size(), 1u);
}

// A stop the user asks for while a pass is starting the user robot (after the pass read it as starting) is
// not written over by the start: the next pass carries it out.
TEST(Desk, AStopAskedWhileThePassStartsTheUserRobotStands) {
  DeskWorld d("binance_futures");
  store::UserRobot starting = d.ur();
  starting.status = UserRobotStatus::Starting;
  ASSERT_TRUE(d.store->update_user_robot(starting).ok());
  store::FaultyStore faulty(*d.store);
  faulty.after("user_robots_to_follow", [&] {
    store::UserRobot stop = d.ur();
    stop.status = UserRobotStatus::Stopping;
    stop.stop_mode = "keep";
    ASSERT_TRUE(d.store->update_user_robot(stop).ok());
  });
  auto desk = d.make_desk(&faulty);
  d.pass(desk.get());
  EXPECT_EQ(d.ur().status, UserRobotStatus::Stopping);
  d.pass(desk.get());
  EXPECT_EQ(d.ur().status, UserRobotStatus::Stopped) << d.log.str();
}

TEST(Desk, AFillTheStoreFailedToRecordIsLearntOnceByTheNextProcess) {
  DeskWorld d("binance_futures");
  store::FaultyStore faulty(*d.store);
  auto first = d.make_desk(&faulty);
  faulty.fail("update_order");  // the fill's record dies: as a kill between the venue's answer and the write
  d.signal(SignalAction::Long);
  d.pass(first.get());
  EXPECT_EQ(d.venue_orders().size(), 1u);
  EXPECT_EQ(d.orders()[0].state, "intent");  // as the dead process left it
  EXPECT_FALSE(d.open());
  auto second = d.make_desk();  // the restarted process
  d.pass(second.get());
  d.pass(second.get());
  EXPECT_EQ(d.venue_orders().size(), 1u);
  EXPECT_EQ(d.orders()[0].state, "filled");
  ASSERT_TRUE(d.open());
  EXPECT_EQ(d.open()->entered, dec("0.003"));
}

// Several processes over one database split the accounts: a desk never touches an account it does not own,
// neither its signals nor its unsettled orders, and the owner's desk trades it as usual.
TEST(Desk, AnAccountAnotherProcessOwnsIsNotTradedHere) {
  DeskWorld d("binance_futures");
  DeskOptions elsewhere;
  elsewhere.owns = [](int64_t) { return false; };
  auto other = d.make_desk(nullptr, elsewhere);
  d.signal(store::SignalAction::Long);
  EXPECT_EQ(d.pass(other.get()), 0);
  EXPECT_TRUE(d.venue_orders().empty());
  EXPECT_EQ(d.ur().handled_seq, 0);
  EXPECT_TRUE(other->between_passes());
  DeskOptions here;
  here.owns = [&](int64_t account) { return account == d.account; };
  auto mine = d.make_desk(nullptr, here);
  EXPECT_EQ(d.pass(mine.get()), 1);
  EXPECT_EQ(d.venue_orders().size(), 1u);
  EXPECT_EQ(d.ur().handled_seq, 1);
}

TEST(Desk, BelowTheMarketMinimumTheEntryIsSkippedWithTheMinimumNamed) {
  DeskWorld d("binance_futures", store::VolumeType::QuoteFixed, "99");  // the minimum is 100 USDT
  d.signal(SignalAction::Long);
  EXPECT_EQ(d.pass(), 0);
  EXPECT_TRUE(d.venue_orders().empty());
  EXPECT_EQ(d.ur().handled_seq, 1);
  EXPECT_EQ(d.ur().status, UserRobotStatus::Started);
  EXPECT_NE(d.ur().message.find("below the market minimum"), std::string::npos) << d.ur().message;
  EXPECT_NE(d.ur().message.find("BTC"), std::string::npos);
}

TEST(Desk, AnOrderTheVenueRefusesPausesTheUserRobotWithTheReason) {
  DeskWorld d("binance_futures", store::VolumeType::AssetFixed, "50");  // 2.5M USDT of BTC on 10,000 USDT
  d.signal(SignalAction::Long);
  d.signal(SignalAction::Close);
  d.pass();
  EXPECT_EQ(d.ur().status, UserRobotStatus::Paused);
  EXPECT_NE(d.ur().message.find("was refused"), std::string::npos) << d.ur().message;
  EXPECT_EQ(d.orders()[0].state, "rejected");
  EXPECT_EQ(d.ur().handled_seq, 1);  // the next signal waits for the user
}

TEST(Desk, OnSpotAShortOnlyExitsALong) {
  DeskWorld d("kraken");
  d.signal(SignalAction::Short);
  EXPECT_EQ(d.pass(), 0);
  d.signal(SignalAction::Long);
  EXPECT_EQ(d.pass(), 1) << d.log.str() << d.ur().message;
  d.signal(SignalAction::Short);
  EXPECT_EQ(d.pass(), 1);
  auto sent = d.venue_orders();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].side, Side::Sell);
  EXPECT_EQ(sent[1].amount, sent[0].filled);
  EXPECT_EQ(sent[1].client_order_id.substr(0, 3), "tbr");
  d.pass();  // Kraken's AddOrder answers with the id only: the fill is read on the next pass
  EXPECT_FALSE(d.open());
  EXPECT_EQ(d.venue_orders().size(), 2u);
}

TEST(Desk, StopWithCloseExitsAtMarketAndStopWithKeepDetaches) {
  DeskWorld d("binance_futures");
  d.signal(SignalAction::Long);
  d.pass();
  auto ur = d.ur();
  ur.status = UserRobotStatus::Stopping;
  ur.stop_mode = "close";
  ASSERT_TRUE(d.store->update_user_robot(ur).ok());
  d.pass();  // the exit
  d.pass();  // flat: stopped
  EXPECT_EQ(d.ur().status, UserRobotStatus::Stopped);
  EXPECT_EQ(simulated_position(d), Decimal());
  EXPECT_TRUE(d.venue_orders().back().reduce_only);

  ur = d.ur();
  ur.status = UserRobotStatus::Started;
  ur.stop_mode.clear();
  ASSERT_TRUE(d.store->update_user_robot(ur).ok());
  d.signal(SignalAction::Long);
  d.pass();
  ur = d.ur();
  ur.status = UserRobotStatus::Stopping;
  ur.stop_mode = "keep";
  ASSERT_TRUE(d.store->update_user_robot(ur).ok());
  d.pass();
  EXPECT_EQ(d.ur().status, UserRobotStatus::Stopped);
  EXPECT_EQ(simulated_position(d), dec("0.003"));  // still on the exchange
  EXPECT_FALSE(d.open());                          // no longer ours
  EXPECT_EQ(d.venue_orders().size(), 3u);
}

TEST(Desk, APricedEntryNotFilledIsReplacedStepByStepThenSkipped) {
  DeskWorld d("binance_futures");
  d.signal(SignalAction::Long, dec("49000"));  // below the market: rests
  d.pass();
  auto sent = d.venue_orders();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].type, OrderType::Limit);
  EXPECT_EQ(sent[0].price, dec("49000"));
  EXPECT_EQ(sent[0].amount, dec("0.003"));  // 150 / 49000 on the step
  d.pass();
  EXPECT_EQ(d.venue_orders().size(), 1u);  // not yet timed out
  d.w.harness.clock.advance_ms(121'000);
  d.pass();
  sent = d.venue_orders();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].status, exsim::SimOrderStatus::Canceled);
  EXPECT_EQ(sent[1].price, dec("49049"));  // one 0.1 % step higher, on the tick
  EXPECT_NE(sent[1].client_order_id, sent[0].client_order_id);
  d.w.harness.clock.advance_ms(121'000);
  d.pass();
  d.w.harness.clock.advance_ms(121'000);
  d.pass();
  sent = d.venue_orders();
  ASSERT_EQ(sent.size(), 3u);  // two steps, then the entry is skipped
  EXPECT_TRUE(d.w.exchange.open_orders(d.key.key).empty());
  EXPECT_NE(d.ur().message.find("entry skipped"), std::string::npos) << d.ur().message;
  EXPECT_FALSE(d.open());
  auto ours = d.orders();
  ASSERT_EQ(ours.size(), 3u);
  EXPECT_EQ(ours[0].attempt, 2);
  EXPECT_EQ(ours[0].state, "cancelled");
}

// An order sent again after the venue said twice it had none is a new question: asked soon again, not after
// the long wait its earlier asks had grown to (10 s). Past its time on the book (counted from when it was
// written down), it is timed out at that first ask.
TEST(Desk, AnOrderSentAgainIsAskedAfreshAndTimedOutWhenDue) {
  DeskWorld d("binance_futures");
  DeskOptions o;
  o.order_timeout = std::chrono::milliseconds(2'000);
  d.desk = d.make_desk(nullptr, o);
  d.w.exchange.add_fault({"binance_futures", "order", "timeout", 1});
  d.signal(SignalAction::Long, dec("49000"));  // below the market: rests once it arrives
  for (int i = 0; i < 40 && d.venue_orders().empty(); ++i) {
    d.w.harness.clock.advance_ms(1'000);
    d.pass();
  }
  ASSERT_EQ(d.venue_orders().size(), 1u);  // sent again, asked about a dozen times by now
  EXPECT_EQ(d.orders()[0].note, "the venue did not have it: sent again");
  for (int i = 0; i < 2; ++i) {
    d.w.harness.clock.advance_ms(500);
    d.pass();
  }
  auto sent = d.venue_orders();
  ASSERT_EQ(sent.size(), 2u) << d.log.str();
  EXPECT_EQ(sent[0].status, exsim::SimOrderStatus::Canceled);
  EXPECT_EQ(sent[1].price, dec("49049"));
}

TEST(Desk, APricedExitNotFilledGoesAtMarketAfterTheLastStep) {
  DeskWorld d("binance_futures");
  d.signal(SignalAction::Long);
  d.pass();
  d.signal(SignalAction::Close, dec("52000"));  // above the market: the sell rests
  d.pass();
  for (int i = 0; i < 3; ++i) {
    d.w.harness.clock.advance_ms(121'000);
    d.pass();
  }
  auto sent = d.venue_orders();
  ASSERT_EQ(sent.size(), 5u);  // the entry, the exit at 52000, two steps lower, then at market
  EXPECT_EQ(sent[2].price, dec("51948"));
  EXPECT_EQ(sent[4].type, OrderType::Market);
  EXPECT_TRUE(sent[4].reduce_only);
  d.pass();
  EXPECT_FALSE(d.open());
  EXPECT_EQ(simulated_position(d), Decimal());
}

TEST(Reconcile, AHandPlacedOrderIsToldOnceAndAHandChangedPositionPausesWithBothAmounts) {
  DeskWorld d("binance_futures");
  std::vector<DeskEvent> told;
  d.desk->on_event = [&](const DeskEvent& e) { told.push_back(e); };
  d.signal(SignalAction::Long);
  d.pass();
  EXPECT_EQ(tb::test::run(d.desk->reconcile_once()), 0);  // ours and the venue's agree
  exsim::OrderSpec hand;
  hand.symbol = "BTCUSDT";
  hand.side = Side::Buy;
  hand.type = OrderType::Limit;
  hand.price = dec("40000");
  hand.amount = dec("0.01");
  hand.client_order_id = "web_by_hand";
  ASSERT_TRUE(std::holds_alternative<exsim::SimOrder>(d.w.exchange.place(d.key.key, hand, false)));
  EXPECT_EQ(tb::test::run(d.desk->reconcile_once()), 1);
  EXPECT_EQ(tb::test::run(d.desk->reconcile_once()), 0);  // told once
  auto foreign = std::find_if(told.begin(), told.end(), [](const DeskEvent& e) { return e.kind == DeskEvent::ForeignOrder; });
  ASSERT_NE(foreign, told.end());
  EXPECT_EQ(foreign->foreign->client_order_id, "web_by_hand");
  EXPECT_EQ(d.w.exchange.open_orders(d.key.key).size(), 1u);  // never touched
  EXPECT_EQ(d.ur().status, UserRobotStatus::Started);

  hand.type = OrderType::Market;  // the user adds to the position by hand
  hand.price.reset();
  hand.client_order_id = "web_market";
  hand.amount = dec("0.002");  // the market minimum is 100 USDT
  ASSERT_TRUE(std::holds_alternative<exsim::SimOrder>(d.w.exchange.place(d.key.key, hand, false)));
  EXPECT_GE(tb::test::run(d.desk->reconcile_once()), 1);
  EXPECT_EQ(d.ur().status, UserRobotStatus::Paused);
  EXPECT_NE(d.ur().message.find("ours 0.003, the exchange's 0.005"), std::string::npos) << d.ur().message;
}

}  // namespace
}  // namespace tb::trading::test
