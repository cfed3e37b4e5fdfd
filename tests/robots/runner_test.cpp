// The live runner's step over a real store: a robot's signals are stored once each and none is skipped,
// whether its candles come in one call or one at a time with a new process (a new Runner) each time, and
// when the store fails in the middle of a candle; warm-up candles give no signal and no position. An alert
// a ticker crosses is stored once, with the state that marks it, or not at all.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "robots/candles_support.hpp"
#include "robots/registry.hpp"
#include "robots/robot_run.hpp"
#include "robots/runner.hpp"
#include "store/faulty_store.hpp"
#include "store/temp_db.hpp"

namespace tb::robots {
namespace {

using testing::dec;

const std::vector<KnownMarket> kMarkets = {
    {"perpex", "BTCUSDT", "BTC", true, MarketRules{dec("0.001"), dec("0.001"), dec("5"), true}, dec("0.0004")},
};

struct Expected {
  std::vector<store::RobotSignal> signals;
  int64_t live_candles = 0;
};

// The same robot driven by hand: warm-up signals dropped before `start`, the rest as the runner numbers them.
Expected by_hand(const store::Robot& r, const std::vector<Candle>& candles, int64_t start) {
  auto made = make_strategy(r.strategy, r.params_json, MarketTraits{true, Decimal()});
  BacktestSettings s{Decimal::from_int(1000), dec("0.0004"), kMarkets[0].rules};
  RobotRun run(*made->strategy, s);
  Expected e;
  for (const auto& c : candles) {
    const auto& sigs = run.step(c);
    if (c.open_time_ms < start) {
      run.forget_pending();
      continue;
    }
    ++e.live_candles;
    for (const auto& g : sigs)
      e.signals.push_back({r.id, static_cast<int64_t>(e.signals.size()) + 1, g.action, g.order,
                           g.order == OrderKind::Market ? std::optional<Decimal>(c.close) : std::optional<Decimal>(g.price), c.open_time_ms,
                           0});
  }
  return e;
}

class RunnerTest : public store::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    store::Robot r;
    r.name = "cross";
    r.strategy = "ma_cross";
    r.params_json = R"({"fast":3,"slow":8})";
    r.venue = "perpex";
    r.symbol = "BTCUSDT";
    r.timeframe = Timeframe::M1;
    robot_ = *store_->create_robot(r);
    candles_ = testing::walk(800, 11);
    start_ = candles_[100].open_time_ms;
    expected_ = by_hand(robot_, candles_, start_);
    ASSERT_GE(expected_.signals.size(), 20u);  // enough crossings to lose or double one
  }
  void expect_stored_once() {
    auto got = store_->robot_signals(robot_.id, 0, 100'000);
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got->size(), expected_.signals.size());
    for (size_t i = 0; i < got->size(); ++i) {
      const auto& g = (*got)[i];
      const auto& e = expected_.signals[i];
      EXPECT_EQ(g.seq, e.seq);
      EXPECT_EQ(g.action, e.action) << i;
      EXPECT_EQ(g.order, e.order) << i;
      EXPECT_EQ(g.price, e.price) << i;
      EXPECT_EQ(g.candle_ms, e.candle_ms) << i;
    }
    EXPECT_EQ((*store_->robot_state(robot_.id))->last_candle_ms, candles_.back().open_time_ms);
  }
  store::Robot robot_;
  std::vector<Candle> candles_;
  int64_t start_ = 0;
  Expected expected_;
};

TEST_F(RunnerTest, OneCallStoresEachSignalOfTheLiveCandles) {
  Runner runner(*store_, kMarkets);
  auto done = runner.advance(robot_, candles_, start_);
  ASSERT_TRUE(done.ok()) << done.error().describe();
  EXPECT_EQ(done->candles, expected_.live_candles);
  EXPECT_EQ(done->signals, static_cast<int64_t>(expected_.signals.size()));
  expect_stored_once();
  // Again with the same candles: nothing new.
  auto again = Runner(*store_, kMarkets).advance(robot_, candles_, start_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->candles, 0);
  expect_stored_once();
}

TEST_F(RunnerTest, CandlesOneAtATimeWithARestartEachTimeGiveTheSameSignals) {
  // The first call sees only warm-up candles: a state, no signal.
  std::vector<Candle> seen(candles_.begin(), candles_.begin() + 50);
  ASSERT_TRUE(Runner(*store_, kMarkets).advance(robot_, seen, start_).ok());
  EXPECT_TRUE(store_->robot_signals(robot_.id, 0, 10)->empty());
  EXPECT_EQ((*store_->robot_state(robot_.id))->last_candle_ms, candles_[49].open_time_ms);
  for (size_t i = 50; i < candles_.size(); ++i) {
    seen.push_back(candles_[i]);
    // A venue answers the last few candles, not the whole history.
    std::vector<Candle> answer(seen.end() - std::min<size_t>(seen.size(), 5), seen.end());
    ASSERT_TRUE(Runner(*store_, kMarkets).advance(robot_, answer, start_).ok()) << i;
  }
  expect_stored_once();
}

TEST_F(RunnerTest, AStoreFailingInTheMiddleOfACandleLosesAndDoublesNothing) {
  store::FaultyStore faulty(*store_);
  Runner runner(faulty, kMarkets);
  size_t next = 0;
  int failures = 0;
  for (int round = 0; next < candles_.size(); ++round) {
    const size_t end = std::min(candles_.size(), next + 37);
    std::vector<Candle> batch(candles_.begin(), candles_.begin() + static_cast<std::ptrdiff_t>(end));
    // Every other round the store breaks after the signals are written, before the state is: the
    // transaction rolls back, and the next round does the same candles again.
    if (round % 2 == 1) faulty.fail("save_robot_state");
    auto done = runner.advance(robot_, batch, start_);
    faulty.heal();
    if (!done.ok()) {
      ++failures;
      continue;
    }
    next = end;
  }
  EXPECT_GT(failures, 5);
  expect_stored_once();
}

TEST_F(RunnerTest, ARobotWhoseStateIsNotTheRunnersIsAnErrorNamingState) {
  ASSERT_TRUE(store_->save_robot_state({robot_.id, 1, R"({"bars":2})", 0}).ok());
  auto done = Runner(*store_, kMarkets).advance(robot_, candles_, start_);
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().field, "state");
  EXPECT_TRUE(store_->robot_signals(robot_.id, 0, 10)->empty());
}

TEST_F(RunnerTest, AnAlertTheTickerCrossesIsStoredOnceEvenWhenTheStoreFailsOnTheWay) {
  store::Robot r = robot_;
  r.name = "channel";
  r.strategy = "breakout";
  r.params_json = R"({"channel":2,"adx_period":2,"atr_period":2,"adx_min":0,"trail_atr":3})";
  r = *store_->create_robot(r);
  const std::vector<Candle> closed(candles_.begin(), candles_.begin() + 40);
  ASSERT_TRUE(Runner(*store_, kMarkets).advance(r, closed, candles_[20].open_time_ms).ok());
  const auto before = store_->robot_signals(r.id, 0, 1000)->size();
  auto made = make_strategy(r.strategy, r.params_json, MarketTraits{true, Decimal()});
  BacktestSettings s{Decimal::from_int(1000), dec("0.0004"), kMarkets[0].rules};
  RobotRun hand(*made->strategy, s);
  for (const auto& c : closed) {
    hand.step(c);
    if (c.open_time_ms < candles_[20].open_time_ms) hand.forget_pending();
  }
  ASSERT_FALSE(hand.pending().empty());
  const Signal watched = hand.pending().front();
  const Decimal price = buys(watched.action) ? watched.price + dec("1") : watched.price - dec("1");
  const int64_t open = candles_[40].open_time_ms;

  EXPECT_EQ(*Runner(*store_, kMarkets).watched_candle(r, open + 1), std::optional<int64_t>(open));
  EXPECT_FALSE(Runner(*store_, kMarkets).watched_candle(r, open + 60'000)->has_value());  // that candle has closed
  EXPECT_EQ(*Runner(*store_, kMarkets).check_alerts(r, price, open - 60'000), 0);         // not the alerts' candle
  store::FaultyStore faulty(*store_);
  faulty.fail("save_robot_state");
  EXPECT_FALSE(Runner(faulty, kMarkets).check_alerts(r, price, open).ok());
  faulty.heal();
  EXPECT_EQ(store_->robot_signals(r.id, 0, 1000)->size(), before);  // rolled back with the state
  const auto crossed = hand.trigger(price);
  EXPECT_EQ(*Runner(*store_, kMarkets).check_alerts(r, price, open), std::ssize(crossed));
  EXPECT_EQ(*Runner(*store_, kMarkets).check_alerts(r, price, open), 0);
  const auto got = *store_->robot_signals(r.id, 0, 1000);
  ASSERT_EQ(got.size(), before + crossed.size());
  EXPECT_EQ(got.back().order, watched.order);
  EXPECT_EQ(got.back().price, std::optional<Decimal>(crossed.back().price));
  EXPECT_EQ(got.back().candle_ms, open);
  EXPECT_EQ((*store_->robot_state(r.id))->last_candle_ms, candles_[39].open_time_ms);  // the candle is still to come
}

}  // namespace
}  // namespace tb::robots
