// The live loop over a real store and a scripted venue: a ticker crossing a pending alert emits its signal
// at once, once across passes and restarts, and the candle's close does not emit it again; a hole in the
// venue's candles holds the robot back until the venue fills it, or is filled flat after the passes.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "robots/candles_support.hpp"
#include "robots/live.hpp"
#include "robots/registry.hpp"
#include "robots/robot_run.hpp"
#include "robots/scripted_venue.hpp"
#include "store/temp_db.hpp"
#include "venues/registry.hpp"

namespace tb::robots {
namespace {

using testing::dec;
constexpr int64_t kMin = 60'000;

const std::vector<KnownMarket> kMarkets = {
    {"perpex", "BTCUSDT", "BTC", true, MarketRules{dec("0.001"), dec("0.001"), dec("5"), true}, dec("0.0004")},
};

// A robot's run driven by hand as the runner drives it: warm-up signals dropped, then per candle the alerts
// its range filled and the market signals of its close.
std::unique_ptr<Strategy> strategy_of(const store::Robot& r) {
  auto made = make_strategy(r.strategy, r.params_json, MarketTraits{true, Decimal()});
  EXPECT_TRUE(made.ok());
  return std::move(made->strategy);
}

struct ByHand {
  std::unique_ptr<Strategy> strategy;
  BacktestSettings s{Decimal::from_int(1000), dec("0.0004"), kMarkets[0].rules};
  RobotRun run{*strategy, s};
  std::vector<store::RobotSignal> signals;
  explicit ByHand(const store::Robot& r) : strategy(strategy_of(r)) {}
  void step(const Candle& c, int64_t start) {
    const auto& made_now = run.step(c);
    if (c.open_time_ms < start) return run.forget_pending();
    for (const auto& a : run.alerts_filled()) add(a, a.price, c.open_time_ms);
    for (const auto& m : made_now)
      if (m.order == OrderKind::Market) add(m, c.close, c.open_time_ms);
  }
  void add(const Signal& g, const Decimal& price, int64_t candle) {
    signals.push_back({0, static_cast<int64_t>(signals.size()) + 1, g.action, g.order, price, candle, 0});
  }
};

class LiveTest : public store::StoreTest {
 protected:
  store::Robot add(const std::string& strategy, const std::string& params, int64_t starts_ms) {
    store::Robot r;
    r.name = strategy;
    r.strategy = strategy;
    r.params_json = params;
    r.venue = "perpex";
    r.symbol = "BTCUSDT";
    r.timeframe = Timeframe::M1;
    r.starts_ms = starts_ms;
    return *store_->create_robot(r);
  }
  // One pass of a freshly made runner and loop (a restart each time when `fresh`).
  int64_t pass(bool fresh = false) {
    if (fresh || !live_) {
      runner_ = std::make_unique<Runner>(*store_, kMarkets);
      live_ = std::make_unique<LiveRobots>(
          *store_, *runner_, [this](std::string_view id) { return id == "perpex" ? venue_.get() : nullptr; }, clock_,
          LiveOptions{std::chrono::seconds(1), 500, 20, 3}, log_);
    }
    boost::asio::io_context io;
    int64_t got = -1;
    boost::asio::co_spawn(io, live_->run_once(), [&](std::exception_ptr e, int64_t n) {
      if (e) std::rethrow_exception(e);
      got = n;
    });
    io.run();
    return got;
  }
  void expect_stored(const store::Robot& r, const std::vector<store::RobotSignal>& expected) {
    auto got = store_->robot_signals(r.id, 0, 100'000);
    ASSERT_TRUE(got.ok());
    ASSERT_EQ(got->size(), expected.size());
    for (size_t i = 0; i < got->size(); ++i) {
      EXPECT_EQ((*got)[i].seq, expected[i].seq) << i;
      EXPECT_EQ((*got)[i].action, expected[i].action) << i;
      EXPECT_EQ((*got)[i].order, expected[i].order) << i;
      EXPECT_EQ((*got)[i].price, expected[i].price) << i;
      EXPECT_EQ((*got)[i].candle_ms, expected[i].candle_ms) << i;
    }
  }
  int64_t last_candle(const store::Robot& r) { return (*store_->robot_state(r.id))->last_candle_ms; }

  std::unique_ptr<testing::ScriptedVenue> venue_;
  std::unique_ptr<Runner> runner_;
  std::unique_ptr<LiveRobots> live_;
  std::ostringstream log_;
};

TEST_F(LiveTest, ATickerCrossingAnAlertEmitsItOnceAtOnceAndTheCloseDoesNotAgain) {
  auto candles = testing::walk(60, 21);
  venue_ = std::make_unique<testing::ScriptedVenue>("perpex", candles);
  const auto robot = add("breakout", R"({"channel":2,"adx_period":2,"atr_period":2,"adx_min":0,"trail_atr":3})", candles[20].open_time_ms);
  clock_.set_ms(candles[40].open_time_ms + 10'000);
  ByHand hand(robot);
  for (size_t i = 0; i < 40; ++i) hand.step(candles[i], candles[20].open_time_ms);
  ASSERT_FALSE(hand.run.pending().empty());
  const Signal& watched = hand.run.pending().front();
  const Decimal price = buys(watched.action) ? watched.price + dec("1") : watched.price - dec("1");

  pass();
  EXPECT_EQ(last_candle(robot), candles[39].open_time_ms);
  expect_stored(robot, hand.signals);
  venue_->ticker_ = Ticker{"", price, std::nullopt, std::nullopt, candles[39].open_time_ms};  // a price of the candle before
  EXPECT_EQ(pass(), 0);
  venue_->ticker_.time_ms = clock_.now_ms();
  const auto crossed = hand.run.trigger(price);
  ASSERT_FALSE(crossed.empty());
  for (const auto& g : crossed) hand.add(g, g.price, candles[40].open_time_ms);
  EXPECT_EQ(pass(), static_cast<int64_t>(crossed.size()));  // at once, before the candle closes
  expect_stored(robot, hand.signals);
  EXPECT_EQ(pass(), 0);      // once
  EXPECT_EQ(pass(true), 0);  // across a restart
  // The candle closes with the alert inside its range: the close fills it, but emits it no second time.
  Candle& c = venue_->candles_[40];
  c.high = std::max(c.high, price);
  c.low = std::min(c.low, price);
  clock_.set_ms(candles[41].open_time_ms + 10'000);
  hand.step(c, candles[20].open_time_ms);
  pass(true);
  EXPECT_EQ(last_candle(robot), candles[40].open_time_ms);
  const auto stored = *store_->robot_signals(robot.id, 0, 100'000);
  EXPECT_EQ(std::count_if(stored.begin(), stored.end(), [&](const auto& g) { return g.candle_ms == candles[40].open_time_ms; }),
            std::ssize(crossed));  // the ticker's, and nothing more of that candle
  expect_stored(robot, hand.signals);
  const auto state = nlohmann::json::parse((*store_->robot_state(robot.id))->state_json);
  EXPECT_EQ(state["run"]["position"].is_null(), !hand.run.open_position().has_value());
}

TEST_F(LiveTest, AHoleHoldsTheRobotBackUntilTheVenueFillsItOrItIsFilledAfterThePasses) {
  const auto candles = testing::walk(200, 11);
  venue_ = std::make_unique<testing::ScriptedVenue>("perpex", candles);
  venue_->holes_ = {candles[120].open_time_ms, candles[130].open_time_ms};
  const auto robot = add("ma_cross", R"({"fast":3,"slow":8})", candles[100].open_time_ms);
  clock_.set_ms(candles[150].open_time_ms + 10'000);
  pass();
  EXPECT_EQ(last_candle(robot), candles[119].open_time_ms);
  EXPECT_NE(log_.str().find("gave no candle at"), std::string::npos);
  pass(true);  // asked again (after a restart too): still not there
  EXPECT_EQ(last_candle(robot), candles[119].open_time_ms);
  venue_->holes_.erase(candles[120].open_time_ms);  // the venue made it late
  pass();
  EXPECT_EQ(last_candle(robot), candles[129].open_time_ms);
  pass();
  EXPECT_EQ(last_candle(robot), candles[129].open_time_ms);
  pass();  // the third pass without 130, which the venue has moved past: filled
  EXPECT_EQ(last_candle(robot), candles[149].open_time_ms);

  auto kept = store_->candles("perpex", "BTCUSDT", Timeframe::M1, candles[130].open_time_ms, candles[131].open_time_ms);
  ASSERT_EQ(kept->size(), 1u);
  const Candle flat = kept->front();
  EXPECT_EQ(flat.open, candles[129].close);
  EXPECT_EQ(flat.high, candles[129].close);
  EXPECT_EQ(flat.low, candles[129].close);
  EXPECT_EQ(flat.close, candles[129].close);
  EXPECT_TRUE(flat.volume.is_zero());
  ByHand hand(robot);
  const int64_t from = (candles[100].open_time_ms / kMin - 20) * kMin;
  for (size_t i = 0; i < 150; ++i)
    if (candles[i].open_time_ms >= from) hand.step(i == 130 ? flat : candles[i], candles[100].open_time_ms);
  ASSERT_GE(hand.signals.size(), 3u);
  expect_stored(robot, hand.signals);
}

// co_spawn needs a default-constructible result; Result has none.
net::Task<void> fetch_into(std::vector<Candle>& out, venues::Venue& venue, int64_t from, int64_t now) {
  auto got = co_await fetch_closed_candles(venue, "X", Timeframe::H4, from, now, now, 500);
  EXPECT_TRUE(got.ok());
  if (got.ok()) out = *got;
}

// A venue that serves 1h candles but not 4h: a 4h candle is built from its hours, and only once it has
// them all (or the venue has gone past it, when the missing hours are its own holes).
TEST(BuiltCandles, ABucketWithAnHourStillMissingIsNotFinalUnlessTheVenueHasMovedPast) {
  const venues::VenueDescription* lacking = nullptr;
  for (const auto& d : venues::supported_venues())
    if (std::find(d.timeframes.begin(), d.timeframes.end(), Timeframe::H4) == d.timeframes.end() &&
        std::find(d.timeframes.begin(), d.timeframes.end(), Timeframe::H1) != d.timeframes.end())
      lacking = &d;
  if (!lacking) GTEST_SKIP() << "every venue serves 4h";
  constexpr int64_t kHour = 3'600'000, t0 = 1'704'067'200'000;  // a 4h boundary
  std::vector<Candle> hours;
  for (const auto& c : testing::walk(12, 9))
    hours.push_back(Candle{t0 + std::ssize(hours) * kHour, c.open, c.high, c.low, c.close, c.volume});
  testing::ScriptedVenue venue(std::string(lacking->id), hours);
  venue.holes_ = {t0 + 5 * kHour, t0 + 11 * kHour};  // inside the second bucket; the last hour of the third
  auto fetch = [&](int64_t now) {
    boost::asio::io_context io;
    std::vector<Candle> got;
    boost::asio::co_spawn(io, fetch_into(got, venue, t0, now), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
    io.run();
    return got;
  };
  auto got = fetch(t0 + 12 * kHour);
  ASSERT_EQ(got.size(), 2u);  // the third lacks its last hour: not final yet
  EXPECT_EQ(got[1].open_time_ms, t0 + 4 * kHour);
  EXPECT_EQ(got[1].volume, Decimal::from_int(30));  // the venue went past its missing hour: built from three
  venue.holes_.erase(t0 + 11 * kHour);
  got = fetch(t0 + 12 * kHour);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].close, hours[11].close);
}

}  // namespace
}  // namespace tb::robots
