#include <gtest/gtest.h>

#include <thread>

#include "engine_test_util.hpp"

namespace tb::exsim {
namespace {

using namespace test_util;

class SpotOrders : public ::testing::Test {
 protected:
  ManualClock clock;
  Exchange ex{clock, 1};
  std::string key = make_key(ex, "kraken", {{"USD", D("10000")}});
};

TEST_F(SpotOrders, MarketBuyThenSellMovesBalancesWithTakerFees) {
  auto buy = placed(ex.place(key, market("XXBTZUSD", Side::Buy, "0.01"), false));
  EXPECT_EQ(buy.status, SimOrderStatus::Filled);
  EXPECT_EQ(buy.filled, D("0.01"));
  EXPECT_EQ(buy.average_price, D("60000"));
  EXPECT_EQ(buy.fee, D("1.56"));  // 600 * 0.0026
  auto b = ex.balances(key);
  EXPECT_EQ(b["USD"].total.to_plain_string(), "9398.44");
  EXPECT_EQ(b["BTC"].total.to_plain_string(), "0.01");
  EXPECT_TRUE(b["USD"].reserved.is_zero());

  ASSERT_TRUE(ex.set_price("kraken", "XXBTZUSD", D("61000.0")).ok());
  auto sell = placed(ex.place(key, market("XXBTZUSD", Side::Sell, "0.01"), false));
  EXPECT_EQ(sell.average_price, D("61000"));
  EXPECT_EQ(sell.fee, D("1.586"));
  b = ex.balances(key);
  EXPECT_EQ(b["USD"].total.to_plain_string(), "10006.854");  // 9398.44 + 610 - 1.586
  EXPECT_TRUE(b["BTC"].total.is_zero());
}

TEST_F(SpotOrders, LimitRestsReservesFillsWhenThePriceCrosses) {
  auto o = placed(ex.place(key, limit("XXBTZUSD", Side::Buy, "0.01", "59000.0"), false));
  EXPECT_EQ(o.status, SimOrderStatus::Open);
  EXPECT_GE(o.id, 1'000'000u);
  auto b = ex.balances(key);
  EXPECT_EQ(b["USD"].reserved.to_plain_string(), "590.944");  // 590 * (1 + 0.0016 maker)
  EXPECT_EQ(b["USD"].free().to_plain_string(), "9409.056");
  EXPECT_EQ(ex.open_orders(key).size(), 1u);

  ASSERT_TRUE(ex.set_price("kraken", "XXBTZUSD", D("59000.1")).ok());
  EXPECT_EQ(ex.order(key, o.id, "")->status, SimOrderStatus::Open);
  ASSERT_TRUE(ex.set_price("kraken", "XXBTZUSD", D("58900.0")).ok());
  auto filled = ex.order(key, o.id, "");
  ASSERT_TRUE(filled);
  EXPECT_EQ(filled->status, SimOrderStatus::Filled);
  EXPECT_EQ(filled->average_price, D("59000"));  // at its limit, as a maker
  EXPECT_EQ(filled->fee, D("0.944"));
  b = ex.balances(key);
  EXPECT_EQ(b["USD"].total.to_plain_string(), "9409.056");
  EXPECT_TRUE(b["USD"].reserved.is_zero());
  EXPECT_EQ(b["BTC"].total, D("0.01"));
  EXPECT_TRUE(ex.open_orders(key).empty());
  auto again = ex.cancel(key, o.id, "");
  EXPECT_EQ(refusal(again), Refusal::OrderNotFound);  // already final
}

TEST_F(SpotOrders, SellLimitReservesBaseAndCancelReleases) {
  ex.set_balance(key, "BTC", D("1"));
  auto o = placed(ex.place(key, limit("XXBTZUSD", Side::Sell, "0.4", "65000.0"), false));
  auto b = ex.balances(key);
  EXPECT_EQ(b["BTC"].reserved, D("0.4"));
  EXPECT_EQ(b["BTC"].free(), D("0.6"));
  auto c = ex.cancel(key, o.id, "");
  ASSERT_EQ(c.index(), 0u);
  EXPECT_EQ(std::get<0>(c).status, SimOrderStatus::Canceled);
  EXPECT_EQ(std::get<0>(c).reason, "canceled");
  b = ex.balances(key);
  EXPECT_TRUE(b["BTC"].reserved.is_zero());
  EXPECT_EQ(b["USD"].total, D("10000"));
  // The price crossing later does nothing to a canceled order.
  ASSERT_TRUE(ex.set_price("kraken", "XXBTZUSD", D("66000.0")).ok());
  EXPECT_EQ(ex.balances(key)["BTC"].total, D("1"));
  EXPECT_EQ(ex.order(key, o.id, "")->status, SimOrderStatus::Canceled);
}

TEST_F(SpotOrders, FillsAddToTheCandleVolume) {
  ex.set_balance(key, "USD", D("20000"));
  Decimal before = ex.candles("kraken", "XXBTZUSD", 60'000, std::nullopt, 1)[0].volume;
  placed(ex.place(key, market("XXBTZUSD", Side::Buy, "0.25"), false));
  EXPECT_EQ(ex.candles("kraken", "XXBTZUSD", 60'000, std::nullopt, 1)[0].volume, before + D("0.25"));
}

TEST_F(SpotOrders, ACrossingLimitTakesAtTheCurrentPrice) {
  auto o = placed(ex.place(key, limit("XXBTZUSD", Side::Buy, "0.01", "61000.0"), false));
  EXPECT_EQ(o.status, SimOrderStatus::Filled);
  EXPECT_EQ(o.average_price, D("60000"));
  EXPECT_EQ(o.fee, D("1.56"));
}

TEST_F(SpotOrders, PostOnlyThatWouldTake) {
  auto spec = limit("XXBTZUSD", Side::Buy, "0.01", "61000.0");
  spec.post_only = true;
  // Kraken and Bitfinex accept and cancel it at once.
  auto o = placed(ex.place(key, spec, false));
  EXPECT_EQ(o.status, SimOrderStatus::Canceled);
  EXPECT_EQ(o.reason, "post_only");
  EXPECT_TRUE(o.filled.is_zero());
  EXPECT_EQ(ex.balances(key)["USD"].total, D("10000"));
  EXPECT_TRUE(ex.balances(key)["USD"].reserved.is_zero());
  EXPECT_EQ(ex.orders(key).size(), 1u);
  // Binance refuses it synchronously.
  EXPECT_EQ(refusal(ex.place(key, spec, true)), Refusal::PostOnlyWouldTake);
  EXPECT_EQ(ex.orders(key).size(), 1u);
  // Post-only that would not take rests as usual.
  auto rest = limit("XXBTZUSD", Side::Buy, "0.01", "59000.0");
  rest.post_only = true;
  EXPECT_EQ(placed(ex.place(key, rest, true)).status, SimOrderStatus::Open);
}

TEST_F(SpotOrders, ClientOrderIdsUniqueAmongOpenOrders) {
  auto spec = limit("XXBTZUSD", Side::Buy, "0.001", "50000.0");
  spec.client_order_id = "tb-1";
  auto first = placed(ex.place(key, spec, false));
  EXPECT_EQ(refusal(ex.place(key, spec, false)), Refusal::DuplicateClientOrderId);
  EXPECT_EQ(ex.order(key, 0, "tb-1")->id, first.id);
  auto c = ex.cancel(key, 0, "tb-1");
  ASSERT_EQ(c.index(), 0u);
  EXPECT_EQ(std::get<0>(c).id, first.id);
  auto second = placed(ex.place(key, spec, false));  // free again once the first is closed
  EXPECT_GT(second.id, first.id);
  EXPECT_EQ(ex.order(key, 0, "tb-1")->id, second.id);
  EXPECT_EQ(refusal(ex.cancel(key, 0, "nope")), Refusal::OrderNotFound);
  EXPECT_EQ(refusal(ex.cancel(key, 424242, "")), Refusal::OrderNotFound);
}

TEST_F(SpotOrders, OrdersOfAnotherKeyAreInvisible) {
  auto other = make_key(ex, "kraken", {{"USD", D("10000")}});
  auto o = placed(ex.place(key, limit("XXBTZUSD", Side::Buy, "0.001", "50000.0"), false));
  EXPECT_FALSE(ex.order(other, o.id, ""));
  EXPECT_EQ(refusal(ex.cancel(other, o.id, "")), Refusal::OrderNotFound);
  EXPECT_TRUE(ex.open_orders(other).empty());
  EXPECT_EQ(ex.open_orders(key, "XXBTZUSD").size(), 1u);
  EXPECT_TRUE(ex.open_orders(key, "XETHZUSD").empty());
}

TEST_F(SpotOrders, InsufficientFunds) {
  ex.set_balance(key, "USD", D("600"));
  // 600 + 1.56 taker fee does not fit in 600.
  EXPECT_EQ(refusal(ex.place(key, market("XXBTZUSD", Side::Buy, "0.01"), false)), Refusal::InsufficientFunds);
  EXPECT_EQ(refusal(ex.place(key, market("XXBTZUSD", Side::Sell, "0.01"), false)), Refusal::InsufficientFunds);
  ex.set_balance(key, "USD", D("601.56"));
  EXPECT_EQ(placed(ex.place(key, market("XXBTZUSD", Side::Buy, "0.01"), false)).status, SimOrderStatus::Filled);
  EXPECT_TRUE(ex.balances(key)["USD"].total.is_zero());
  // Reserved funds are not free: two resting orders cannot spend the same dollars.
  ex.set_balance(key, "USD", D("1000"));
  placed(ex.place(key, limit("XXBTZUSD", Side::Buy, "0.01", "50000.0"), false));  // reserves 500.8
  EXPECT_EQ(refusal(ex.place(key, limit("XXBTZUSD", Side::Buy, "0.01", "50000.0"), false)), Refusal::InsufficientFunds);
}

TEST(EngineRules, Refusals) {
  ManualClock clock;
  Exchange ex(clock, 1);
  auto bn = make_key(ex, "binance_futures", {{"USDT", D("100000")}});
  auto kr = make_key(ex, "kraken", {{"USD", D("100000")}});
  auto bf = make_key(ex, "bitfinex", {{"USD", D("100000")}});
  EXPECT_EQ(refusal(ex.place(bn, market("BTCUSDT", Side::Buy, "0.0005"), false)), Refusal::InvalidQuantity);
  EXPECT_EQ(refusal(ex.place(bn, market("BTCUSDT", Side::Buy, "0"), false)), Refusal::InvalidQuantity);
  EXPECT_EQ(refusal(ex.place(bn, market("BTCUSDT", Side::Buy, "1000.001"), false)), Refusal::InvalidQuantity);
  EXPECT_EQ(refusal(ex.place(bn, market("BTCUSDT", Side::Buy, "0.001"), false)), Refusal::BelowMinNotional);
  EXPECT_EQ(refusal(ex.place(bn, limit("BTCUSDT", Side::Buy, "0.01", "60000.05"), false)), Refusal::InvalidPrice);
  EXPECT_EQ(refusal(ex.place(bn, limit("BTCUSDT", Side::Buy, "0.01", "0"), false)), Refusal::InvalidPrice);
  auto no_price = limit("BTCUSDT", Side::Buy, "0.01", "1");
  no_price.price.reset();
  EXPECT_EQ(refusal(ex.place(bn, no_price, false)), Refusal::InvalidPrice);
  EXPECT_EQ(refusal(ex.place(bn, market("XXBTZUSD", Side::Buy, "0.01"), false)), Refusal::UnknownSymbol);
  EXPECT_EQ(refusal(ex.place(bn, market("SOLUSDT", Side::Buy, "0.5"), false)), Refusal::InvalidQuantity);  // step 1
  EXPECT_EQ(placed(ex.place(bn, limit("SOLUSDT", Side::Buy, "1", "140.0100"), false)).status, SimOrderStatus::Open);

  EXPECT_EQ(refusal(ex.place(kr, market("XXBTZUSD", Side::Buy, "0.00004"), false)), Refusal::BelowMinQty);
  EXPECT_EQ(refusal(ex.place(kr, market("XXBTZUSD", Side::Buy, "0.000050001"), false)), Refusal::InvalidQuantity);
  EXPECT_EQ(refusal(ex.place(kr, limit("XXBTZUSD", Side::Buy, "0.0001", "59000.05"), false)), Refusal::InvalidPrice);
  EXPECT_EQ(refusal(ex.place(kr, limit("XXRPZUSD", Side::Buy, "2", "0.2"), false)), Refusal::BelowMinNotional);  // 0.4 < 0.5
  EXPECT_EQ(placed(ex.place(kr, limit("XXRPZUSD", Side::Buy, "2", "0.25"), false)).status, SimOrderStatus::Open);

  EXPECT_EQ(refusal(ex.place(bf, limit("tBTCUSD", Side::Buy, "0.001", "59001.5"), false)), Refusal::InvalidPrice);
  EXPECT_EQ(placed(ex.place(bf, limit("tBTCUSD", Side::Buy, "0.001", "59001"), false)).status, SimOrderStatus::Open);
  EXPECT_EQ(placed(ex.place(bf, limit("tXRPUSD", Side::Buy, "4", "0.51234"), false)).status, SimOrderStatus::Open);
  EXPECT_EQ(refusal(ex.place(bf, limit("tXRPUSD", Side::Buy, "4", "0.512345"), false)), Refusal::InvalidPrice);
  EXPECT_EQ(refusal(ex.place(bf, market("tBTCUSD", Side::Buy, "0.00003"), false)), Refusal::BelowMinQty);
  EXPECT_EQ(refusal(ex.place("no-such-key", market("tBTCUSD", Side::Buy, "0.001"), false)), Refusal::InsufficientFunds);
}

TEST(EngineOrders, IdsIncreasePerVenue) {
  ManualClock clock;
  Exchange ex(clock, 1);
  auto kr = make_key(ex, "kraken", {{"USD", D("100000")}});
  auto bf = make_key(ex, "bitfinex", {{"USD", D("100000")}});
  auto a = placed(ex.place(kr, limit("XXBTZUSD", Side::Buy, "0.001", "50000.0"), false));
  auto b = placed(ex.place(kr, limit("XXBTZUSD", Side::Buy, "0.001", "50000.0"), false));
  auto c = placed(ex.place(bf, limit("tBTCUSD", Side::Buy, "0.001", "50000"), false));
  EXPECT_EQ(a.id, 1'000'000u);
  EXPECT_EQ(b.id, a.id + 1);
  EXPECT_EQ(c.id, 1'000'000u);
  EXPECT_EQ(a.key, kr);
  EXPECT_EQ(a.venue, "kraken");
  auto all = ex.orders(kr);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, a.id);
}

TEST(EngineOrders, ConcurrentPlacesKeepBalancesConsistent) {
  ManualClock clock;
  Exchange ex(clock, 1);
  auto kr = make_key(ex, "kraken", {{"USD", D("100000")}});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 250; ++i) {
        placed(ex.place(kr, market("XXBTZUSD", Side::Buy, "0.001"), false));  // 60 + 0.156 fee
        auto o = placed(ex.place(kr, limit("XXBTZUSD", Side::Buy, "0.001", "50000.0"), false));
        EXPECT_EQ(ex.cancel(kr, o.id, "").index(), 0u);
      }
    });
  for (auto& th : threads) th.join();
  auto b = ex.balances(kr);
  EXPECT_EQ(b["USD"].total.to_plain_string(), "39844");  // 100000 - 1000 * 60.156
  EXPECT_TRUE(b["USD"].reserved.is_zero());
  EXPECT_EQ(b["BTC"].total, D("1"));
  EXPECT_EQ(ex.orders(kr).size(), 2000u);
  EXPECT_TRUE(ex.open_orders(kr).empty());
}

}  // namespace
}  // namespace tb::exsim
