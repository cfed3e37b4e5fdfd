// The user robots' aggregate: a user's account follows a robot once, its positions (one open at a time),
// the robots' orders with their fills in the ledger, and a signal robot's signal ids taken once.
#include <map>

#include "store/backends.hpp"

namespace tb::store {
namespace {

class UserRobots : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    uid_ = make_user();
    account_ = add_account("Binance");
    Robot r;
    r.name = "signals";
    r.strategy = "signal";
    r.venue = "binance_futures";
    r.symbol = "BTCUSDT";
    r.kind = "signal";
    r.owner_id = uid_;
    r.signal_token_hash = "abc123";
    auto robot = store_->create_robot(r);
    ASSERT_TRUE(robot.ok()) << robot.error().describe();
    robot_ = robot->id;
  }
  // Another Binance USD-M account of the user (0 when it could not be added).
  int64_t add_account(const std::string& name) {
    Account a;
    a.user_id = uid_;
    a.name = name;
    a.venue = "binance_futures";
    a.masked_key = "vmPU…" + name;
    auto acc = store_->create_account(a, {{0, "secret", "v1.n.c", 1}});
    EXPECT_TRUE(acc.ok()) << acc.error().describe();
    return acc ? acc->id : 0;
  }
  // A market buy's intent for the signal's entry of that user robot.
  static OrderRecord robot_order(int64_t account_id, int64_t user_robot_id) {
    OrderRecord o;
    o.account_id = account_id;
    o.purpose = "robot";
    o.venue = "binance_futures";
    o.symbol = "BTCUSDT";
    o.side = "buy";
    o.type = "market";
    o.amount = dec("0.002");
    o.state = "intent";
    o.user_robot_id = user_robot_id;
    o.leg = "entry";
    return o;
  }
  UserRobot follower() const {
    UserRobot u;
    u.user_id = uid_;
    u.robot_id = robot_;
    u.account_id = account_;
    u.volume_type = VolumeType::QuoteFixed;
    u.volume = dec("100.5");
    return u;
  }
  int64_t uid_ = 0, account_ = 0, robot_ = 0;
};

// The leverage the venue said is kept apart from the other changes: a write of the user robot leaves it.
TEST_P(UserRobots, TheLeverageInEffectIsKeptApartFromOtherChanges) {
  auto u = store_->create_user_robot(follower());
  ASSERT_TRUE(u.ok()) << u.error().describe();
  EXPECT_EQ(u->leverage, std::nullopt);
  ASSERT_TRUE(store_->set_user_robot_leverage(u->id, 7).ok());
  UserRobot changed = *u;  // read before the leverage was set
  changed.status = UserRobotStatus::Started;
  ASSERT_TRUE(store_->update_user_robot(changed).ok());
  auto back = store_->find_user_robot(u->id);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->leverage, 7);
  EXPECT_EQ((*back)->status, UserRobotStatus::Started);
  EXPECT_EQ(store_->list_user_robots(uid_)->front().leverage, 7);
  ASSERT_TRUE(store_->set_user_robot_leverage(u->id, std::nullopt).ok());
  EXPECT_EQ((*store_->find_user_robot(u->id))->leverage, std::nullopt);
  EXPECT_FALSE(store_->set_user_robot_leverage(u->id + 100, 3).ok());  // no such user robot
}

TEST_P(UserRobots, ASignalRobotKeepsItsKindOwnerAndTokenHash) {
  auto r = store_->find_robot(robot_);
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->kind, "signal");
  EXPECT_EQ((*r)->owner_id, uid_);
  EXPECT_EQ((*r)->signal_token_hash, "abc123");
}

TEST_P(UserRobots, AnAccountFollowsARobotOnceAndItsChangesAreKept) {
  auto u = store_->create_user_robot(follower());
  ASSERT_TRUE(u.ok()) << u.error().describe();
  EXPECT_EQ(u->status, UserRobotStatus::Stopped);
  auto dup = store_->create_user_robot(follower());
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().field, "robot_id");

  UserRobot changed = *u;
  changed.status = UserRobotStatus::Started;
  changed.volume_type = VolumeType::BalancePercent;
  changed.volume = dec("25");
  changed.handled_seq = 7;
  changed.message = "paused: insufficient funds";
  clock_.advance_ms(9);
  ASSERT_TRUE(store_->update_user_robot(changed).ok());
  auto back = store_->find_user_robot(u->id);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->status, UserRobotStatus::Started);
  EXPECT_EQ((*back)->volume_type, VolumeType::BalancePercent);
  EXPECT_EQ((*back)->volume, dec("25"));
  EXPECT_EQ((*back)->handled_seq, 7);
  EXPECT_EQ((*back)->message, "paused: insufficient funds");
  EXPECT_EQ((*back)->updated_ms, 1'700'000'000'009);
  EXPECT_EQ(store_->active_user_robots()->size(), 1u);
  EXPECT_EQ(store_->user_robots_of_robot(robot_)->size(), 1u);
  EXPECT_EQ(store_->user_robots_of_account(account_)->size(), 1u);
  EXPECT_EQ(store_->list_user_robots(uid_ + 1)->size(), 0u);
  changed.status = UserRobotStatus::Paused;
  ASSERT_TRUE(store_->update_user_robot(changed).ok());
  EXPECT_TRUE(store_->active_user_robots()->empty());
  ASSERT_TRUE(store_->delete_user_robot(u->id).ok());
  EXPECT_FALSE(store_->find_user_robot(u->id)->has_value());
  EXPECT_EQ(store_->delete_user_robot(u->id).error().kind, ErrorKind::InvalidArgument);  // the store's "no such row"
}

// A start is one conditional write: a user robot no longer starting (stopped meanwhile) stays as it is.
TEST_P(UserRobots, OnlyAStartingUserRobotIsMarkedStarted) {
  auto u = store_->create_user_robot(follower());
  ASSERT_TRUE(u.ok()) << u.error().describe();
  UserRobot starting = *u;
  starting.status = UserRobotStatus::Starting;
  ASSERT_TRUE(store_->update_user_robot(starting).ok());
  auto started = store_->mark_started(u->id);
  ASSERT_TRUE(started.ok() && started->has_value()) << (started ? "not marked" : started.error().describe());
  EXPECT_EQ((*started)->status, UserRobotStatus::Started);
  EXPECT_EQ((*started)->volume, u->volume);
  UserRobot stopping = **started;
  stopping.status = UserRobotStatus::Stopping;
  ASSERT_TRUE(store_->update_user_robot(stopping).ok());
  auto again = store_->mark_started(u->id);
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_FALSE(again->has_value());
  EXPECT_EQ((*store_->find_user_robot(u->id))->status, UserRobotStatus::Stopping);
  EXPECT_FALSE(store_->mark_started(u->id + 1000)->has_value());  // no such user robot: nothing to start
}

// A desk's pass visits the user robots with something to do, found in the database: starting and stopping
// ones, and started ones behind their robot's last signal; not the started ones that are up to date, nor
// paused or stopped ones.
TEST_P(UserRobots, APassFollowsOnlyTheUserRobotsWithSomethingToDo) {
  auto with = [&](const std::string& account, UserRobotStatus status, int64_t handled_seq) {
    UserRobot u = follower();
    u.account_id = add_account(account);
    auto made = store_->create_user_robot(u);
    EXPECT_TRUE(made.ok()) << made.error().describe();
    made->status = status;
    made->handled_seq = handled_seq;
    EXPECT_TRUE(store_->update_user_robot(*made).ok());
    return made->id;
  };
  auto ids = [&] {
    std::vector<int64_t> out;
    auto due = store_->user_robots_to_follow();
    EXPECT_TRUE(due.ok()) << due.error().describe();
    for (const auto& u : *due) out.push_back(u.id);
    return out;
  };
  const int64_t up_to_date = with("a", UserRobotStatus::Started, 0);
  EXPECT_EQ(ids(), std::vector<int64_t>{});  // no signal yet
  for (int64_t seq = 1; seq <= 2; ++seq) ASSERT_TRUE(store_->append_signal({robot_, seq, SignalAction::Long}).ok());
  ASSERT_TRUE(store_->set_handled_seq(up_to_date, 2, "").ok());
  const int64_t behind = with("b", UserRobotStatus::Started, 1);
  const int64_t starting = with("c", UserRobotStatus::Starting, 0);
  const int64_t stopping = with("d", UserRobotStatus::Stopping, 2);
  with("e", UserRobotStatus::Paused, 0);
  with("f", UserRobotStatus::Stopped, 0);
  EXPECT_EQ(ids(), (std::vector<int64_t>{behind, starting, stopping}));
  ASSERT_TRUE(store_->append_signal({robot_, 3, SignalAction::Close}).ok());
  EXPECT_EQ(ids(), (std::vector<int64_t>{up_to_date, behind, starting, stopping}));
}

// The desk's write with a signal's intents: the handled signal and the message, nothing else of the row.
TEST_P(UserRobots, TheHandledSignalIsWrittenAloneAndAStopAskedMeanwhileStays) {
  auto u = store_->create_user_robot(follower());
  ASSERT_TRUE(u.ok()) << u.error().describe();
  UserRobot stopping = *u;
  stopping.status = UserRobotStatus::Stopping;
  stopping.stop_mode = "close";
  ASSERT_TRUE(store_->update_user_robot(stopping).ok());
  clock_.advance_ms(5);
  ASSERT_TRUE(store_->set_handled_seq(u->id, 12, "signal 12: entry skipped: below the market minimum").ok());
  auto back = store_->find_user_robot(u->id);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->handled_seq, 12);
  EXPECT_EQ((*back)->message, "signal 12: entry skipped: below the market minimum");
  EXPECT_EQ((*back)->status, UserRobotStatus::Stopping);
  EXPECT_EQ((*back)->stop_mode, "close");
  EXPECT_EQ((*back)->volume, u->volume);
  EXPECT_EQ((*back)->updated_ms, 1'700'000'000'005);
  auto missing = store_->set_handled_seq(u->id + 1000, 1, "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::InvalidArgument);  // the store's "no such row"
}

TEST_P(UserRobots, OnePositionIsOpenAtATimeAndAClosedOneKeepsItsProfit) {
  auto u = store_->create_user_robot(follower());
  ASSERT_TRUE(u.ok());
  RobotPosition p{0, u->id, "long", dec("0.002"), dec("50000.1"), dec("0"), dec("0"), dec("0.04"), std::nullopt, 5, std::nullopt};
  auto opened = store_->save_position(p);
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  auto second = store_->save_position(p);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().field, "side");
  RobotPosition closed = *opened;
  closed.exited = dec("0.002");
  closed.exit_price = dec("51000");
  closed.profit = dec("1.719");
  closed.closed_ms = 9;
  ASSERT_TRUE(store_->save_position(closed).ok());
  EXPECT_FALSE(store_->open_position(u->id)->has_value());
  auto all = store_->positions(u->id, 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].profit, dec("1.719"));
  EXPECT_EQ((*all)[0].exit_price, dec("51000"));
  EXPECT_EQ((*all)[0].closed_ms, 9);
  EXPECT_TRUE(store_->save_position(p).ok());  // a new one may open now
}

// A position's id is never given again (an order of a deleted user robot may still name it): not after its
// user robot is deleted, not within one transaction that writes several, and not after a rolled-back one.
TEST_P(UserRobots, APositionsIdIsNeverGivenAgain) {
  auto u = store_->create_user_robot(follower());
  ASSERT_TRUE(u.ok());
  RobotPosition p{0, u->id, "long", dec("0.002"), dec("50000.1"), dec("0"), dec("0"), dec("0"), std::nullopt, 5, std::nullopt};
  auto first = store_->save_position(p);
  ASSERT_TRUE(first.ok()) << first.error().describe();
  ASSERT_TRUE(store_->delete_user_robot(u->id).ok());  // the highest position goes with it
  EXPECT_FALSE(store_->find_position(first->id)->has_value());
  UserRobot again = follower();
  again.account_id = add_account("Binance 2");
  auto u2 = store_->create_user_robot(again);
  ASSERT_TRUE(u2.ok());
  p.user_robot_id = u2->id;
  std::vector<int64_t> ids;
  ASSERT_TRUE(store_
                  ->with_transaction([&](Store& s) -> Status {
                    for (int i = 0; i < 2; ++i) {
                      auto pos = s.save_position(p);
                      if (!pos) return pos.error();
                      ids.push_back(pos->id);
                      RobotPosition closed = *pos;
                      closed.closed_ms = 6;
                      if (auto st = s.save_position(closed); !st) return st.error();
                    }
                    return ok_status();
                  })
                  .ok());
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_GT(ids[0], first->id);
  EXPECT_GT(ids[1], ids[0]);
  int64_t rolled_back = 0;
  EXPECT_FALSE(store_
                   ->with_transaction([&](Store& s) -> Status {
                     auto pos = s.save_position(p);
                     if (!pos) return pos.error();
                     rolled_back = pos->id;
                     return Error::make(ErrorKind::Conflict, "refused");
                   })
                   .ok());
  EXPECT_GT(rolled_back, ids[1]);
  auto next = store_->save_position(p);
  ASSERT_TRUE(next.ok()) << next.error().describe();
  EXPECT_GT(next->id, ids[1]);
  EXPECT_EQ(store_->find_position(next->id)->value().user_robot_id, u2->id);
}

// A position is found by its id (a fee counted into the position its fill moved); an update names the user
// robot the position belongs to and changes nothing of another's or of one that is not there.
TEST_P(UserRobots, APositionIsFoundByIdAndUpdatedOnlyAsItsUserRobots) {
  auto u = store_->create_user_robot(follower());
  ASSERT_TRUE(u.ok());
  RobotPosition p{0, u->id, "long", dec("0.002"), dec("50000.1"), dec("0"), dec("0"), dec("0.04"), std::nullopt, 5, std::nullopt};
  auto opened = store_->save_position(p);
  ASSERT_TRUE(opened.ok()) << opened.error().describe();
  auto found = store_->find_position(opened->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->user_robot_id, u->id);
  EXPECT_EQ((*found)->entry_price, dec("50000.1"));
  EXPECT_FALSE(store_->find_position(opened->id + 1000)->has_value());
  RobotPosition stray = *opened;
  stray.user_robot_id = u->id + 1000;
  stray.fees = dec("9");
  auto refused = store_->save_position(stray);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::InvalidArgument);  // the store's "no such row", not a second open one
  EXPECT_NE(refused.error().message.find("position: no row with id"), std::string::npos) << refused.error().describe();
  EXPECT_NE(refused.error().field, "side");
  RobotPosition missing = *opened;
  missing.id += 1000;
  auto absent = store_->save_position(missing);
  ASSERT_FALSE(absent.ok());
  EXPECT_NE(absent.error().message.find("position: no row with id"), std::string::npos) << absent.error().describe();
  EXPECT_EQ((*store_->find_position(opened->id))->fees, dec("0.04"));  // untouched
}

// A pass reads the open positions of all its user robots at once: each one's open position, none of the
// closed ones, nothing for a user robot holding none.
TEST_P(UserRobots, TheOpenPositionsOfManyUserRobotsAreReadAtOnce) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    UserRobot f = follower();
    if (i) f.account_id = add_account("Binance " + std::to_string(i));
    auto u = store_->create_user_robot(f);
    ASSERT_TRUE(u.ok()) << u.error().describe();
    ids.push_back(u->id);
  }
  RobotPosition p;
  p.user_robot_id = ids[0];
  p.side = "long";
  p.entered = dec("0.002");
  p.entry_price = dec("50000");
  p.opened_ms = 5;
  auto closed = store_->save_position(p);
  ASSERT_TRUE(closed.ok());
  closed->exited = dec("0.002");
  closed->closed_ms = 6;
  ASSERT_TRUE(store_->save_position(*closed).ok());
  p.entered = dec("0.003");
  ASSERT_TRUE(store_->save_position(p).ok());  // ids[0] holds a second one, open
  p.user_robot_id = ids[2];
  p.side = "short";
  p.entered = dec("0.004");
  ASSERT_TRUE(store_->save_position(p).ok());

  auto open = store_->open_positions(ids);
  ASSERT_TRUE(open.ok()) << open.error().describe();
  std::map<int64_t, RobotPosition> by_robot;
  for (const auto& o : *open) by_robot.emplace(o.user_robot_id, o);
  ASSERT_EQ(by_robot.size(), 2u);
  EXPECT_EQ(by_robot.at(ids[0]).entered, dec("0.003"));
  EXPECT_EQ(by_robot.at(ids[0]).side, "long");
  EXPECT_EQ(by_robot.at(ids[2]).entered, dec("0.004"));
  EXPECT_EQ(by_robot.at(ids[2]).side, "short");
  auto first_two = store_->open_positions({ids[1], ids[0]});  // their range: ids[2]'s is not asked for
  ASSERT_TRUE(first_two.ok()) << first_two.error().describe();
  ASSERT_EQ(first_two->size(), 1u);
  EXPECT_EQ((*first_two)[0].user_robot_id, ids[0]);
  auto spread = store_->open_positions({ids[2], ids[2] + 1000});  // a list: an unknown id is left out
  ASSERT_TRUE(spread.ok()) << spread.error().describe();
  ASSERT_EQ(spread->size(), 1u);
  EXPECT_EQ((*spread)[0].entered, dec("0.004"));
  EXPECT_TRUE(store_->open_positions({})->empty());
}

TEST_P(UserRobots, ARobotOrderKeepsItsLegAndFillsAndEachLegIsWrittenOnce) {
  auto u = store_->create_user_robot(follower());
  ASSERT_TRUE(u.ok());
  OrderRecord o = robot_order(account_, u->id);
  o.client_order_id = "tmp-1";
  o.signal_seq = 3;
  o.reduce_only = true;
  auto rec = store_->record_robot_order(o, [](int64_t id) { return "tb-r-" + std::to_string(id); });
  ASSERT_TRUE(rec.ok()) << rec.error().describe();
  EXPECT_EQ(rec->client_order_id, "tb-r-" + std::to_string(rec->id));
  o.client_order_id = "tmp-2";
  EXPECT_FALSE(store_->record_order(o).ok());  // the same signal's entry, twice
  OrderRecord filled = *rec;
  filled.state = "filled";
  filled.filled = dec("0.002");
  filled.average_price = dec("50000.1");
  filled.fee = dec("0.04000008");
  filled.applied = dec("0.002");
  filled.settled_ms = 77;
  ASSERT_TRUE(store_->update_order(filled).ok());
  auto back = store_->robot_orders(u->id, 10);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 1u);
  const OrderRecord& b = (*back)[0];
  EXPECT_EQ(b.client_order_id, "tb-r-" + std::to_string(rec->id));
  EXPECT_EQ(b.user_robot_id, u->id);
  EXPECT_EQ(b.signal_seq, 3);
  EXPECT_EQ(b.leg, "entry");
  EXPECT_TRUE(b.reduce_only);
  EXPECT_EQ(b.filled, dec("0.002"));
  EXPECT_EQ(b.average_price, dec("50000.1"));
  EXPECT_EQ(b.fee, dec("0.04000008"));
  EXPECT_EQ(b.applied, dec("0.002"));
  EXPECT_TRUE(store_->unsettled_robot_orders()->empty());
  EXPECT_EQ(store_->unsettled_orders_of_user(uid_)->size(), 0u);
}

// A robot order's client order id is made from its row id, taken before the insert: inside a transaction
// and alone, and never the id of an order that is gone (the venue may still know that client order id).
TEST_P(UserRobots, ARobotOrderIsNamedFromItsOwnIdAndAnIdIsNeverTakenTwice) {
  auto u = store_->create_user_robot(follower());
  ASSERT_TRUE(u.ok());
  OrderRecord o = robot_order(account_, u->id);
  auto name = [](int64_t id) { return "tb-r-" + std::to_string(id); };
  std::vector<int64_t> ids;
  int64_t plain_id = 0;
  ASSERT_TRUE(store_
                  ->with_transaction([&](Store& s) -> Status {
                    for (int seq = 1; seq <= 3; ++seq) {
                      o.signal_seq = seq;
                      auto rec = s.record_robot_order(o, name);
                      if (!rec) return rec.error();
                      ids.push_back(rec->id);
                      if (seq != 2) continue;
                      OrderRecord other = robot_order(account_, u->id);  // another kind of order between two
                      other.user_robot_id.reset();
                      other.purpose = "key_test";
                      other.client_order_id = "kt-1";
                      auto plain = s.record_order(other);
                      if (!plain) return plain.error();
                      plain_id = plain->id;
                    }
                    return ok_status();
                  })
                  .ok());
  o.signal_seq = 4;
  auto alone = store_->record_robot_order(o, name);
  ASSERT_TRUE(alone.ok()) << alone.error().describe();
  ids.push_back(alone->id);
  for (size_t i = 1; i < ids.size(); ++i) EXPECT_GT(ids[i], ids[i - 1]);
  EXPECT_GT(plain_id, ids[1]);
  EXPECT_GT(ids[2], plain_id);
  for (int64_t id : ids) EXPECT_EQ(store_->find_order(id)->value().client_order_id, name(id));

  ASSERT_TRUE(store_->delete_account(account_).ok());  // its orders go with it
  EXPECT_FALSE(store_->find_order(ids.back())->has_value());
  UserRobot again = follower();
  again.account_id = add_account("Binance 2");
  auto u2 = store_->create_user_robot(again);
  ASSERT_TRUE(u2.ok());
  o = robot_order(again.account_id, u2->id);
  o.signal_seq = 1;
  auto next = store_->record_robot_order(o, name);
  ASSERT_TRUE(next.ok()) << next.error().describe();
  EXPECT_GT(next->id, ids.back());
  EXPECT_EQ(next->client_order_id, name(next->id));
}

// The store reads the id counter once a transaction: an order rolled back with its savepoint or with its
// transaction leaves the next order an id of its own, and one the venue never saw may be taken again.
TEST_P(UserRobots, AnOrderRolledBackLeavesTheNextItsOwnId) {
  auto u = store_->create_user_robot(follower());
  ASSERT_TRUE(u.ok());
  OrderRecord o = robot_order(account_, u->id);
  auto name = [](int64_t id) { return "tb-r-" + std::to_string(id); };
  const Status refused = Error::make(ErrorKind::Conflict, "refused");
  int64_t undone = 0, kept = 0;
  ASSERT_TRUE(store_
                  ->with_transaction([&](Store& s) -> Status {
                    o.signal_seq = 1;
                    auto inner = s.with_transaction([&](Store& t) -> Status {
                      auto rec = t.record_robot_order(o, name);
                      if (!rec) return rec.error();
                      undone = rec->id;
                      return refused;
                    });
                    if (inner.ok()) return Error::make(ErrorKind::Internal, "the savepoint was not rolled back");
                    auto rec = s.record_robot_order(o, name);  // the same signal and leg: its row is gone
                    if (!rec) return rec.error();
                    kept = rec->id;
                    return ok_status();
                  })
                  .ok());
  EXPECT_GT(kept, undone);
  EXPECT_FALSE(store_->find_order(undone)->has_value());
  int64_t rolled_back = 0;
  EXPECT_FALSE(store_
                   ->with_transaction([&](Store& s) -> Status {
                     o.signal_seq = 2;
                     auto rec = s.record_robot_order(o, name);
                     if (!rec) return rec.error();
                     rolled_back = rec->id;
                     return refused;
                   })
                   .ok());
  EXPECT_GT(rolled_back, kept);
  auto next = store_->record_robot_order(o, name);
  ASSERT_TRUE(next.ok()) << next.error().describe();
  EXPECT_GT(next->id, kept);
  EXPECT_EQ(store_->find_order(next->id)->value().client_order_id, name(next->id));
  EXPECT_EQ(store_->find_order(kept)->value().signal_seq, 1);
}

TEST_P(UserRobots, ASignalIdIsTakenOnce) {
  EXPECT_EQ(*store_->last_signal_seq(robot_), 0);
  ASSERT_TRUE(store_->append_signal({robot_, 1, SignalAction::Close, SignalOrder::Market, std::nullopt, 0, 0}).ok());
  EXPECT_EQ(*store_->last_signal_seq(robot_), 1);
  EXPECT_FALSE(store_->signal_seq_of(robot_, "tv-1")->has_value());
  ASSERT_TRUE(store_->record_signal_id(robot_, "tv-1", 1).ok());
  EXPECT_EQ(store_->signal_seq_of(robot_, "tv-1")->value(), 1);
  auto again = store_->record_signal_id(robot_, "tv-1", 2);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().field, "id");
}

INSTANTIATE_BACKENDS(UserRobots);

}  // namespace
}  // namespace tb::store
