// The robots' aggregate: the catalogue, candles per venue/market/timeframe, and the runner's state with its
// signals numbered once and without gaps, written together in one transaction or not at all.
#include "store/backends.hpp"
#include "store/faulty_store.hpp"

namespace tb::store {
namespace {

class Robots : public BackendTest {
 protected:
  Robot robot(const std::string& name) const {
    Robot r;
    r.name = name;
    r.strategy = "ma_cross";
    r.params_json = R"({"fast":10,"slow":30})";
    r.venue = "kraken";
    r.symbol = "XXBTZUSD";
    r.timeframe = Timeframe::H4;
    return r;
  }
  static Candle candle(int64_t t, const char* close) { return Candle{t, dec("1"), dec("3"), dec("0.5"), dec(close), dec("12.25")}; }
  RobotSignal signal(int64_t robot_id, int64_t seq) const {
    return RobotSignal{robot_id, seq, SignalAction::Long, SignalOrder::Market, dec("41000.5"), 3'600'000 * seq, 0};
  }
};

TEST_P(Robots, TheCatalogueKeepsEachRobotWholeAndANameOnce) {
  auto a = store_->create_robot(robot("BTC 4h MA"));
  ASSERT_TRUE(a.ok()) << a.error().describe();
  EXPECT_GT(a->id, 0);
  auto found = store_->find_robot(a->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  const Robot& r = **found;
  EXPECT_EQ(r.name, "BTC 4h MA");
  EXPECT_EQ(r.strategy, "ma_cross");
  EXPECT_EQ(r.params_json, R"({"fast":10,"slow":30})");
  EXPECT_EQ(r.venue, "kraken");
  EXPECT_EQ(r.symbol, "XXBTZUSD");
  EXPECT_EQ(r.timeframe, Timeframe::H4);
  EXPECT_EQ(r.status, RobotStatus::Active);
  EXPECT_EQ(r.created_ms, 1'700'000'000'000);
  auto dup = store_->create_robot(robot("BTC 4h MA"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().field, "name");
  EXPECT_EQ(store_->find_robot_by_name("BTC 4h MA")->value().id, a->id);

  clock_.advance_ms(5);
  ASSERT_TRUE(store_->set_robot_status(a->id, RobotStatus::Paused).ok());
  EXPECT_EQ(store_->find_robot(a->id)->value().status, RobotStatus::Paused);
  EXPECT_EQ(store_->find_robot(a->id)->value().updated_ms, 1'700'000'000'005);
  EXPECT_FALSE(store_->set_robot_status(999, RobotStatus::Active).ok());
  auto b = store_->create_robot(robot("ETH"));
  ASSERT_TRUE(b.ok());
  auto all = store_->list_robots();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].name, "ETH");
}

TEST_P(Robots, TheCatalogueIsSeededOnceEvenAfterItsRobotsAreRemoved) {
  auto first = store_->claim_catalogue_seed();
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*store_->claim_catalogue_seed());
  reopen();
  EXPECT_FALSE(*store_->claim_catalogue_seed());
}

TEST_P(Robots, CandlesAreKeptPerMarketAndTimeframeAndAReadCandleReplacesTheStoredOne) {
  ASSERT_TRUE(store_->save_candles("kraken", "XXBTZUSD", Timeframe::H1, {candle(0, "2"), candle(3'600'000, "2.5")}).ok());
  ASSERT_TRUE(store_->save_candles("kraken", "XXBTZUSD", Timeframe::H4, {candle(0, "9")}).ok());
  ASSERT_TRUE(store_->save_candles("kraken", "XXBTZUSD", Timeframe::H1, {candle(3'600'000, "2.75"), candle(7'200'000, "3")}).ok());
  auto h1 = store_->candles("kraken", "XXBTZUSD", Timeframe::H1, 0, 10'800'000);
  ASSERT_TRUE(h1.ok());
  ASSERT_EQ(h1->size(), 3u);
  EXPECT_EQ((*h1)[1].close, dec("2.75"));
  EXPECT_EQ((*h1)[1].volume, dec("12.25"));
  EXPECT_EQ((*h1)[2].open_time_ms, 7'200'000);
  EXPECT_EQ(store_->candles("kraken", "XXBTZUSD", Timeframe::H1, 3'600'000, 7'200'000)->size(), 1u);  // [from, to)
  EXPECT_EQ(*store_->last_candle_ms("kraken", "XXBTZUSD", Timeframe::H1), std::optional<int64_t>(7'200'000));
  EXPECT_EQ(*store_->last_candle_ms("kraken", "XETHZUSD", Timeframe::H1), std::nullopt);
}

TEST_P(Robots, SignalsAreNumberedOnceWithoutGapsAndGoWithTheirRobot) {
  int64_t id = store_->create_robot(robot("BTC"))->id;
  ASSERT_TRUE(store_->append_signal(signal(id, 1)).ok());
  auto again = store_->append_signal(signal(id, 1));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().field, "seq");
  auto gap = store_->append_signal(signal(id, 3));
  ASSERT_FALSE(gap.ok());
  EXPECT_EQ(gap.error().field, "seq");
  RobotSignal stop{id, 2, SignalAction::CloseLong, SignalOrder::Stop, dec("39000"), 7'200'000, 0};
  ASSERT_TRUE(store_->append_signal(stop).ok());
  RobotSignal bare{id, 3, SignalAction::Short, SignalOrder::Market, std::nullopt, 10'800'000, 0};
  ASSERT_TRUE(store_->append_signal(bare).ok());
  auto all = store_->robot_signals(id, 0, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[1].action, SignalAction::CloseLong);
  EXPECT_EQ((*all)[1].order, SignalOrder::Stop);
  EXPECT_EQ((*all)[1].price, dec("39000"));
  EXPECT_EQ((*all)[2].price, std::nullopt);
  EXPECT_EQ((*all)[0].created_ms, 1'700'000'000'000);
  EXPECT_EQ(store_->robot_signals(id, 1, 1)->front().seq, 2);

  ASSERT_TRUE(store_->save_robot_state({id, 7'200'000, R"({"bars":2})", 0}).ok());
  ASSERT_TRUE(store_->save_robot_state({id, 10'800'000, R"({"bars":3})", 0}).ok());
  auto st = store_->robot_state(id);
  ASSERT_TRUE(st.ok() && st->has_value());
  EXPECT_EQ((*st)->last_candle_ms, 10'800'000);
  EXPECT_EQ((*st)->state_json, R"({"bars":3})");

  ASSERT_TRUE(store_->delete_robot(id).ok());
  EXPECT_TRUE(store_->robot_signals(id, 0, 100)->empty());
  EXPECT_FALSE(store_->robot_state(id)->has_value());
}

// The runner's write: the candle's state and its signals in one transaction. A store failing at the signal
// leaves the previous state, so the candle is processed again and its signal stored once.
TEST_P(Robots, StateAndSignalsLandTogetherOrNotAtAll) {
  int64_t id = store_->create_robot(robot("BTC"))->id;
  ASSERT_TRUE(store_->save_robot_state({id, 0, "{}", 0}).ok());
  FaultyStore faulty(*store_);
  faulty.fail("append_signal");
  auto step = [&](Store& s) -> Status {
    if (auto st = s.save_robot_state({id, 3'600'000, R"({"bars":1})", 0}); !st) return st;
    return s.append_signal(signal(id, 1));
  };
  EXPECT_FALSE(faulty.with_transaction(step).ok());
  EXPECT_EQ((*store_->robot_state(id))->last_candle_ms, 0);
  EXPECT_TRUE(store_->robot_signals(id, 0, 10)->empty());
  faulty.heal();
  Status healed = faulty.with_transaction(step);
  ASSERT_TRUE(healed.ok()) << healed.error().describe();
  EXPECT_EQ((*store_->robot_state(id))->last_candle_ms, 3'600'000);
  EXPECT_EQ(store_->robot_signals(id, 0, 10)->size(), 1u);
}

INSTANTIATE_BACKENDS(Robots);

}  // namespace
}  // namespace tb::store
