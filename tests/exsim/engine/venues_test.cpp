// The engine names no venue: it serves the venues it is handed (keys in their formats, their markets with
// their fees), and by default those of the registry, each from its own folder.
#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "crypto/encoding.hpp"
#include "engine_test_util.hpp"
#include "exsim/engine/exchange.hpp"
#include "exsim/venues.hpp"

namespace tb::exsim {
namespace {

using test_util::D;

SimVenue made_up() {
  SimVenue v;
  v.id = "made_up";
  v.display_name = "Made Up";
  v.key_text = KeyText::Base64;
  v.key_length = 20;
  v.secret_text = KeyText::Base64;
  v.secret_length = 32;
  v.default_balances = "EUR=5";
  SimMarket m;
  m.venue = v.id;
  m.id = "BTC-EUR";
  m.base = "BTC";
  m.quote = "EUR";
  m.tick = D("0.5");
  m.step = D("0.001");
  m.min_qty = D("0.001");
  m.max_qty = D("10");
  m.min_notional = D("1");
  m.start_price = D("50000");
  m.maker_fee = D("0.001");
  m.taker_fee = D("0.002");
  v.markets = {m};
  return v;
}

TEST(EngineVenues, ServesTheVenuesItIsHanded) {
  ManualClock clock(1'700'000'000'000);
  Exchange ex(clock, 1, {made_up()});
  ASSERT_EQ(ex.venues().size(), 1u);
  ASSERT_NE(ex.venue("made_up"), nullptr);
  EXPECT_EQ(ex.venue("kraken"), nullptr);
  NewKey spec;
  spec.venue = "made_up";
  spec.balances = {{"EUR", D("100000")}};
  auto key = ex.create_key(spec);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->key.size(), 20u);
  auto secret = crypto::from_base64(key->secret);
  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->size(), 32u);
  EXPECT_TRUE(is_secret_format(*ex.venue("made_up"), key->secret));
  EXPECT_EQ(secret_format_text(*ex.venue("made_up")), "base64 of 32 bytes");
  spec.venue = "kraken";
  EXPECT_FALSE(ex.create_key(spec).ok());  // not handed to it: unknown
  auto markets = ex.markets("made_up");
  ASSERT_EQ(markets.size(), 1u);
  EXPECT_EQ(markets[0].id, "BTC-EUR");
  EXPECT_TRUE(ex.price("made_up", "BTC-EUR").is_multiple_of(D("0.5")));  // on the tick it was handed
  auto order = test_util::placed(ex.place(key->key, test_util::market("BTC-EUR", Side::Buy, "0.01"), false));
  EXPECT_EQ(order.status, SimOrderStatus::Filled);
  // The taker fee it was handed: 0.002 of the notional.
  EXPECT_EQ(order.fee, (D("0.01") * order.average_price * D("0.002")).normalized());
}

TEST(EngineVenues, ByDefaultTheRegistrysVenuesInItsOrder) {
  ManualClock clock(1'700'000'000'000);
  Exchange ex(clock, 1);
  std::vector<std::string> ids;
  for (const auto& v : ex.venues()) ids.push_back(v.id);
  std::vector<std::string> registry;
  for (const auto& v : default_sim_venues()) registry.push_back(v.id);
  EXPECT_EQ(ids, registry);
  EXPECT_EQ(ids, (std::vector<std::string>{"binance_futures", "kraken", "bitfinex"}));
  for (const auto& v : ex.venues()) {
    EXPECT_EQ(ex.markets(v.id).size(), v.markets.size()) << v.id;
    EXPECT_FALSE(v.default_balances.empty()) << v.id;
    for (const auto& m : v.markets) EXPECT_EQ(m.venue, v.id);
  }
  EXPECT_TRUE(ex.venue("binance_futures")->futures_right);
  EXPECT_EQ(secret_format_text(*ex.venue("kraken")), "base64 of 64 bytes");
  EXPECT_EQ(secret_format_text(*ex.venue("bitfinex")), "43 letters and digits");
}

}  // namespace
}  // namespace tb::exsim
