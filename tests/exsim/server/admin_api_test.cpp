// The admin API: keys, prices, faults, orders; every bad input is a 400 naming its field.
#include <gtest/gtest.h>

#include "crypto/encoding.hpp"
#include "exsim/server/sim_fixture.hpp"

namespace tb::exsim::test {
namespace {

// The status and the "field" of an admin answer.
std::pair<int, std::string> refusal(SimFixture& f, const std::string& method, const std::string& target, const std::string& body) {
  auto r = f.call(method, target, body);
  auto j = json::parse(r.body, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.body;
  EXPECT_TRUE(j.contains("error")) << r.body;
  return {r.status, j.value("field", std::string())};
}

TEST(AdminKeys, CreateListDelete) {
  SimFixture f;
  auto k = f.create_key({{"venue", "binance_futures"},
                         {"label", "bot"},
                         {"permissions", {{"read", true}, {"trade", true}, {"futures", true}, {"withdraw", false}}},
                         {"ip_whitelist", {"127.0.0.1"}},
                         {"balances", {{"USDT", "1000.50"}}}});
  std::string key = k["key"];
  EXPECT_EQ(key.size(), 64u);  // Binance's key format
  EXPECT_EQ(k["secret"].get<std::string>().size(), 64u);

  auto list = f.call_json("GET", "/exsim/v1/keys")["keys"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["key"], key);
  EXPECT_EQ(list[0]["label"], "bot");
  EXPECT_EQ(list[0]["venue"], "binance_futures");
  EXPECT_EQ(list[0]["permissions"], json::parse(R"({"read":true,"trade":true,"futures":true,"withdraw":false})"));
  EXPECT_EQ(list[0]["ip_whitelist"], json::parse(R"(["127.0.0.1"])"));
  EXPECT_EQ(Decimal::parse(list[0]["balances"]["USDT"].get<std::string>()), Decimal::parse("1000.5"));
  EXPECT_FALSE(list[0].contains("secret"));  // shown once, at creation, as on a real exchange
  EXPECT_EQ(f.sim.exchange().find_key("binance_futures", key)->permissions.futures, true);

  EXPECT_EQ(f.call("DELETE", "/exsim/v1/keys/nope").status, 404);
  auto deleted = f.call("DELETE", "/exsim/v1/keys/" + key);
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(json::parse(deleted.body)["deleted"], key);
  EXPECT_EQ(f.call_json("GET", "/exsim/v1/keys")["keys"].size(), 0u);
}

TEST(AdminKeys, DefaultsAreReadOnlyWithNoBalances) {
  SimFixture f;
  auto k = f.create_key({{"venue", "binance_futures"}});
  auto key = f.sim.exchange().find_key("binance_futures", k["key"]);
  ASSERT_TRUE(key);
  EXPECT_TRUE(key->permissions.read);
  EXPECT_FALSE(key->permissions.trade);
  EXPECT_FALSE(key->permissions.withdraw);
  EXPECT_TRUE(key->ip_whitelist.empty());
}

// A test's canary secret (tests/security/leak_canaries.test.mjs) is kept as given, in the venue's format only.
TEST(AdminKeys, AGivenSecretIsKeptWhenInTheVenuesFormat) {
  SimFixture f;
  std::string canary = "CANARYsecret0001" + std::string(48, 'x');
  auto k = f.create_key({{"venue", "binance_futures"}, {"secret", canary}});
  EXPECT_EQ(k["secret"], canary);
  EXPECT_EQ(f.sim.exchange().find_key("binance_futures", k["key"])->secret, canary);
  EXPECT_TRUE(is_secret_format("kraken", std::string(84, 'A') + "AA=="));
  EXPECT_FALSE(is_secret_format("kraken", std::string(88, 'A')));
  EXPECT_TRUE(is_secret_format("bitfinex", std::string(43, 'b')));
  EXPECT_FALSE(is_secret_format("bitfinex", std::string(64, 'b')));
  EXPECT_FALSE(is_secret_format("nowhere", std::string(64, 'b')));
}

TEST(AdminKeys, BadInputNamesTheField) {
  SimFixture f;
  using R = std::pair<int, std::string>;
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", "not json"), R(400, "body"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", "[]"), R(400, "body"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", "{}"), R(400, "venue"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", R"({"venue":"kraken"})"), R(400, "venue"));  // not served here
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", R"({"venue":"binance_futures","label":5})"), R(400, "label"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", R"({"venue":"binance_futures","permissions":{"trade":"yes"}})"),
            R(400, "permissions.trade"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", R"({"venue":"binance_futures","permissions":{"admin":true}})"),
            R(400, "permissions.admin"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", R"({"venue":"binance_futures","ip_whitelist":"1.2.3.4"})"), R(400, "ip_whitelist"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", R"({"venue":"binance_futures","balances":{"USDT":1000.5}})"), R(400, "balances.USDT"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", R"({"venue":"binance_futures","balances":{"USDT":"-1"}})"), R(400, "balances.USDT"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", R"({"venue":"binance_futures","balances":{"USDT":"1e"}})"), R(400, "balances.USDT"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", R"({"venue":"binance_futures","secret":"short"})"), R(400, "secret"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", R"({"venue":"binance_futures","secret":7})"), R(400, "secret"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/keys", "{\"venue\":\"binance_futures\",\"secret\":\"" + std::string(63, 'a') + "-\"}"),
            R(400, "secret"));
  EXPECT_EQ(refusal(f, "PUT", "/exsim/v1/keys", "{}").first, 405);
  EXPECT_EQ(refusal(f, "GET", "/exsim/v1/nothing", "").first, 404);
  EXPECT_EQ(f.call_json("GET", "/exsim/v1/keys")["keys"].size(), 0u);  // nothing was created
}

// The admin API routes through net::RouteTable, as the REST API does.
TEST(AdminRouting, MethodsPathsAndEscapes) {
  SimFixture f;
  using R = std::pair<int, std::string>;
  auto wrong_method = f.call("PUT", "/exsim/v1/faults");
  EXPECT_EQ(wrong_method.status, 405);
  ASSERT_NE(wrong_method.header("Allow"), nullptr);
  EXPECT_EQ(*wrong_method.header("Allow"), "DELETE, GET, POST");
  EXPECT_EQ(refusal(f, "DELETE", "/exsim/v1/keys/%zz", ""), R(400, "path"));
  EXPECT_EQ(refusal(f, "DELETE", "/exsim/v1/keys/%FF", ""), R(400, "path"));  // not UTF-8
  EXPECT_EQ(refusal(f, "DELETE", "/exsim/v1/keys/", "").first, 404);
  EXPECT_EQ(refusal(f, "GET", "/exsim/v1/keys/x/y", "").first, 404);
  std::string key = f.create_key({{"venue", "binance_futures"}})["key"];
  auto deleted = f.call("DELETE", "/exsim/v1/keys/" + key.substr(0, 3) + "%" + crypto::hex(key.substr(3, 1)) + key.substr(4));
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(json::parse(deleted.body)["deleted"], key);
}

TEST(AdminPricesAndFaults, BadInputNamesTheField) {
  SimFixture f;
  using R = std::pair<int, std::string>;
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/prices", R"({"symbol":"BTCUSDT","price":"1"})"), R(400, "venue"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/prices", R"({"venue":"binance_futures","symbol":"DOGEUSDT","price":"1"})"), R(400, "symbol"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/prices", R"({"venue":"binance_futures","symbol":"BTCUSDT","price":"abc"})"), R(400, "price"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/prices", R"({"venue":"binance_futures","symbol":"BTCUSDT","price":"0"})"), R(400, "price"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/prices", R"({"venue":"binance_futures","symbol":"BTCUSDT"})"), R(400, "price"));

  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/faults", R"({"venue":"binance_futures","kind":"explode"})"), R(400, "kind"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/faults", R"({"venue":"binance_futures","kind":"latency:abc"})"), R(400, "kind"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/faults", R"({"venue":"nasdaq","kind":"reset"})"), R(400, "venue"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/faults", R"({"venue":"binance_futures","kind":"reset","endpoint":""})"), R(400, "endpoint"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/faults", R"({"venue":"binance_futures","kind":"reset","count":0})"), R(400, "count"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/faults", R"({"venue":"binance_futures","kind":"reset","count":1.5})"), R(400, "count"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/faults", R"({"venue":"binance_futures","kind":"reset","probability":2})"), R(400, "probability"));
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/faults", R"({"venue":"binance_futures","kind":"reset","count":1,"probability":0.5})"),
            R(400, "count"));
  EXPECT_EQ(f.call("GET", "/fapi/v1/time").status, 200);  // no fault was added by any of these
}

TEST(AdminPrices, SetsTheEnginePrice) {
  SimFixture f;
  auto r = f.call("POST", "/exsim/v1/prices", R"({"venue":"binance_futures","symbol":"BTCUSDT","price":"43210.5"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(f.sim.exchange().price("binance_futures", "BTCUSDT"), *Decimal::parse("43210.5"));
  auto markets = f.call_json("GET", "/exsim/v1/markets?venue=binance_futures")["markets"];
  bool seen = false;
  for (auto& m : markets)
    if (m["id"] == "BTCUSDT") seen = Decimal::parse(m["price"].get<std::string>()) == Decimal::parse("43210.5");
  EXPECT_TRUE(seen) << markets.dump();
}

TEST(AdminOrders, ListsEveryOrderOfAKeyWithDecimalStrings) {
  SimFixture f;
  using R = std::pair<int, std::string>;
  EXPECT_EQ(refusal(f, "GET", "/exsim/v1/orders", ""), R(400, "key"));
  EXPECT_EQ(refusal(f, "GET", "/exsim/v1/orders?key=unknown", ""), R(404, "key"));

  std::string key = f.create_key(
      {{"venue", "binance_futures"}, {"permissions", {{"trade", true}, {"futures", true}}}, {"balances", {{"USDT", "100000"}}}})["key"];
  EXPECT_EQ(f.call_json("GET", "/exsim/v1/orders?key=" + key), json::parse(R"({"orders":[]})"));
  ASSERT_EQ(f.call("POST", "/exsim/v1/prices", R"({"venue":"binance_futures","symbol":"BTCUSDT","price":"40000"})").status, 200);
  OrderSpec spec;
  spec.symbol = "BTCUSDT";
  spec.side = Side::Buy;
  spec.type = OrderType::Limit;
  spec.price = Decimal::parse("30000");
  spec.amount = *Decimal::parse("0.010");
  spec.client_order_id = "my-order-1";
  auto placed = f.sim.exchange().place(key, spec, true);
  ASSERT_EQ(placed.index(), 0u) << std::get<1>(placed).detail;

  auto orders = f.call_json("GET", "/exsim/v1/orders?key=" + key)["orders"];
  ASSERT_EQ(orders.size(), 1u);
  auto& o = orders[0];
  EXPECT_EQ(o["id"], std::get<0>(placed).id);
  EXPECT_EQ(o["symbol"], "BTCUSDT");
  EXPECT_EQ(o["client_order_id"], "my-order-1");
  EXPECT_EQ(o["side"], "buy");
  EXPECT_EQ(o["type"], "limit");
  EXPECT_EQ(o["status"], "open");
  EXPECT_TRUE(o["price"].is_string());
  EXPECT_EQ(Decimal::parse(o["price"].get<std::string>()), Decimal::parse("30000"));
  EXPECT_TRUE(o["amount"].is_string());
  EXPECT_EQ(Decimal::parse(o["amount"].get<std::string>()), Decimal::parse("0.01"));
  EXPECT_TRUE(o["filled"].is_string());
  EXPECT_TRUE(o["fee"].is_string());
}

}  // namespace
}  // namespace tb::exsim::test

namespace tb::exsim::test {
namespace {

// POST /exsim/v1/fills: part of a resting order filled on demand, at its limit price as a maker; what a
// test of partial fills drives. Every refusal names its field; nothing fills on a refusal.
TEST(AdminFills, PartOfARestingOrderByIdOrClientId) {
  SimFixture f;
  auto key = f.create_key(
      {{"venue", "binance_futures"}, {"permissions", {{"trade", true}, {"futures", true}}}, {"balances", {{"USDT", "10000"}}}});
  Exchange& ex = f.sim.exchange();
  OrderSpec spec;
  spec.symbol = "BTCUSDT";
  spec.side = Side::Buy;
  spec.amount = *Decimal::parse("0.010");
  spec.price = *Decimal::parse("59000.00");
  spec.client_order_id = "robot-9";
  auto placed = ex.place(key["key"], spec, true);
  ASSERT_EQ(placed.index(), 0u);
  const uint64_t id = std::get<SimOrder>(placed).id;

  auto part = f.call("POST", "/exsim/v1/fills", json{{"venue", "binance_futures"}, {"order_id", id}, {"amount", "0.004"}}.dump());
  ASSERT_EQ(part.status, 200) << part.body;
  auto o = json::parse(part.body);
  EXPECT_EQ(o["status"], "open");
  EXPECT_EQ(o["filled"], "0.004");
  EXPECT_EQ(o["fee"], "0.0472");  // 236 * 0.0002 maker
  ASSERT_EQ(o["fills"].size(), 1u);
  EXPECT_EQ(o["fills"][0]["price"], "59000");
  EXPECT_EQ(o["fills"][0]["maker"], true);

  auto rest = f.call("POST", "/exsim/v1/fills",
                     json{{"venue", "binance_futures"}, {"client_order_id", "robot-9"}, {"key", key["key"]}, {"amount", "0.006"}}.dump());
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(json::parse(rest.body)["status"], "filled");
  EXPECT_EQ(json::parse(rest.body)["fee"], "0.118");
  auto listed = f.call_json("GET", "/exsim/v1/orders?key=" + key["key"].get<std::string>());
  EXPECT_EQ(listed["orders"][0]["fills"].size(), 2u);
  ASSERT_EQ(ex.positions(key["key"]).size(), 1u);
  EXPECT_EQ(ex.positions(key["key"])[0].amount, *Decimal::parse("0.01"));
}

TEST(AdminFills, BadInputNamesTheField) {
  SimFixture f;
  auto key = f.create_key(
      {{"venue", "binance_futures"}, {"permissions", {{"trade", true}, {"futures", true}}}, {"balances", {{"USDT", "10000"}}}});
  OrderSpec spec;
  spec.symbol = "BTCUSDT";
  spec.amount = *Decimal::parse("0.010");
  spec.price = *Decimal::parse("59000.00");
  auto placed = f.sim.exchange().place(key["key"], spec, true);
  ASSERT_EQ(placed.index(), 0u);
  const uint64_t id = std::get<SimOrder>(placed).id;
  using R = std::pair<int, std::string>;
  auto fills = [&](const json& body) { return refusal(f, "POST", "/exsim/v1/fills", body.dump()); };
  EXPECT_EQ(refusal(f, "POST", "/exsim/v1/fills", "nope"), R(400, "body"));
  EXPECT_EQ(fills({{"venue", "nasdaq"}, {"order_id", id}, {"amount", "0.001"}}), R(400, "venue"));
  EXPECT_EQ(fills({{"venue", "binance_futures"}, {"amount", "0.001"}}), R(400, "order_id"));
  EXPECT_EQ(fills({{"venue", "binance_futures"}, {"order_id", id}, {"client_order_id", "x"}, {"amount", "0.001"}}), R(400, "order_id"));
  EXPECT_EQ(fills({{"venue", "binance_futures"}, {"order_id", "12a"}, {"amount", "0.001"}}), R(400, "order_id"));
  EXPECT_EQ(fills({{"venue", "binance_futures"}, {"order_id", 5}, {"amount", "0.001"}}), R(400, "order_id"));  // no such order
  EXPECT_EQ(fills({{"venue", "binance_futures"}, {"client_order_id", "nope"}, {"amount", "0.001"}}), R(400, "client_order_id"));
  EXPECT_EQ(fills({{"venue", "binance_futures"}, {"order_id", id}}), R(400, "amount"));
  EXPECT_EQ(fills({{"venue", "binance_futures"}, {"order_id", id}, {"amount", 0.5}}), R(400, "amount"));  // a float is not exact
  EXPECT_EQ(fills({{"venue", "binance_futures"}, {"order_id", id}, {"amount", "0.02"}}), R(400, "amount"));
  EXPECT_EQ(fills({{"venue", "binance_futures"}, {"order_id", id}, {"amount", "-1"}}), R(400, "amount"));
  EXPECT_TRUE(f.sim.exchange().order(key["key"], id, "")->fills.empty());
}

}  // namespace
}  // namespace tb::exsim::test
