// The registry and the venues' descriptions: every venue described in full, its connector built by id, and
// the facts every other module reads (key formats, client order ids) those of the venues themselves.
#include <gtest/gtest.h>

#include <regex>

#include "support/harness.hpp"
#include "venues/registry.hpp"

namespace tb::venues {
namespace {

TEST(Registry, EveryVenueIsDescribedInFullAndBuildsItsConnector) {
  const auto& all = supported_venues();
  ASSERT_EQ(all.size(), 3u);
  std::vector<std::string> ids;
  for (const auto& v : all) {
    ids.emplace_back(v.id);
    EXPECT_FALSE(v.display_name.empty()) << v.id;
    EXPECT_GT(v.key.length, 0u) << v.id;
    EXPECT_GT(v.secret.length, 0u) << v.id;
    EXPECT_FALSE(v.client_order_id_form.empty()) << v.id;
    ASSERT_NE(v.make_client_order_id, nullptr) << v.id;
    EXPECT_TRUE(v.guide.key_page.starts_with("https://")) << v.id;
    EXPECT_GE(v.guide.steps.size(), 3u) << v.id;
    EXPECT_FALSE(v.guide.permissions.empty()) << v.id;
    EXPECT_NE(v.advice.withdrawals_on.find("Withdraw"), std::string_view::npos) << v.id;
    EXPECT_FALSE(v.advice.trading_off.empty()) << v.id;
    EXPECT_FALSE(v.symbol_examples.empty()) << v.id;
    EXPECT_EQ(find_venue(v.id), &v);
    EXPECT_EQ(display_name_of(v.id), v.display_name);
    test::VenueHarness h{[](const net::HttpRequest&) { return test::json_response(500, "{}"); }};
    auto venue = make_venue(v.id, h.context());
    ASSERT_NE(venue, nullptr) << v.id;
    EXPECT_EQ(venue->id(), v.id);
    EXPECT_EQ(venue->display_name(), v.display_name);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"binance_futures", "kraken", "bitfinex"}));
  EXPECT_EQ(venue_ids(), "binance_futures, kraken, bitfinex");
  EXPECT_EQ(find_venue("nasdaq"), nullptr);
  EXPECT_EQ(display_name_of("nasdaq"), "nasdaq");
  test::VenueHarness h{[](const net::HttpRequest&) { return test::json_response(500, "{}"); }};
  EXPECT_EQ(make_venue("nasdaq", h.context()), nullptr);
}

TEST(Registry, FactsAreTheVenuesOwn) {
  EXPECT_EQ(find_venue("binance_futures")->replay, ReplayGuard::Timestamp);
  EXPECT_TRUE(find_venue("binance_futures")->futures);
  EXPECT_EQ(find_venue("kraken")->replay, ReplayGuard::Nonce);
  EXPECT_FALSE(find_venue("kraken")->futures);
  EXPECT_EQ(find_venue("kraken")->secret.alphabet, Alphabet::Base64);
  EXPECT_EQ(find_venue("kraken")->secret.decoded_bytes, 64u);
  EXPECT_EQ(find_venue("bitfinex")->replay, ReplayGuard::Nonce);
  // Each generator gives an id its venue accepts, for numbers as large as a test's.
  const uint64_t unique = 1'700'000'000'123ULL * 1000 + 999;
  EXPECT_TRUE(std::regex_match(find_venue("binance_futures")->make_client_order_id(unique), std::regex(R"([.A-Za-z0-9:/_-]{1,36})")));
  EXPECT_LE(find_venue("kraken")->make_client_order_id(unique).size(), 18u);
  const std::string bitfinex = find_venue("bitfinex")->make_client_order_id(unique);
  EXPECT_TRUE(std::regex_match(bitfinex, std::regex("[1-9][0-9]*")));
  EXPECT_LT(std::stoull(bitfinex), 1ULL << 45);
  // A Bitfinex key's rights cannot be edited: every advice about them is a new key.
  EXPECT_NE(find_venue("bitfinex")->advice.withdrawals_on.find("create a new key"), std::string_view::npos);
  EXPECT_NE(find_venue("bitfinex")->advice.trading_off.find("create a new key"), std::string_view::npos);
  EXPECT_EQ(find_venue("bitfinex")->advice.withdrawals_on.find("edit this key"), std::string_view::npos);
}

// A venue's WebSocket API is its own URL, or on the host of a base URL that replaces the venue's (the
// simulator's); a venue without one has none.
TEST(Registry, AWebSocketApiIsTheVenuesOrOnTheReplacingHost) {
  const VenueDescription& binance = *find_venue("binance_futures");
  EXPECT_EQ(ws_api_url(binance, std::nullopt), "wss://ws-fapi.binance.com/ws-fapi/v1");
  EXPECT_EQ(ws_api_url(binance, std::string("http://127.0.0.1:8081")), "ws://127.0.0.1:8081/ws-fapi/v1");
  EXPECT_EQ(ws_api_url(binance, std::string("https://sim.example/")), "wss://sim.example/ws-fapi/v1");
  EXPECT_EQ(binance.ws_answer_id(R"({"id":5,"status":200})"), 5u);
  EXPECT_EQ(ws_api_url(*find_venue("kraken"), std::nullopt), "");
  EXPECT_EQ(ws_api_url(*find_venue("bitfinex"), std::string("http://127.0.0.1:8081")), "");
}

}  // namespace
}  // namespace tb::venues
