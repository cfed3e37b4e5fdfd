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
