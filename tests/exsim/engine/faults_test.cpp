#include <gtest/gtest.h>

#include "engine_test_util.hpp"

namespace tb::exsim {
namespace {

using namespace test_util;

TEST(EngineFaults, ByCount) {
  ManualClock clock;
  Exchange ex(clock, 1);
  ex.add_fault(Fault{"kraken", "AddOrder", "http_500", 2, 0});
  EXPECT_FALSE(ex.take_fault("kraken", "Balance"));
  EXPECT_FALSE(ex.take_fault("bitfinex", "AddOrder"));
  EXPECT_EQ(ex.take_fault("kraken", "AddOrder"), "http_500");
  EXPECT_EQ(ex.take_fault("kraken", "AddOrder"), "http_500");
  EXPECT_FALSE(ex.take_fault("kraken", "AddOrder"));
}

TEST(EngineFaults, WildcardAndClear) {
  ManualClock clock;
  Exchange ex(clock, 1);
  ex.add_fault(Fault{"bitfinex", "*", "latency:250", 3, 0});
  EXPECT_EQ(ex.take_fault("bitfinex", "auth/w/order/submit"), "latency:250");
  EXPECT_EQ(ex.take_fault("bitfinex", "ticker"), "latency:250");
  ex.clear_faults();
  EXPECT_FALSE(ex.take_fault("bitfinex", "ticker"));
}

TEST(EngineFaults, ByProbability) {
  ManualClock clock;
  Exchange ex(clock, 1);
  ex.add_fault(Fault{"binance_futures", "order", "rate_limit", 0, 1.0});
  for (int i = 0; i < 100; ++i) EXPECT_EQ(ex.take_fault("binance_futures", "order"), "rate_limit");
  ex.clear_faults();
  ex.add_fault(Fault{"binance_futures", "order", "rate_limit", 0, 0.0});  // never fires
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(ex.take_fault("binance_futures", "order"));
  ex.add_fault(Fault{"binance_futures", "order", "timeout", 0, 0.5});
  int hits = 0;
  for (int i = 0; i < 1000; ++i) hits += ex.take_fault("binance_futures", "order").has_value();
  EXPECT_GT(hits, 400);
  EXPECT_LT(hits, 600);
}

TEST(EngineFaults, ListedWithIdRemainingAndHowOftenEachFired) {
  ManualClock clock;
  Exchange ex(clock, 1);
  EXPECT_EQ(ex.add_fault(Fault{"kraken", "AddOrder", "http_500", 2, 0}), 1u);
  Fault held{"kraken", "CancelOrder", "timeout", 0, 1.0};
  held.hold_ms = 1500;
  EXPECT_EQ(ex.add_fault(held), 2u);
  EXPECT_EQ(ex.add_fault(Fault{"kraken", "AddOrder", "reset", 0, 0}), 0u);  // never fires: not kept
  ASSERT_TRUE(ex.take_fault("kraken", "AddOrder"));
  for (int i = 0; i < 3; ++i) {
    auto f = ex.fire_fault("kraken", "CancelOrder");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->hold_ms, 1500);  // the parameters come back with the fault
  }
  auto list = ex.faults();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, 1u);
  EXPECT_EQ(list[0].remaining, 1);
  EXPECT_EQ(list[0].fired, 1);
  EXPECT_TRUE(list[0].active());
  EXPECT_EQ(list[1].id, 2u);
  EXPECT_EQ(list[1].fired, 3);
  EXPECT_EQ(list[1].fault.probability, 1.0);

  // Spent, the count fault stays listed with what it did, and no longer fires.
  ASSERT_TRUE(ex.take_fault("kraken", "AddOrder"));
  EXPECT_FALSE(ex.take_fault("kraken", "AddOrder"));
  list = ex.faults();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].remaining, 0);
  EXPECT_EQ(list[0].fired, 2);
  EXPECT_FALSE(list[0].active());
  ex.clear_faults();
  EXPECT_TRUE(ex.faults().empty());
}

TEST(EngineFaults, TwoOneShotFaultsHitTwoSuccessiveRequests) {
  ManualClock clock;
  Exchange ex(clock, 1);
  ex.add_fault(Fault{"binance_futures", "order", "http_500", 1, 0});
  ex.add_fault(Fault{"binance_futures", "order", "timeout", 1, 0});
  EXPECT_EQ(ex.take_fault("binance_futures", "order"), "http_500");
  EXPECT_EQ(ex.take_fault("binance_futures", "order"), "timeout");
  EXPECT_FALSE(ex.take_fault("binance_futures", "order"));
}

TEST(EngineFaults, OnlyTheMostRecentSpentFaultsAreKept) {
  ManualClock clock;
  Exchange ex(clock, 1);
  for (int i = 0; i < 150; ++i) ex.add_fault(Fault{"kraken", "Balance", "reset", 1, 0});
  ex.add_fault(Fault{"kraken", "Ticker", "reset", 0, 0.5});
  for (int i = 0; i < 150; ++i) ASSERT_TRUE(ex.take_fault("kraken", "Balance"));
  auto list = ex.faults();
  ASSERT_EQ(list.size(), 101u);  // 100 spent ones and the active one
  EXPECT_EQ(list.front().id, 51u);
  EXPECT_EQ(list.back().id, 151u);
  EXPECT_TRUE(list.back().active());
}

// With a seed, which requests a probability fault hits is the same on every run; without, it differs.
TEST(EngineFaults, ProbabilityDrawsFollowTheSeed) {
  ManualClock clock;
  auto pattern = [](Exchange& ex) {
    ex.add_fault(Fault{"bitfinex", "auth/w/order/submit", "http_500", 0, 0.3});
    std::string hits;
    for (int i = 0; i < 200; ++i) hits += ex.take_fault("bitfinex", "auth/w/order/submit") ? 'x' : '.';
    return hits;
  };
  Exchange a(clock, 5), b(clock, 5), unseeded(clock, std::nullopt);
  std::string first = pattern(a);
  EXPECT_EQ(first, pattern(b));
  EXPECT_NE(first.find('x'), std::string::npos);
  EXPECT_NE(first.find('.'), std::string::npos);
  EXPECT_NE(first, pattern(unseeded));  // equal by chance once in 2^120 or so
}

TEST(EngineNonces, StrictlyIncreasingPerKey) {
  ManualClock clock;
  Exchange ex(clock, 1);
  auto a = make_key(ex, "kraken", {});
  auto b = make_key(ex, "kraken", {});
  EXPECT_TRUE(ex.accept_nonce(a, 5));
  EXPECT_FALSE(ex.accept_nonce(a, 5));
  EXPECT_FALSE(ex.accept_nonce(a, 4));
  EXPECT_TRUE(ex.accept_nonce(a, 6));
  EXPECT_TRUE(ex.accept_nonce(b, 1));  // keys are independent
  EXPECT_FALSE(ex.accept_nonce("unknown", 100));
}

TEST(EngineRate, FixedWindows) {
  ManualClock clock(1'700'000'000'000);
  Exchange ex(clock, 1);
  EXPECT_EQ(ex.count_request("ip:127.0.0.1", 60'000, 1), 1);
  EXPECT_EQ(ex.count_request("ip:127.0.0.1", 60'000, 5), 6);
  EXPECT_EQ(ex.count_request("ip:127.0.0.1", 10'000, 1), 1);  // another window length counts apart
  EXPECT_EQ(ex.count_request("key:x", 60'000, 2), 2);
  clock.advance_ms(60'000);
  EXPECT_EQ(ex.count_request("ip:127.0.0.1", 60'000, 1), 1);  // a new window
}

}  // namespace
}  // namespace tb::exsim
