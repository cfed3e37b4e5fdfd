#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "engine_test_util.hpp"

namespace tb::exsim {
namespace {

using namespace test_util;

std::string temp_path(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string(name) + "-" + std::to_string(::getpid()) + ".json")).string();
}

void expect_same_orders(const std::vector<SimOrder>& a, const std::vector<SimOrder>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].venue, b[i].venue);
    EXPECT_EQ(a[i].key, b[i].key);
    EXPECT_EQ(a[i].symbol, b[i].symbol);
    EXPECT_EQ(a[i].client_order_id, b[i].client_order_id);
    EXPECT_EQ(a[i].side, b[i].side);
    EXPECT_EQ(a[i].type, b[i].type);
    EXPECT_EQ(a[i].price, b[i].price);
    EXPECT_EQ(a[i].amount, b[i].amount);
    EXPECT_EQ(a[i].filled, b[i].filled);
    EXPECT_EQ(a[i].average_price, b[i].average_price);
    EXPECT_EQ(a[i].fee, b[i].fee);
    EXPECT_EQ(a[i].post_only, b[i].post_only);
    EXPECT_EQ(a[i].reduce_only, b[i].reduce_only);
    EXPECT_EQ(a[i].status, b[i].status);
    EXPECT_EQ(a[i].reason, b[i].reason);
    EXPECT_EQ(a[i].created_ms, b[i].created_ms);
    EXPECT_EQ(a[i].updated_ms, b[i].updated_ms);
    EXPECT_EQ(a[i].trigger_price, b[i].trigger_price);
    EXPECT_EQ(a[i].triggered, b[i].triggered);
    EXPECT_EQ(a[i].position_side, b[i].position_side);
  }
}

TEST(EnginePersistence, SaveLoadRoundTrip) {
  ManualClock clock;
  Exchange ex(clock, 11);
  NewKey spec;
  spec.venue = "binance_futures";
  spec.label = "perp";
  spec.permissions = KeyPermissions{true, true, true, false};
  spec.ip_whitelist = {"10.0.0.1", "127.0.0.1"};
  spec.balances = {{"USDT", D("10000")}};
  auto bn = ex.create_key(spec);
  ASSERT_TRUE(bn.ok());
  auto kr = make_key(ex, "kraken", {{"USD", D("5000")}, {"BTC", D("0.25")}});
  placed(ex.place(bn->key, market("BTCUSDT", Side::Buy, "0.1"), true));
  auto resting_spec = limit("ETHUSDT", Side::Buy, "1", "2900.00");
  resting_spec.client_order_id = "keep-me";
  auto resting = placed(ex.place(bn->key, resting_spec, true));
  placed(ex.place(kr, limit("XXBTZUSD", Side::Sell, "0.1", "65000.0"), false));
  placed(ex.place(kr, market("XXBTZUSD", Side::Buy, "0.01"), false));
  auto stop = limit("XXBTZUSD", Side::Sell, "0.01", "40000.0");
  stop.type = OrderType::StopLimit;
  stop.trigger_price = D("41000.0");
  placed(ex.place(kr, stop, false));  // a resting stop-limit, kept with its trigger
  ASSERT_TRUE(ex.set_leverage(bn->key, "BTCUSDT", 25).ok());
  ASSERT_TRUE(ex.set_isolated(bn->key, "ETHUSDT", true).ok());
  ASSERT_TRUE(ex.set_hedge_mode(bn->key, true).ok());
  ASSERT_TRUE(ex.accept_nonce(kr, 77));
  ASSERT_TRUE(ex.set_price("kraken", "XETHZUSD", D("3333.33")).ok());
  clock.advance_ms(5 * 60'000);

  std::string path = temp_path("exsim-state");
  ASSERT_TRUE(ex.save(path).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));

  Exchange back(clock, 999);  // another seed: everything must come from the file
  ASSERT_TRUE(back.load(path).ok());
  auto ka = ex.keys(), kb = back.keys();
  ASSERT_EQ(ka.size(), kb.size());
  for (size_t i = 0; i < ka.size(); ++i) {
    EXPECT_EQ(ka[i].venue, kb[i].venue);
    EXPECT_EQ(ka[i].key, kb[i].key);
    EXPECT_EQ(ka[i].secret, kb[i].secret);
    EXPECT_EQ(ka[i].label, kb[i].label);
    EXPECT_EQ(ka[i].permissions.futures, kb[i].permissions.futures);
    EXPECT_EQ(ka[i].permissions.trade, kb[i].permissions.trade);
    EXPECT_EQ(ka[i].ip_whitelist, kb[i].ip_whitelist);
    EXPECT_EQ(ka[i].created_ms, kb[i].created_ms);
  }
  for (const auto& k : ka) {
    auto ba = ex.balances(k.key), bb = back.balances(k.key);
    ASSERT_EQ(ba.size(), bb.size());
    for (const auto& [asset, bal] : ba) {
      EXPECT_EQ(bal.total, bb[asset].total) << asset;
      EXPECT_EQ(bal.reserved, bb[asset].reserved) << asset;
    }
    expect_same_orders(ex.orders(k.key), back.orders(k.key));
    auto pa = ex.positions(k.key), pb = back.positions(k.key);
    ASSERT_EQ(pa.size(), pb.size());
    for (size_t i = 0; i < pa.size(); ++i) {
      EXPECT_EQ(pa[i].amount, pb[i].amount);
      EXPECT_EQ(pa[i].entry_price, pb[i].entry_price);
      EXPECT_EQ(pa[i].unrealized_pnl, pb[i].unrealized_pnl);
    }
  }
  auto futures = back.futures_config(bn->key);
  EXPECT_TRUE(futures.hedge_mode);
  EXPECT_EQ(futures.leverage_of("BTCUSDT"), 25);
  EXPECT_EQ(futures.leverage_of("ETHUSDT"), kDefaultLeverage);
  EXPECT_EQ(futures.isolated, std::set<std::string>{"ETHUSDT"});
  EXPECT_FALSE(back.accept_nonce(kr, 77));
  EXPECT_TRUE(back.accept_nonce(kr, 78));
  for (const char* venue : {"binance_futures", "kraken", "bitfinex"}) {
    for (const auto& m : ex.markets(venue)) {
      EXPECT_EQ(ex.price(venue, m.id), back.price(venue, m.id)) << m.id;
      auto ca = ex.candles(venue, m.id, 60'000, std::nullopt, 60);
      auto cb = back.candles(venue, m.id, 60'000, std::nullopt, 60);
      ASSERT_EQ(ca.size(), cb.size());
      for (size_t i = 0; i < ca.size(); ++i) {
        EXPECT_EQ(ca[i].open_time_ms, cb[i].open_time_ms);
        EXPECT_EQ(ca[i].close, cb[i].close);
        EXPECT_EQ(ca[i].volume, cb[i].volume);
      }
    }
  }
  // The paths go on the same way, and the restored books keep working.
  clock.advance_ms(30 * 60'000);
  EXPECT_EQ(ex.price("bitfinex", "tSOLUSD"), back.price("bitfinex", "tSOLUSD"));
  EXPECT_EQ(back.order(bn->key, 0, "keep-me")->id, resting.id);
  auto next = placed(back.place(kr, limit("XXBTZUSD", Side::Buy, "0.001", "50000.0"), false));
  EXPECT_EQ(next.id, placed(ex.place(kr, limit("XXBTZUSD", Side::Buy, "0.001", "50000.0"), false)).id);
  ASSERT_TRUE(back.set_price("binance_futures", "ETHUSDT", D("2800.00")).ok());
  EXPECT_EQ(back.order(bn->key, resting.id, "")->status, SimOrderStatus::Filled);
  EXPECT_TRUE(back.candles("kraken", "XXBTZUSD", 60 * 60'000, std::nullopt, 500).size() >= 499u);
  std::remove(path.c_str());
}

TEST(EnginePersistence, BadFilesAreRefusedAndStateKept) {
  ManualClock clock;
  Exchange ex(clock, 1);
  auto key = make_key(ex, "bitfinex", {{"USD", D("1")}});
  EXPECT_FALSE(ex.load("/nonexistent/exsim.json").ok());
  std::string path = temp_path("exsim-bad");
  std::ofstream(path) << "{\"format\":\"something else\"}";
  EXPECT_FALSE(ex.load(path).ok());
  std::ofstream(path) << "not json";
  EXPECT_FALSE(ex.load(path).ok());
  EXPECT_TRUE(ex.find_key("bitfinex", key));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tb::exsim
