#include <gtest/gtest.h>

#include <set>

#include "crypto/encoding.hpp"
#include "engine_test_util.hpp"

namespace tb::exsim {
namespace {

using namespace test_util;

bool all_of_alphabet(const std::string& s, const std::string& alphabet) { return s.find_first_not_of(alphabet) == std::string::npos; }
const std::string kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const std::string kBase64 = kAlnum + "+/";

TEST(EngineKeys, EachVenuesRealFormat) {
  ManualClock clock;
  Exchange ex(clock, 1);
  NewKey spec;
  spec.venue = "binance_futures";
  auto b = ex.create_key(spec);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->key.size(), 64u);
  EXPECT_EQ(b->secret.size(), 64u);
  EXPECT_TRUE(all_of_alphabet(b->key, kAlnum));
  EXPECT_TRUE(all_of_alphabet(b->secret, kAlnum));

  spec.venue = "kraken";
  auto k = ex.create_key(spec);
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->key.size(), 56u);
  EXPECT_TRUE(all_of_alphabet(k->key, kAlnum + "+/"));
  auto raw = crypto::from_base64(k->secret);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->size(), 64u);
  EXPECT_EQ(k->secret.size(), 88u);

  spec.venue = "bitfinex";
  auto f = ex.create_key(spec);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->key.size(), 43u);
  EXPECT_EQ(f->secret.size(), 43u);
  EXPECT_TRUE(all_of_alphabet(f->key, kAlnum));
  EXPECT_TRUE(all_of_alphabet(f->secret, kAlnum));
}

TEST(EngineKeys, UniqueAndReproducibleForASeed) {
  ManualClock clock;
  Exchange a(clock, 7), b(clock, 7), c(clock, 8);
  NewKey spec;
  spec.venue = "bitfinex";
  std::set<std::string> seen;
  for (int i = 0; i < 300; ++i) {
    auto ka = a.create_key(spec);
    auto kb = b.create_key(spec);
    ASSERT_TRUE(ka.ok() && kb.ok());
    EXPECT_EQ(ka->key, kb->key);
    EXPECT_EQ(ka->secret, kb->secret);
    EXPECT_NE(ka->key, ka->secret);
    seen.insert(ka->key);
  }
  EXPECT_EQ(seen.size(), 300u);
  EXPECT_NE(c.create_key(spec)->key, a.keys().front().key);
  EXPECT_EQ(a.keys().size(), 300u);
  EXPECT_EQ(a.keys().front().key, b.keys().front().key);  // creation order
}

// Without a seed, keys are secrets from the system CSPRNG: two fresh simulators never hand out the same
// pair (with seed 1, the old default, they always did), and the formats stay the venue's.
TEST(EngineKeys, WithoutASeedTwoEnginesNeverShareAKey) {
  ManualClock clock;
  for (std::string venue : {"binance_futures", "kraken", "bitfinex"}) {
    Exchange a(clock, std::nullopt), b(clock, std::nullopt), seeded(clock, 1), seeded_again(clock, 1);
    NewKey spec;
    spec.venue = venue;
    auto ka = a.create_key(spec), kb = b.create_key(spec);
    ASSERT_TRUE(ka.ok() && kb.ok());
    EXPECT_NE(ka->key, kb->key) << venue;
    EXPECT_NE(ka->secret, kb->secret) << venue;
    auto ks = seeded.create_key(spec), ks_again = seeded_again.create_key(spec);
    EXPECT_EQ(ks->key, ks_again->key) << venue;
    EXPECT_EQ(ks->secret, ks_again->secret) << venue;
    EXPECT_NE(ka->key, ks->key) << venue;
    EXPECT_EQ(ka->key.size(), ks->key.size()) << venue;
    EXPECT_EQ(ka->secret.size(), ks->secret.size()) << venue;
    auto alphabet = venue == "kraken" ? kBase64 : kAlnum;
    EXPECT_TRUE(all_of_alphabet(ka->key, alphabet)) << ka->key;
    if (venue == "kraken") {
      EXPECT_EQ(crypto::from_base64(ka->secret)->size(), 64u);
    } else {
      EXPECT_TRUE(all_of_alphabet(ka->secret, kAlnum)) << venue;
    }
  }
}

TEST(EngineKeys, SpecIsKeptAndDeleteRemovesTheAccount) {
  ManualClock clock;
  Exchange ex(clock, 1);
  NewKey spec;
  spec.venue = "kraken";
  spec.label = "bot";
  spec.permissions = KeyPermissions{true, true, false, false};
  spec.ip_whitelist = {"127.0.0.1"};
  spec.balances = {{"USD", D("1000")}, {"BTC", D("0.5")}};
  auto k = ex.create_key(spec);
  ASSERT_TRUE(k.ok());
  EXPECT_EQ(k->created_ms, clock.now_ms());
  auto found = ex.find_key("kraken", k->key);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->label, "bot");
  EXPECT_TRUE(found->permissions.trade);
  EXPECT_FALSE(found->permissions.withdraw);
  EXPECT_EQ(found->ip_whitelist, std::vector<std::string>{"127.0.0.1"});
  EXPECT_FALSE(ex.find_key("bitfinex", k->key));  // a key belongs to one venue
  auto bal = ex.balances(k->key);
  EXPECT_EQ(bal["USD"].total, D("1000"));
  EXPECT_EQ(bal["BTC"].total, D("0.5"));
  EXPECT_EQ(bal["BTC"].reserved, D("0"));

  EXPECT_TRUE(ex.delete_key(k->key));
  EXPECT_FALSE(ex.find_key("kraken", k->key));
  EXPECT_TRUE(ex.balances(k->key).empty());
  EXPECT_FALSE(ex.delete_key(k->key));
}

TEST(EngineKeys, RefusesUnknownVenueAndNegativeBalance) {
  ManualClock clock;
  Exchange ex(clock, 1);
  NewKey spec;
  spec.venue = "coinbase";
  auto r = ex.create_key(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
  spec.venue = "kraken";
  spec.balances = {{"USD", D("-1")}};
  EXPECT_FALSE(ex.create_key(spec).ok());
  EXPECT_TRUE(ex.keys().empty());
}

TEST(EngineMarkets, DefaultRules) {
  ManualClock clock;
  Exchange ex(clock, 1);
  auto bn = ex.markets("binance_futures");
  ASSERT_EQ(bn.size(), 4u);
  EXPECT_EQ(bn[0].id, "BTCUSDT");
  EXPECT_TRUE(bn[0].perpetual);
  EXPECT_EQ(bn[0].quote, "USDT");
  EXPECT_EQ(bn[0].tick.to_string(), "0.10");
  EXPECT_EQ(bn[0].min_notional, D("100"));
  EXPECT_EQ(bn[2].step, D("1"));
  auto kr = ex.markets("kraken");
  ASSERT_EQ(kr.size(), 4u);
  EXPECT_EQ(kr[0].id, "XXBTZUSD");
  EXPECT_EQ(kr[0].base, "BTC");
  EXPECT_EQ(kr[0].quote, "USD");
  EXPECT_FALSE(kr[0].perpetual);
  EXPECT_EQ(kr[3].tick, D("0.00001"));
  EXPECT_EQ(kr[3].min_qty, D("2"));
  EXPECT_EQ(kr[0].step, D("0.00000001"));
  auto bf = ex.markets("bitfinex");
  ASSERT_EQ(bf.size(), 4u);
  EXPECT_EQ(bf[0].id, "tBTCUSD");
  EXPECT_EQ(bf[0].price_significant_digits, 5);
  EXPECT_EQ(bf[0].min_qty, D("0.00004"));
  EXPECT_EQ(bf[0].taker_fee, D("0.002"));
  EXPECT_TRUE(ex.markets("nope").empty());
  EXPECT_TRUE(ex.market("kraken", "SOLUSD"));
  EXPECT_FALSE(ex.market("kraken", "BTCUSDT"));
  // Prices start at the realistic start price.
  EXPECT_EQ(ex.price("binance_futures", "BTCUSDT"), D("60000"));
  EXPECT_EQ(ex.price("kraken", "XXRPZUSD"), D("0.6"));
  EXPECT_EQ(ex.price("bitfinex", "tETHUSD"), D("3000"));
}

}  // namespace
}  // namespace tb::exsim
