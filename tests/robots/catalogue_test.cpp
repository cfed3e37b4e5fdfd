// The robots' catalogue over a real store: a robot is added only when its strategy, parameters, venue,
// market and timeframe all check out (the error names the field, and nothing is written), its parameters
// are kept in full, and a new database is seeded once.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "robots/catalogue.hpp"
#include "robots/registry.hpp"
#include "store/temp_db.hpp"

namespace tb::robots {
namespace {

const std::vector<KnownMarket> kMarkets = {
    {"spotex", "XBTUSD", "BTC", false},
    {"spotex", "ETHUSD", "ETH", false},
    {"spotex", "SOLUSD", "SOL", false},
    {"perpex", "BTCUSDT", "BTC", true},
};

class Catalogue : public store::StoreTest {
 protected:
  RobotSpec spec() const { return {"", "ma_cross", R"({"fast":5})", "spotex", "XBTUSD", "4h"}; }
  size_t robots() { return store_->list_robots()->size(); }
};

TEST_F(Catalogue, ARobotIsKeptWithEveryParameterAndADefaultName) {
  auto r = add_robot(*store_, spec(), kMarkets);
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->name, "ma_cross XBTUSD 4h spotex");
  EXPECT_EQ(r->timeframe, Timeframe::H4);
  EXPECT_EQ(r->status, store::RobotStatus::Active);
  auto params = nlohmann::json::parse(r->params_json);
  EXPECT_EQ(params["fast"], 5);
  EXPECT_TRUE(params.contains("slow"));  // the default, written down
  EXPECT_EQ(find_robot(*store_, std::to_string(r->id))->name, r->name);
  EXPECT_EQ(find_robot(*store_, "ma_cross XBTUSD 4h spotex")->id, r->id);
  auto missing = find_robot(*store_, "nobody");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::NotFound);
  EXPECT_EQ(missing.error().field, "robot");
}

TEST_F(Catalogue, BadInputNamesTheFieldAndWritesNothing) {
  struct Case {
    RobotSpec spec;
    std::string field;
  };
  std::vector<Case> cases;
  auto with = [&](auto change, std::string field) {
    RobotSpec s = spec();
    change(s);
    cases.push_back({s, field});
  };
  with([](RobotSpec& s) { s.strategy = "moon"; }, "strategy");
  with([](RobotSpec& s) { s.venue = "nowhere"; }, "venue");
  with([](RobotSpec& s) { s.symbol = "BTCUSDT"; }, "symbol");  // another venue's market
  with([](RobotSpec& s) { s.timeframe = "2h"; }, "timeframe");
  with([](RobotSpec& s) { s.timeframe = "1w"; }, "timeframe");  // core knows it, robots do not run on it
  with([](RobotSpec& s) { s.params_json = R"({"fast":"five"})"; }, "params.fast");
  with([](RobotSpec& s) { s.params_json = R"({"fast":40,"slow":30})"; }, "params.slow");
  with([](RobotSpec& s) { s.params_json = R"({"fats":3})"; }, "params.fats");
  with([](RobotSpec& s) { s.params_json = "{"; }, "params");
  for (const auto& c : cases) {
    auto r = add_robot(*store_, c.spec, kMarkets);
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument) << c.field;
    EXPECT_EQ(r.error().field, c.field) << r.error().message;
  }
  EXPECT_EQ(robots(), 0u);
  ASSERT_TRUE(add_robot(*store_, spec(), kMarkets).ok());
  auto twice = add_robot(*store_, spec(), kMarkets);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().field, "name");
  EXPECT_EQ(robots(), 1u);
}

TEST_F(Catalogue, ANewDatabaseIsSeededOnceWithEachStrategyOnBtcAndEthAt1hAnd4h) {
  auto n = seed_catalogue(*store_, kMarkets);
  ASSERT_TRUE(n.ok()) << n.error().describe();
  const size_t expected = strategies().size() * 3 /* BTC and ETH markets */ * 2 /* 1h, 4h */;
  EXPECT_EQ(*n, expected);
  EXPECT_EQ(robots(), expected);
  auto all = store_->list_robots();
  ASSERT_TRUE(all.ok());
  for (const auto& r : *all) {
    EXPECT_NE(r.symbol, "SOLUSD");
    EXPECT_TRUE(r.timeframe == Timeframe::H1 || r.timeframe == Timeframe::H4) << r.name;
  }
  // Removed robots stay removed: the seed does not come back.
  for (const auto& r : *all) ASSERT_TRUE(store_->delete_robot(r.id).ok());
  EXPECT_EQ(*seed_catalogue(*store_, kMarkets), 0u);
  EXPECT_EQ(robots(), 0u);
}

}  // namespace
}  // namespace tb::robots
