// The robots' read-only API over a real store: the strategies with their schemas, the catalogue with each
// robot's statistics and its filters (bad ones named), one robot's report, candles, signals, trades and
// equity; unknown robots are 404 and every route needs a session.
#include "robots/candles_support.hpp"
#include "robots/catalogue.hpp"
#include "web/api_world.hpp"

namespace tb::web {
namespace {

class RobotsApi : public ::testing::Test {
 protected:
  void SetUp() override {
    login_ = a.sign_up("ann@example.com");
    store::Robot r;
    r.name = "cross";
    r.strategy = "ma_cross";
    r.params_json = R"({"fast":3,"slow":8})";
    r.venue = "kraken";
    r.symbol = "XXBTZUSD";
    r.timeframe = Timeframe::M1;
    robot_ = *a.w.store->create_robot(r);
    candles_ = robots::testing::walk(400, 5);
    ASSERT_TRUE(a.w.store->save_candles("kraken", "XXBTZUSD", Timeframe::M1, candles_).ok());
    ASSERT_TRUE(a.w.store
                    ->append_signal({robot_.id, 1, store::SignalAction::Long, store::SignalOrder::Market, *Decimal::parse("100.5"),
                                     candles_[10].open_time_ms, 0})
                    .ok());
  }
  nlohmann::json get(const std::string& url, int status = 200) {
    auto r = a.call("GET", url, "", {ApiWorld::bearer(login_)});
    EXPECT_EQ(r.status, status) << url << ": " << r.body;
    return nlohmann::json::parse(r.body, nullptr, false);
  }
  ApiWorld a;
  nlohmann::json login_;
  store::Robot robot_;
  std::vector<Candle> candles_;
};

TEST_F(RobotsApi, StrategiesComeWithTheirSchemas) {
  auto j = get("/api/v1/strategies");
  ASSERT_TRUE(j["strategies"].is_array());
  bool ma = false;
  for (const auto& s : j["strategies"])
    if (s["id"] == "ma_cross") {
      ma = true;
      EXPECT_EQ(s["params"][0]["name"], "fast");
      EXPECT_EQ(s["params"][0]["type"], "integer");
    }
  EXPECT_TRUE(ma);
}

TEST_F(RobotsApi, TheCatalogueWithStatisticsAndItsFilters) {
  auto j = get("/api/v1/robots");
  ASSERT_EQ(j["robots"].size(), 1u);
  const auto& r = j["robots"][0];
  EXPECT_EQ(r["id"], robot_.id);
  EXPECT_EQ(r["name"], "cross");
  EXPECT_EQ(r["exchange"], "kraken");
  EXPECT_EQ(r["timeframe"], "1m");
  EXPECT_EQ(r["candles"], 400);
  EXPECT_TRUE(r["stats"]["all"].contains("net_profit"));
  EXPECT_TRUE(r["stats"]["long"].contains("win_rate"));
  EXPECT_FALSE(r.contains("trades"));  // the list leaves the trade list and the curve to the robot's page
  EXPECT_EQ(get("/api/v1/robots?exchange=kraken&timeframe=1m&strategy=ma_cross&symbol=XXBTZUSD")["robots"].size(), 1u);
  EXPECT_EQ(get("/api/v1/robots?timeframe=4h")["robots"].size(), 0u);
  EXPECT_EQ(get("/api/v1/robots?exchange=bitfinex")["robots"].size(), 0u);
  EXPECT_EQ(get("/api/v1/robots?timeframe=2h", 400)["error"]["field"], "timeframe");
  EXPECT_EQ(get("/api/v1/robots?strategy=moon", 400)["error"]["field"], "strategy");
}

TEST_F(RobotsApi, OneRobotsReportCandlesSignalsTradesAndEquity) {
  const std::string base = "/api/v1/robots/" + std::to_string(robot_.id);
  auto one = get(base);
  EXPECT_EQ(one["strategy"], "ma_cross");
  EXPECT_EQ(one["params"]["slow"], 8);
  ASSERT_TRUE(one["trades"].is_array());
  EXPECT_GT(one["trades"].size(), 0u);
  EXPECT_EQ(get(base + "/trades")["trades"], one["trades"]);
  EXPECT_EQ(get(base + "/equity")["equity"], one["equity"]);
  auto cs = get(base + "/candles");
  ASSERT_EQ(cs["candles"].size(), 400u);
  EXPECT_EQ(cs["candles"][0][0], "2024-01-01T00:00:00Z");
  EXPECT_EQ(get(base + "/candles?from=2024-01-01T01:00:00Z&to=2024-01-01T02:00:00Z")["candles"].size(), 60u);
  EXPECT_EQ(get(base + "/candles?from=yesterday", 400)["error"]["field"], "from");
  auto sg = get(base + "/signals");
  ASSERT_EQ(sg["signals"].size(), 1u);
  EXPECT_EQ(sg["signals"][0]["action"], "long");
  EXPECT_EQ(sg["signals"][0]["order_type"], "market");
  EXPECT_EQ(sg["signals"][0]["price"], "100.5");
  get("/api/v1/robots/999", 404);
  get("/api/v1/robots/999/signals", 404);
}

TEST_F(RobotsApi, EveryRouteNeedsASession) {
  for (const char* url : {"/api/v1/strategies", "/api/v1/robots", "/api/v1/robots/1", "/api/v1/robots/1/candles"})
    EXPECT_EQ(a.call("GET", url).status, 401) << url;
}

}  // namespace
}  // namespace tb::web
