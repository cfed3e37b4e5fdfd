// Faults on the three real venue protocols, through Simulator::handle: the names a fault may take, each
// kind in the venue's own shape, probabilities on create, cancel and query, the timeout's hold, and the
// list of faults with how often each fired.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "exsim/server/sim_fixture.hpp"
#include "exsim/venues.hpp"

namespace tb::exsim::test {
namespace {

struct VenueFixture : SimFixture {
  explicit VenueFixture(SimulatorOptions options = {}) : SimFixture(std::move(options), default_venue_sims) {}
  // The fault is refused (400) or added; the body either way.
  std::pair<int, json> post_fault(const json& spec) {
    auto r = call("POST", "/exsim/v1/faults", spec.dump());
    return {r.status, json::parse(r.body, nullptr, false)};
  }
  json faults() { return call_json("GET", "/exsim/v1/faults")["faults"]; }
};

// The three calls of an order's life on each venue: the method, the path, and the name faults use for it.
struct OrderCall {
  std::string venue, method, path, endpoint;
};
const std::vector<OrderCall> kOrderCalls = {
    {"binance_futures", "POST", "/fapi/v1/order", "order"},
    {"binance_futures", "DELETE", "/fapi/v1/order", "order"},
    {"binance_futures", "GET", "/fapi/v1/order", "order"},
    {"kraken", "POST", "/0/private/AddOrder", "AddOrder"},
    {"kraken", "POST", "/0/private/CancelOrder", "CancelOrder"},
    {"kraken", "POST", "/0/private/QueryOrders", "QueryOrders"},
    {"bitfinex", "POST", "/v2/auth/w/order/submit", "auth/w/order/submit"},
    {"bitfinex", "POST", "/v2/auth/w/order/cancel", "auth/w/order/cancel"},
    {"bitfinex", "POST", "/v2/auth/r/orders", "auth/r/orders"},
};

TEST(VenueFaultNames, EveryPathServedHasANameFaultsAccept) {
  ManualClock clock;
  Exchange ex(clock, 1);
  auto sims = default_venue_sims(ex);
  const std::map<std::string, std::vector<std::string>> served = {
      {"binance_futures",
       {"/fapi/v1/order", "/fapi/v1/order/test", "/fapi/v1/openOrders", "/fapi/v1/allOpenOrders", "/fapi/v3/account", "/fapi/v2/balance",
        "/fapi/v1/ticker/24hr", "/fapi/v2/ticker/price", "/fapi/v1/exchangeInfo", "/fapi/v1/klines", "/sapi/v1/account/apiRestrictions",
        "/sapi/v1/capital/config/getall"}},
      {"kraken",
       {"/0/public/Time", "/0/public/AssetPairs", "/0/public/Ticker", "/0/private/AddOrder", "/0/private/CancelOrder",
        "/0/private/OpenOrders", "/0/private/ClosedOrders", "/0/private/QueryOrders", "/0/private/BalanceEx", "/0/private/GetApiKeyInfo"}},
      {"bitfinex",
       {"/v2/platform/status", "/v2/conf/pub:info:pair", "/v2/ticker/tBTCUSD", "/v2/tickers", "/v2/candles/trade:1m:tBTCUSD/hist",
        "/v2/auth/r/wallets", "/v2/auth/r/positions", "/v2/auth/r/permissions", "/v2/auth/w/order/submit", "/v2/auth/w/order/cancel",
        "/v2/auth/r/orders", "/v2/auth/r/orders/tBTCUSD", "/v2/auth/r/orders/hist", "/v2/auth/r/orders/tBTCUSD/hist"}},
  };
  for (auto& sim : sims) {
    auto names = sim->endpoint_names();
    std::set<std::string> unique(names.begin(), names.end());
    EXPECT_EQ(unique.size(), names.size()) << sim->venue();
    for (auto& path : served.at(std::string(sim->venue())))
      EXPECT_TRUE(unique.count(sim->endpoint(path))) << sim->venue() << " " << path << " -> " << sim->endpoint(path);
  }
  // The names users pass today: a contract.
  for (auto& c : kOrderCalls) {
    for (auto& sim : sims)
      if (sim->venue() == c.venue) {
        EXPECT_EQ(sim->endpoint(c.path), c.endpoint);
      }
  }
}

TEST(VenueFaultNames, UnknownEndpointVenueOrKindIsRefusedNamingTheField) {
  VenueFixture f;
  for (auto& [venue, wrong] : std::vector<std::pair<std::string, std::string>>{
           {"binance_futures", "/fapi/v1/order"}, {"kraken", "addorder"}, {"bitfinex", "order/submit"}}) {
    auto [status, body] = f.post_fault({{"venue", venue}, {"endpoint", wrong}, {"kind", "http_500"}});
    EXPECT_EQ(status, 400) << body;
    EXPECT_EQ(body["field"], "endpoint");
    ASSERT_TRUE(body["known_endpoints"].is_array()) << body;
    auto known = body["known_endpoints"].get<std::vector<std::string>>();
    for (auto& c : kOrderCalls)
      if (c.venue == venue) {
        EXPECT_NE(std::find(known.begin(), known.end(), c.endpoint), known.end()) << c.endpoint;
      }
    EXPECT_NE(body["error"].get<std::string>().find(known.front()), std::string::npos) << body;
  }
  EXPECT_EQ(f.post_fault({{"venue", "kraken"}, {"endpoint", "AddOrder"}, {"kind", "explode"}}).second["field"], "kind");
  EXPECT_EQ(f.post_fault({{"venue", "coinbase"}, {"endpoint", "order"}, {"kind", "reset"}}).second["field"], "venue");
  EXPECT_EQ(f.post_fault({{"venue", "kraken"}, {"endpoint", 5}, {"kind", "reset"}}).second["field"], "endpoint");
  EXPECT_EQ(f.post_fault({{"venue", "kraken"}, {"kind", "reset"}, {"hold_ms", 5}}).second["field"], "hold_ms");
  EXPECT_EQ(f.post_fault({{"venue", "kraken"}, {"kind", "timeout"}, {"hold_ms", -1}}).second["field"], "hold_ms");
  EXPECT_EQ(f.post_fault({{"venue", "kraken"}, {"kind", "timeout"}, {"hold_ms", 600'001}}).second["field"], "hold_ms");
  EXPECT_EQ(f.post_fault({{"venue", "kraken"}, {"kind", "timeout"}, {"hold_ms", "5"}}).second["field"], "hold_ms");
  EXPECT_TRUE(f.faults().empty());  // nothing was added by any of these

  // Every known name and "*" are taken.
  for (auto& venue : {"binance_futures", "kraken", "bitfinex"}) {
    auto known = f.post_fault({{"venue", venue}, {"endpoint", "?"}, {"kind", "reset"}}).second["known_endpoints"];
    for (auto& name : known) EXPECT_EQ(f.post_fault({{"venue", venue}, {"endpoint", name}, {"kind", "reset"}}).first, 200) << name;
    EXPECT_EQ(f.post_fault({{"venue", venue}, {"endpoint", "*"}, {"kind", "reset"}}).first, 200);
  }
}

TEST(VenueFaults, TwoOneShotFaultsOnBinanceOrderHitTheCreateThenTheQuery) {
  VenueFixture f;
  f.add_fault({{"venue", "binance_futures"}, {"endpoint", "order"}, {"kind", "http_500"}});
  f.add_fault({{"venue", "binance_futures"}, {"endpoint", "order"}, {"kind", "maintenance"}});
  EXPECT_EQ(f.call("POST", "/fapi/v1/order").status, 500);
  EXPECT_EQ(f.call("GET", "/fapi/v1/order").status, 503);
  EXPECT_NE(f.call("GET", "/fapi/v1/order").status, 503);  // both spent: the venue answers (an auth error)
}

// What each kind looks like on each venue: the venue's own error shape and status (exchanges.md §2.12,
// §3.6, §4.6), or the page of the CDN in front of it.
TEST(VenueFaults, EachKindAnswersInTheVenuesOwnShape) {
  VenueFixture f;
  auto answer = [&](const std::string& venue, const std::string& kind, const std::string& path) {
    f.add_fault({{"venue", venue}, {"kind", kind}});
    return f.call("POST", path);
  };
  auto body = [](const net::HttpResponse& r) { return json::parse(r.body, nullptr, false); };

  auto b500 = answer("binance_futures", "http_500", "/fapi/v1/order");
  EXPECT_EQ(b500.status, 500);
  EXPECT_EQ(body(b500)["code"], -1000);
  auto b429 = answer("binance_futures", "rate_limit", "/fapi/v1/order");
  EXPECT_EQ(b429.status, 429);
  EXPECT_EQ(body(b429)["code"], -1003);
  auto b503 = answer("binance_futures", "maintenance", "/fapi/v1/order");
  EXPECT_EQ(b503.status, 503);
  EXPECT_EQ(body(b503)["msg"], "System is under maintenance.");
  auto b502 = answer("binance_futures", "http_502_html", "/fapi/v1/order");
  EXPECT_EQ(b502.status, 502);
  EXPECT_EQ(*b502.header("Server"), "CloudFront");
  EXPECT_TRUE(body(b502).is_discarded());

  auto k500 = answer("kraken", "http_500", "/0/private/AddOrder");
  EXPECT_EQ(k500.status, 500);
  EXPECT_EQ(body(k500), json::parse(R"({"error":["EGeneral:Internal error"]})"));
  // Kraken's errors ride on 200; its limiters differ: order entry, the other private calls, public per IP.
  auto k429 = answer("kraken", "rate_limit", "/0/private/AddOrder");
  EXPECT_EQ(k429.status, 200);
  EXPECT_EQ(body(k429), json::parse(R"({"error":["EOrder:Rate limit exceeded"]})"));
  EXPECT_EQ(body(answer("kraken", "rate_limit", "/0/private/CancelOrder")), json::parse(R"({"error":["EOrder:Rate limit exceeded"]})"));
  EXPECT_EQ(body(answer("kraken", "rate_limit", "/0/private/QueryOrders")), json::parse(R"({"error":["EAPI:Rate limit exceeded"]})"));
  EXPECT_EQ(body(answer("kraken", "rate_limit", "/0/public/Ticker")), json::parse(R"({"error":["EGeneral:Too many requests"]})"));
  auto kdown = answer("kraken", "maintenance", "/0/private/AddOrder");
  EXPECT_EQ(kdown.status, 200);
  EXPECT_EQ(body(kdown), json::parse(R"({"error":["EService:Unavailable"]})"));
  auto k502 = answer("kraken", "http_502_html", "/0/private/AddOrder");
  EXPECT_EQ(k502.status, 502);
  EXPECT_EQ(*k502.header("Server"), "cloudflare");
  EXPECT_NE(k502.body.find("api.kraken.com | 502: Bad gateway"), std::string::npos);

  auto f500 = answer("bitfinex", "http_500", "/v2/auth/w/order/submit");
  EXPECT_EQ(f500.status, 500);
  EXPECT_EQ(body(f500), json::parse(R"(["error",10000,"unknown error"])"));
  auto f429 = answer("bitfinex", "rate_limit", "/v2/auth/w/order/submit");
  EXPECT_EQ(f429.status, 429);
  EXPECT_EQ(body(f429), json::parse(R"(["error",11010,"ratelimit: error"])"));
  auto fdown = answer("bitfinex", "maintenance", "/v2/auth/w/order/submit");
  EXPECT_EQ(fdown.status, 500);
  EXPECT_EQ(body(fdown), json::parse(R"(["error",20060,"maintenance"])"));
  auto f502 = answer("bitfinex", "http_502_html", "/v2/auth/w/order/submit");
  EXPECT_EQ(f502.status, 502);
  EXPECT_NE(f502.body.find("api.bitfinex.com | 502: Bad gateway"), std::string::npos);

  // Cut answers are the venue's own answer, cut: Kraken's envelope, Bitfinex's array.
  auto kcut = answer("kraken", "bad_json", "/0/public/Time");
  EXPECT_TRUE(body(kcut).is_discarded());
  EXPECT_EQ(kcut.body.substr(0, 10), R"({"error":[)");
  auto fcut = answer("bitfinex", "bad_json", "/v2/auth/w/order/submit");
  EXPECT_TRUE(body(fcut).is_discarded());
  EXPECT_EQ(fcut.body.substr(0, 9), R"(["error",)");
}

TEST(VenueFaults, ATimeoutHoldsForItsHoldMsOrTheDefault) {
  VenueFixture f;
  auto [status, body] = f.post_fault({{"venue", "kraken"}, {"endpoint", "AddOrder"}, {"kind", "timeout"}, {"hold_ms", 1500}});
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(body["hold_ms"], 1500);
  f.add_fault({{"venue", "kraken"}, {"endpoint", "AddOrder"}, {"kind", "timeout"}});
  EXPECT_EQ(f.call("POST", "/0/private/AddOrder").status, 0);
  EXPECT_EQ(f.call("POST", "/0/private/AddOrder").status, 0);
  ASSERT_EQ(f.sleeper.waits.size(), 2u);
  EXPECT_EQ(f.sleeper.waits[0].count(), 1500);
  EXPECT_EQ(f.sleeper.waits[1], SimulatorOptions{}.timeout_hold);  // 10 minutes, as before
}

// Every kind with a probability fires on the create, the cancel and the query of each venue.
TEST(VenueFaults, ProbabilityWorksForEveryKindOnCreateCancelAndQuery) {
  VenueFixture f;
  for (auto& c : kOrderCalls) {
    for (std::string kind :
         {"latency:7", "answer_latency:7", "http_500", "http_502_html", "rate_limit", "timeout", "reset", "bad_json", "maintenance"}) {
      SCOPED_TRACE(c.venue + " " + c.method + " " + c.path + " " + kind);
      f.call("DELETE", "/exsim/v1/faults");
      auto normal = f.call(c.method, c.path);
      f.add_fault({{"venue", c.venue}, {"endpoint", c.endpoint}, {"kind", kind}, {"probability", 1.0}});
      size_t waits = f.sleeper.waits.size();
      auto faulted = f.call(c.method, c.path);
      if (kind == "latency:7" || kind == "answer_latency:7") {
        ASSERT_EQ(f.sleeper.waits.size(), waits + 1);
        EXPECT_EQ(f.sleeper.waits.back().count(), 7);
        EXPECT_EQ(faulted.status, normal.status);
      } else if (kind == "timeout" || kind == "reset") {
        EXPECT_EQ(faulted.status, 0);
      } else if (kind == "bad_json") {
        EXPECT_TRUE(json::parse(faulted.body, nullptr, false).is_discarded()) << faulted.body;
      } else {
        EXPECT_NE(faulted.body, normal.body);
      }
      auto listed = f.faults();
      ASSERT_EQ(listed.size(), 1u);
      EXPECT_EQ(listed[0]["fired"], 1);
      EXPECT_EQ(listed[0]["probability"], 1.0);
      EXPECT_TRUE(listed[0]["active"].get<bool>());
    }
  }
}

// With --seed, which requests a probability fault hits is the same on every run.
TEST(VenueFaults, SeededProbabilityIsRepeatable) {
  auto run = [] {
    SimulatorOptions options;
    options.seed = 42;
    VenueFixture f(options);
    f.add_fault({{"venue", "kraken"}, {"endpoint", "CancelOrder"}, {"kind", "reset"}, {"probability", 0.3}});
    std::string hits;
    for (int i = 0; i < 60; ++i) hits += f.call("POST", "/0/private/CancelOrder").status == 0 ? 'x' : '.';
    EXPECT_EQ(f.faults()[0]["fired"], std::count(hits.begin(), hits.end(), 'x'));
    return hits;
  };
  std::string first = run();
  EXPECT_EQ(first, run());
  EXPECT_NE(first.find('x'), std::string::npos);
  EXPECT_NE(first.find('.'), std::string::npos);
}

TEST(VenueFaults, ListShowsEachFaultWithItsParametersAndHowOftenItFired) {
  VenueFixture f;
  EXPECT_EQ(f.call_json("GET", "/exsim/v1/faults"), json::parse(R"({"faults":[]})"));
  auto [s1, added] = f.post_fault({{"venue", "bitfinex"}, {"endpoint", "auth/w/order/cancel"}, {"kind", "http_500"}, {"count", 2}});
  ASSERT_EQ(s1, 200);
  EXPECT_EQ(added, json::parse(R"({"id":1,"venue":"bitfinex","endpoint":"auth/w/order/cancel","kind":"http_500",
                                  "count":2,"remaining":2,"fired":0,"active":true})"));
  f.add_fault({{"venue", "kraken"}, {"kind", "timeout"}, {"probability", 0.25}, {"hold_ms", 100}});
  f.call("POST", "/v2/auth/w/order/cancel");
  auto list = f.faults();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["remaining"], 1);
  EXPECT_EQ(list[0]["fired"], 1);
  EXPECT_EQ(list[1], json::parse(R"({"id":2,"venue":"kraken","endpoint":"*","kind":"timeout","probability":0.25,
                                     "hold_ms":100,"fired":0,"active":true})"));
  f.call("POST", "/v2/auth/w/order/cancel");
  list = f.faults();
  EXPECT_EQ(list[0]["remaining"], 0);
  EXPECT_EQ(list[0]["fired"], 2);
  EXPECT_FALSE(list[0]["active"].get<bool>());  // spent, still listed with what it did
  EXPECT_EQ(f.call("PUT", "/exsim/v1/faults").status, 405);
  EXPECT_EQ(f.call("DELETE", "/exsim/v1/faults").status, 200);
  EXPECT_TRUE(f.faults().empty());
}

}  // namespace
}  // namespace tb::exsim::test
