// Order entry spoken directly to the simulator's Kraken with hand-signed requests: what the connector does
// not send (validate, JSON bodies, post-only that would take, bad cl_ord_id) gets Kraken's answers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "exsim/kraken/auth.hpp"
#include "exsim/kraken/kraken_sim.hpp"

namespace tb::exsim::kraken {
namespace {

using nlohmann::json;

class KrakenSimOrders : public ::testing::Test {
 protected:
  ManualClock clock{1'700'000'000'000};
  Exchange exchange{clock, 1};
  std::unique_ptr<VenueSim> sim = make_kraken_sim(exchange);
  ApiKey key;
  uint64_t nonce = 1'000;

  void SetUp() override {
    NewKey spec;
    spec.venue = "kraken";
    spec.permissions.trade = true;
    spec.balances = {{"USD", *Decimal::parse("10000")}};
    auto k = exchange.create_key(spec);
    ASSERT_TRUE(k);
    key = *k;
    ASSERT_TRUE(exchange.set_price("kraken", "XXBTZUSD", *Decimal::parse("60000.0")));
  }

  // POSTs `params` (form, or JSON when asked) with the next nonce, signed with the key's secret.
  json call(const std::string& method, const std::string& params, bool as_json = false) {
    std::string n = std::to_string(++nonce);
    SimRequest r;
    r.method = "POST";
    r.path = "/0/private/" + method;
    r.peer_ip = "127.0.0.1";
    if (as_json) {
      json body = json::parse(params.empty() ? "{}" : params);
      body["nonce"] = n;
      r.body = body.dump();
      r.headers.push_back({"Content-Type", "application/json"});
    } else {
      r.body = "nonce=" + n + (params.empty() ? "" : "&" + params);
      r.headers.push_back({"Content-Type", "application/x-www-form-urlencoded"});
    }
    r.headers.push_back({"API-Key", key.key});
    r.headers.push_back({"API-Sign", *expected_api_sign(key.secret, r.path, n, r.body)});
    auto resp = sim->handle(r);
    EXPECT_EQ(resp.status, 200) << resp.body;
    return json::parse(resp.body);
  }
};

TEST_F(KrakenSimOrders, ValidateOnlyPlacesNothing) {
  auto r = call("AddOrder", "ordertype=limit&pair=XBTUSD&price=42000&type=buy&volume=0.01&validate=true");
  EXPECT_EQ(r["error"], json::array());
  EXPECT_EQ(r["result"]["descr"]["order"], "buy 0.01000000 XBTUSD @ limit 42000.0");
  EXPECT_FALSE(r["result"].contains("txid"));
  EXPECT_TRUE(exchange.orders(key.key).empty());
  r = call("AddOrder", "ordertype=limit&pair=XBTUSD&price=42000&type=buy&volume=1&validate=true");
  EXPECT_EQ(r["error"], json({"EOrder:Insufficient funds"}));
}

TEST_F(KrakenSimOrders, JsonBodiesAreAcceptedAndSignedAsSent) {
  auto r = call("AddOrder", R"({"ordertype":"limit","pair":"XXBTZUSD","price":"42000.0","type":"buy","volume":"0.001"})", true);
  ASSERT_EQ(r["error"], json::array()) << r;
  ASSERT_EQ(r["result"]["txid"].size(), 1u);
  auto txid = r["result"]["txid"][0].get<std::string>();
  auto q = call("QueryOrders", "txid=" + txid + "&trades=true");
  ASSERT_TRUE(q["result"].contains(txid));
  auto& o = q["result"][txid];
  EXPECT_EQ(o["status"], "open");
  EXPECT_EQ(o["vol"], "0.00100000");
  EXPECT_EQ(o["descr"]["pair"], "XBTUSD");
  EXPECT_EQ(o["descr"]["price"], "42000.0");
  EXPECT_EQ(o["trades"], json::array());
  EXPECT_EQ(o["opentm"], 1'700'000'000.0);
}

TEST_F(KrakenSimOrders, PostOnlyThatWouldTakeIsAcceptedThenCancelled) {
  auto r = call("AddOrder", "ordertype=limit&pair=XBTUSD&price=61000&type=buy&volume=0.001&oflags=post&cl_ord_id=po-1");
  ASSERT_EQ(r["error"], json::array()) << r;
  auto txid = r["result"]["txid"][0].get<std::string>();
  auto o = call("QueryOrders", "txid=" + txid)["result"][txid];
  EXPECT_EQ(o["status"], "canceled");
  EXPECT_EQ(o["reason"], "Post only order");
  EXPECT_EQ(o["oflags"], "post,fciq");
  EXPECT_EQ(o["cl_ord_id"], "po-1");
  EXPECT_EQ(call("OpenOrders", "")["result"]["open"], json::object());
  auto closed = call("ClosedOrders", "cl_ord_id=po-1")["result"];
  EXPECT_EQ(closed["count"], 1);
  EXPECT_TRUE(closed["closed"].contains(txid));
}

TEST_F(KrakenSimOrders, BadParametersGetKrakensArguments) {
  auto err = [&](const std::string& params) { return call("AddOrder", params)["error"]; };
  EXPECT_EQ(err("ordertype=limit&pair=NOPE&price=1&type=buy&volume=1"), json({"EQuery:Unknown asset pair"}));
  EXPECT_EQ(err("ordertype=limit&pair=XBTUSD&price=1&type=hold&volume=1"), json({"EGeneral:Invalid arguments:type"}));
  EXPECT_EQ(err("ordertype=limit&pair=XBTUSD&price=1&type=buy&volume=abc"), json({"EGeneral:Invalid arguments:volume"}));
  EXPECT_EQ(err("ordertype=limit&pair=XBTUSD&type=buy&volume=0.001"), json({"EGeneral:Invalid arguments:price"}));
  EXPECT_EQ(err("ordertype=limit&pair=XBTUSD&price=42000.05&type=buy&volume=0.001"), json({"EGeneral:Invalid arguments:price"}));
  EXPECT_EQ(err("ordertype=market&pair=XBTUSD&type=buy&volume=0.001&oflags=post"), json({"EGeneral:Invalid arguments:oflags"}));
  EXPECT_EQ(err("ordertype=limit&pair=XBTUSD&price=42000&type=buy&volume=0.001&cl_ord_id=this-one-is-far-too-long"),
            json({"EGeneral:Invalid arguments:cl_ord_id"}));
  EXPECT_EQ(err("ordertype=limit&pair=XBTUSD&price=42000&type=buy&volume=0.00001"), json({"EOrder:Order minimum not met"}));
  EXPECT_EQ(err("ordertype=limit&pair=XBTUSD&price=99999999999999999999.9&type=buy&volume=999999999.9"),
            json({"EGeneral:Invalid arguments:price"}));
  EXPECT_EQ(err("ordertype=market&pair=XBTUSD&type=buy&volume=99999999999999999999"), json({"EGeneral:Invalid arguments:volume"}));
  EXPECT_EQ(call("ClosedOrders", "ofs=99999999999999999999&start=-99999999999999999999")["error"], json::array());
  EXPECT_EQ(call("CancelOrder", "txid=not-an-id")["error"], json({"EOrder:Invalid order"}));
  EXPECT_EQ(call("CancelOrder", "txid=OU22CG-KLAF2-FWUDD7")["error"], json({"EOrder:Unknown order"}));
  EXPECT_EQ(call("QueryOrders", "")["error"], json({"EGeneral:Invalid arguments"}));
  EXPECT_TRUE(exchange.orders(key.key).empty());
}

TEST_F(KrakenSimOrders, CancellingYoungOrdersFillsTheTradingCounter) {
  // Each place costs 1 and each cancel within 5 s costs 8 on the pair's counter (Starter: 60).
  int placed = 0;
  json last;
  for (int i = 0; i < 20; ++i) {
    auto r = call("AddOrder", "ordertype=limit&pair=XBTUSD&price=42000&type=buy&volume=0.001");
    if (!r["error"].empty()) {
      last = r["error"];
      break;
    }
    ++placed;
    auto c = call("CancelOrder", "txid=" + r["result"]["txid"][0].get<std::string>());
    if (!c["error"].empty()) {
      last = c["error"];
      break;
    }
  }
  EXPECT_EQ(last, json({"EOrder:Rate limit exceeded"}));
  EXPECT_EQ(placed, 7);      // 7 * (1 + 8) = 63 > 60: the seventh cancel is refused
  clock.advance_ms(60'000);  // the counter falls by 1 a second
  EXPECT_EQ(call("CancelAll", "")["result"]["count"], 1);
}

}  // namespace
}  // namespace tb::exsim::kraken
