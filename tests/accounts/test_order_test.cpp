// Step 4's order obeys every default market's rules: tick (or significant digits), step, min qty, min
// notional; and its price is at most 70% of the last price.
#include <gtest/gtest.h>

#include "accounts/sim_world.hpp"
#include "accounts/test_order.hpp"

namespace tb::accounts {
namespace {

Decimal D(const char* s) { return *Decimal::parse(s); }

int significant_digits(const Decimal& d) {
  std::string t = d.normalized().abs().to_string();
  int n = 0;
  bool started = false;
  for (char c : t) {
    if (c == '.') continue;
    if (c != '0') started = true;
    if (started) ++n;
  }
  // Trailing integer zeros are not significant either.
  for (auto it = t.rbegin(); it != t.rend() && t.find('.') == std::string::npos && *it == '0'; ++it) --n;
  return n;
}

TEST(TestOrder, TickAndStepAndMinimums) {
  Market m;
  m.id = "BTCUSDT";
  m.tick_size = D("0.10");
  m.step_size = D("0.001");
  m.min_qty = D("0.001");
  m.min_notional = D("100");
  auto r = plan_test_order(m, D("43210.57"), "tb-1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->price->to_plain_string(), "30247.3");  // 30247.399 down to the tick
  EXPECT_EQ(r->amount.to_plain_string(), "0.004");    // 100 / 30247.3 = 0.00330..., up to the step
  EXPECT_TRUE(r->post_only);
  EXPECT_EQ(r->side, Side::Buy);
  EXPECT_EQ(r->client_order_id, "tb-1");
}

TEST(TestOrder, SignificantDigitsRoundDown) {
  Market m;
  m.id = "tBTCUSD";
  m.price_significant_digits = 5;
  m.min_qty = D("0.00006");
  EXPECT_EQ(test_order_price(m, D("43219.9")).to_plain_string(), "30253");    // 30253.93
  EXPECT_EQ(test_order_price(m, D("0.61234")).to_plain_string(), "0.42863");  // 0.428638
  EXPECT_EQ(test_order_price(m, D("1234567")).to_plain_string(), "864190");   // 864196.9
  EXPECT_EQ(test_order_amount(m, D("30253")).to_plain_string(), "0.00006");   // no step, no notional rule
}

TEST(TestOrder, MinQtyWinsWhenLarger) {
  Market m;
  m.tick_size = D("0.01");
  m.step_size = D("0.1");
  m.min_qty = D("1");
  m.min_notional = D("5");
  EXPECT_EQ(test_order_amount(m, D("100")).to_plain_string(), "1");
}

TEST(TestOrder, NoPriceNoOrder) {
  Market m;
  m.tick_size = D("0.1");
  EXPECT_FALSE(plan_test_order(m, D("0"), "x"));
  EXPECT_FALSE(plan_test_order(m, D("0.1"), "x"));  // 0.07 rounds down to 0
}

// Every default market of the simulator, as each connector reads it.
class TestOrderOnDefaultMarkets : public ::testing::TestWithParam<std::string> {};

TEST_P(TestOrderOnDefaultMarkets, ObeysEveryRule) {
  test::SimWorld w(GetParam());
  auto markets = tb::test::run(w.venue->markets());
  ASSERT_TRUE(markets) << markets.error().describe();
  ASSERT_FALSE(markets->empty());
  ASSERT_TRUE(pick_test_market(*markets));
  EXPECT_EQ(pick_test_market(*markets)->base, "BTC");
  for (const auto& m : *markets) {
    SCOPED_TRACE(m.id);
    auto t = tb::test::run(w.venue->ticker(m.id));
    ASSERT_TRUE(t) << t.error().describe();
    auto r = plan_test_order(m, t->last, "1");
    ASSERT_TRUE(r) << r.error().message;
    const Decimal& price = *r->price;
    EXPECT_TRUE(price.is_positive());
    EXPECT_LE(price, t->last * D("0.7"));
    if (m.price_significant_digits > 0) {
      EXPECT_LE(significant_digits(price), m.price_significant_digits) << price.to_string();
    } else if (m.tick_size.is_positive()) {
      EXPECT_TRUE(price.is_multiple_of(m.tick_size)) << price.to_string();
    }
    if (m.step_size.is_positive()) {
      EXPECT_TRUE(r->amount.is_multiple_of(m.step_size)) << r->amount.to_string();
      // The smallest: one step less breaks a rule.
      Decimal less = r->amount - m.step_size;
      EXPECT_TRUE(less < m.min_qty || price * less < m.min_notional) << r->amount.to_string();
    }
    EXPECT_GE(r->amount, m.min_qty);
    EXPECT_GE(price * r->amount, m.min_notional);
  }
}

INSTANTIATE_TEST_SUITE_P(Venues, TestOrderOnDefaultMarkets, ::testing::Values("binance_futures", "kraken", "bitfinex"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tb::accounts
