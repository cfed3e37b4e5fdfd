// Kraken's protocol pieces of the simulator, without a connector: the official API-Sign vector, ids,
// the descr.order text, and answers to requests no client should send.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "exsim/kraken/auth.hpp"
#include "exsim/kraken/kraken_sim.hpp"
#include "exsim/kraken/names.hpp"
#include "exsim/kraken/render.hpp"

namespace tb::exsim::kraken {
namespace {

// exchanges.md §1.2, official.
constexpr const char* kSecret = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";

TEST(KrakenSimAuth, OfficialVector) {
  auto sign = expected_api_sign(kSecret, "/0/private/AddOrder", "1616492376594",
                                "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25");
  ASSERT_TRUE(sign);
  EXPECT_EQ(*sign, "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==");
}

TEST(KrakenSimAuth, JsonBodyIsHashedAsSent) {
  std::string body = R"({"nonce": "1616492376594", "ordertype": "limit", "pair": "XBTUSD", "price": 37500, "type": "buy", "volume": 1.25})";
  auto sign = expected_api_sign(kSecret, "/0/private/AddOrder", "1616492376594", body);
  ASSERT_TRUE(sign);
  EXPECT_EQ(*sign, "xojekerxRL59CSvi3027oZ1+nMQF0TgqD5QE569qR8tgSJ4tAhoVYVGhSEciXkufsn6foHHVi0N3Utiarvg74w==");
  auto params = parse_params(body, nullptr);
  ASSERT_TRUE(params);
  EXPECT_EQ(params->at("nonce"), "1616492376594");
  EXPECT_EQ(params->at("price"), "37500");
  EXPECT_EQ(params->at("volume"), "1.25");
}

TEST(KrakenSimAuth, FormParamsAndNonces) {
  std::string ct = "application/x-www-form-urlencoded";
  auto p = parse_params("nonce=1&cl_ord_id=a%2Bb&pair=XBTUSD", &ct);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->at("cl_ord_id"), "a+b");
  EXPECT_FALSE(parse_params("nonce=%zz", &ct));
  EXPECT_FALSE(parse_params("{not json", nullptr));
  EXPECT_EQ(parse_nonce("1616492376594"), 1616492376594ull);
  EXPECT_FALSE(parse_nonce("-1"));
  EXPECT_FALSE(parse_nonce("12a"));
  EXPECT_FALSE(parse_nonce(""));
  EXPECT_FALSE(parse_nonce("99999999999999999999999"));
  EXPECT_FALSE(expected_api_sign("not base64!", "/0/private/Balance", "1", "nonce=1"));
}

TEST(KrakenSimNames, AssetsAndPairs) {
  EXPECT_EQ(asset_id("BTC"), "XXBT");
  EXPECT_EQ(asset_id("USD"), "ZUSD");
  EXPECT_EQ(asset_id("SOL"), "SOL");
  EXPECT_EQ(asset_id("XRP"), "XXRP");
  EXPECT_EQ(unified_asset("XBT"), "BTC");
  EXPECT_EQ(unified_asset("ZUSD"), "USD");
  EXPECT_FALSE(unified_asset("NOPE"));
  EXPECT_EQ(pair_altname("BTC", "USD"), "XBTUSD");
  EXPECT_EQ(pair_altname("SOL", "USD"), "SOLUSD");
}

TEST(KrakenSimNames, TxidsLookLikeKrakensAndReadBack) {
  for (uint64_t id : std::initializer_list<uint64_t>{1, 2, 42, 123456789, UINT64_MAX}) {
    auto t = txid_of(id);
    EXPECT_TRUE(looks_like_txid(t)) << t;
    EXPECT_EQ(t[0], 'O');
    EXPECT_EQ(id_of_txid(t), id) << t;
  }
  EXPECT_NE(txid_of(1), txid_of(2));
  EXPECT_TRUE(looks_like_txid("OU22CG-KLAF2-FWUDD7"));
  EXPECT_FALSE(id_of_txid("OU22CG-KLAF2-FWUDD7"));  // well-formed, never issued here
  EXPECT_FALSE(looks_like_txid("ou22cg-klaf2-fwudd7"));
  EXPECT_FALSE(looks_like_txid("12345"));
}

TEST(KrakenSimRender, DescrOrderTextAsCcxtSplitsIt) {
  SimMarket m;
  m.id = "XXBTZUSD", m.base = "BTC", m.quote = "USD";
  m.tick = *Decimal::parse("0.1"), m.step = *Decimal::parse("0.00000001");
  auto p = pair_of(m);
  EXPECT_EQ(p.altname, "XBTUSD");
  EXPECT_EQ(p.pair_decimals, 1);
  EXPECT_EQ(p.lot_decimals, 8);
  EXPECT_EQ(order_text(Side::Buy, *Decimal::parse("1.45"), OrderType::Limit, *Decimal::parse("27500"), std::nullopt, p),
            "buy 1.45000000 XBTUSD @ limit 27500.0");
  EXPECT_EQ(order_text(Side::Sell, *Decimal::parse("0.25"), OrderType::Market, std::nullopt, std::nullopt, p),
            "sell 0.25000000 XBTUSD @ market");
  // Conditional orders as Kraken words them (the recordings: "@ stop loss 55.00000 -> limit 54.00000").
  EXPECT_EQ(order_text(Side::Sell, *Decimal::parse("0.1"), OrderType::StopLimit, *Decimal::parse("54"), *Decimal::parse("55"), p),
            "sell 0.10000000 XBTUSD @ stop loss 55.0 -> limit 54.0");
  EXPECT_EQ(order_text(Side::Sell, *Decimal::parse("0.1"), OrderType::TakeProfitMarket, std::nullopt, *Decimal::parse("120"), p),
            "sell 0.10000000 XBTUSD @ take profit 120.0");
}

// Requests no client should send get Kraken's own answers, never a crash.
class KrakenSimGarbage : public ::testing::Test {
 protected:
  ManualClock clock{1'700'000'000'000};
  Exchange exchange{clock, 1};
  std::unique_ptr<VenueSim> sim = make_kraken_sim(exchange);

  nlohmann::json errors_of(const net::HttpResponse& r) {
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"] : nlohmann::json();
  }
  SimRequest post(std::string path, std::string body, std::vector<net::Header> headers = {}) {
    SimRequest r;
    r.method = "POST", r.path = std::move(path), r.body = std::move(body), r.headers = std::move(headers);
    r.peer_ip = "127.0.0.1";
    return r;
  }
};

TEST_F(KrakenSimGarbage, RoutesAndNames) {
  EXPECT_EQ(sim->venue(), "kraken");
  EXPECT_TRUE(sim->owns("/0/public/Time"));
  EXPECT_TRUE(sim->owns("/0/private/AddOrder"));
  EXPECT_FALSE(sim->owns("/fapi/v1/order"));
  EXPECT_FALSE(sim->owns("/v2/ticker/tBTCUSD"));
  EXPECT_EQ(sim->endpoint("/0/private/AddOrder"), "AddOrder");
  EXPECT_EQ(sim->endpoint("/0/public/Ticker"), "Ticker");
  auto rl = sim->rate_limited();
  EXPECT_EQ(rl.status, 200);
  EXPECT_EQ(errors_of(rl), nlohmann::json({"EAPI:Rate limit exceeded"}));
  EXPECT_EQ(errors_of(sim->maintenance()), nlohmann::json({"EService:Unavailable"}));
}

TEST_F(KrakenSimGarbage, UnknownMethodsAndKeys) {
  auto r = sim->handle(post("/0/public/Nope", ""));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(errors_of(r), nlohmann::json({"EGeneral:Unknown method"}));
  r = sim->handle(post("/0/private/Balance", "nonce=1"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(errors_of(r), nlohmann::json({"EAPI:Invalid key"}));
  r = sim->handle(post("/0/private/Balance", "\x01\x02garbage%%%", {{"API-Key", "nope"}, {"API-Sign", "!!"}}));
  EXPECT_EQ(errors_of(r), nlohmann::json({"EAPI:Invalid key"}));
}

TEST_F(KrakenSimGarbage, GarbageFromAKnownKey) {
  NewKey spec;
  spec.venue = "kraken";
  spec.permissions.trade = true;
  auto key = exchange.create_key(spec);
  ASSERT_TRUE(key);
  std::vector<net::Header> h{{"API-Key", key->key}, {"API-Sign", "AAAA"}};
  EXPECT_EQ(errors_of(sim->handle(post("/0/private/Balance", "nonce=%zz", h))), nlohmann::json({"EGeneral:Invalid arguments"}));
  EXPECT_EQ(errors_of(sim->handle(post("/0/private/Balance", "{\"nonce\":", h))), nlohmann::json({"EGeneral:Invalid arguments"}));
  EXPECT_EQ(errors_of(sim->handle(post("/0/private/Balance", "a=1", h))), nlohmann::json({"EAPI:Invalid nonce"}));
  EXPECT_EQ(errors_of(sim->handle(post("/0/private/Balance", "nonce=1", h))), nlohmann::json({"EAPI:Invalid signature"}));
  SimRequest get = post("/0/public/Ticker", "");
  get.method = "GET";
  get.query = "pair=NOPE";
  EXPECT_EQ(errors_of(sim->handle(get)), nlohmann::json({"EQuery:Unknown asset pair"}));
  get.path = "/0/public/OHLC", get.query = "pair=XBTUSD&interval=7";
  EXPECT_EQ(errors_of(sim->handle(get)), nlohmann::json({"EGeneral:Invalid arguments"}));
  get.query = "pair=XBTUSD&since=99999999999999999999";
  EXPECT_EQ(errors_of(sim->handle(get)), nlohmann::json({"EGeneral:Invalid arguments:since"}));
  get.query = "pair=XBTUSD&since=-5";
  EXPECT_EQ(errors_of(sim->handle(get)), nlohmann::json::array());
  get.query = "%zz";
  EXPECT_EQ(errors_of(sim->handle(get)), nlohmann::json({"EGeneral:Invalid arguments"}));
}

}  // namespace
}  // namespace tb::exsim::kraken
