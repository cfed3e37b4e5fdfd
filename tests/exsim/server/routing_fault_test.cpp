// Routing and every fault kind, through Simulator::handle with the fake venue.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "exsim/server/fault_answers.hpp"
#include "exsim/server/sim_fixture.hpp"

namespace tb::exsim::test {
namespace {

TEST(SimulatorRouting, PageAdminVenueAndUnknownPaths) {
  SimFixture f;
  auto page = f.call("GET", "/");
  EXPECT_EQ(page.status, 200);
  ASSERT_NE(page.header("Content-Type"), nullptr);
  EXPECT_EQ(*page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("Create API key"), std::string::npos);
  EXPECT_NE(page.body.find("Enable Withdrawals"), std::string::npos);
  EXPECT_EQ(page.body.find("src=\"http"), std::string::npos);  // no external resources
  std::ifstream file(TB_EXSIM_PAGE_FILE, std::ios::binary);
  ASSERT_TRUE(file) << TB_EXSIM_PAGE_FILE;
  EXPECT_EQ(page.body, std::string(std::istreambuf_iterator<char>(file), {}));  // compiled in, byte for byte
  EXPECT_EQ(f.call("GET", "/index.html").body, page.body);

  EXPECT_EQ(f.call_json("GET", "/exsim/v1/keys"), json::parse(R"({"keys":[]})"));

  auto venue = f.call("POST", "/fapi/v1/order?symbol=BTCUSDT&side=BUY", "quantity=1", {{"X-MBX-APIKEY", "abc"}});
  EXPECT_EQ(venue.status, 200);
  auto echo = json::parse(venue.body);
  EXPECT_EQ(echo["method"], "POST");
  EXPECT_EQ(echo["path"], "/fapi/v1/order");
  EXPECT_EQ(echo["query"], "symbol=BTCUSDT&side=BUY");
  EXPECT_EQ(echo["body"], "quantity=1");
  EXPECT_EQ(echo["peer_ip"], "10.1.2.3");
  EXPECT_EQ(echo["api_key"], "abc");

  auto unknown = f.call("GET", "/api/v3/ticker");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(json::parse(unknown.body)["error"], "no such endpoint: /api/v3/ticker");
  EXPECT_EQ(f.fake.last->handled, 1);
}

TEST(SimulatorRouting, PeerIpOfIpv6AndAbsoluteTargets) {
  SimFixture f;
  net::HttpRequest r;
  r.url = "http://127.0.0.1:9/fapi/v1/time?x=1";
  r.headers = {{"X-Peer-Addr", "[::1]:5000"}};
  auto echo = json::parse(tb::test::run(f.sim.handle(r)).body);
  EXPECT_EQ(echo["peer_ip"], "::1");
  EXPECT_EQ(echo["path"], "/fapi/v1/time");
  EXPECT_EQ(echo["query"], "x=1");
}

TEST(SimulatorFaults, EachKindAnswersAsAVenueOrProxyWould) {
  SimFixture f;
  auto fault_then_call = [&](const std::string& kind) {
    f.add_fault({{"venue", "binance_futures"}, {"endpoint", "order"}, {"kind", kind}, {"count", 1}});
    return f.call("POST", "/fapi/v1/order", "symbol=BTCUSDT");
  };

  auto r500 = fault_then_call("http_500");
  EXPECT_EQ(r500.status, 500);
  EXPECT_FALSE(json::parse(r500.body, nullptr, false).is_discarded());

  auto r502 = fault_then_call("http_502_html");
  EXPECT_EQ(r502.status, 502);
  EXPECT_EQ(*r502.header("Content-Type"), "text/html");
  EXPECT_NE(r502.body.find("<center><h1>502 Bad Gateway</h1></center>"), std::string::npos);

  auto limited = fault_then_call("rate_limit");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(*limited.header("Retry-After"), "7");

  auto maintenance = fault_then_call("maintenance");
  EXPECT_EQ(maintenance.status, 503);
  EXPECT_EQ(json::parse(maintenance.body)["code"], -1001);

  EXPECT_EQ(fault_then_call("reset").status, 0);  // 0: the server hangs up unanswered
  EXPECT_EQ(f.fake.last->handled, 0);             // none of these reached the venue

  auto timed_out = fault_then_call("timeout");
  EXPECT_EQ(timed_out.status, 0);
  ASSERT_EQ(f.sleeper.waits.size(), 1u);
  EXPECT_EQ(f.sleeper.waits[0], SimulatorOptions{}.timeout_hold);
  EXPECT_EQ(f.fake.last->handled, 0);

  auto slow = fault_then_call("latency:250");
  EXPECT_EQ(slow.status, 200);
  ASSERT_EQ(f.sleeper.waits.size(), 2u);
  EXPECT_EQ(f.sleeper.waits[1].count(), 250);
  EXPECT_EQ(f.fake.last->handled, 1);

  // bad_json: the venue did the work (an order may exist), the answer came back cut.
  auto cut = fault_then_call("bad_json");
  EXPECT_EQ(cut.status, 200);
  EXPECT_EQ(f.fake.last->handled, 2);
  EXPECT_TRUE(json::parse(cut.body, nullptr, false).is_discarded());
  EXPECT_EQ(cut.body.substr(0, 10), R"({"api_key")");

  // Every fault was used up: the next call is normal.
  EXPECT_EQ(f.call("POST", "/fapi/v1/order").status, 200);
}

// latency holds the request, then the venue handles it; answer_latency lets the venue handle it at once (an
// order is placed) and holds only the answer: what "the client died while the venue was slow" needs.
TEST(SimulatorFaults, LatencyBeforeOrAfterTheVenueHandlesTheRequest) {
  SimFixture f;
  const int64_t t0 = f.clock.now_ms();
  f.add_fault({{"venue", "binance_futures"}, {"endpoint", "order"}, {"kind", "latency:2000"}});
  EXPECT_EQ(f.call("POST", "/fapi/v1/order").status, 200);
  EXPECT_EQ(f.fake.last->handled_at_ms, t0 + 2000);  // handled after the wait
  f.add_fault({{"venue", "binance_futures"}, {"endpoint", "order"}, {"kind", "answer_latency:2000"}});
  const int64_t t1 = f.clock.now_ms();
  auto held = f.call("POST", "/fapi/v1/order", "quantity=1");
  EXPECT_EQ(held.status, 200);
  EXPECT_EQ(json::parse(held.body)["body"], "quantity=1");  // the venue's own answer, only late
  EXPECT_EQ(f.fake.last->handled_at_ms, t1);                // handled before the wait
  EXPECT_EQ(f.clock.now_ms(), t1 + 2000);
  ASSERT_EQ(f.sleeper.waits.size(), 2u);
  EXPECT_EQ(f.sleeper.waits[1].count(), 2000);
  EXPECT_EQ(f.fake.last->handled, 2);
}

TEST(SimulatorFaults, CountEndpointAndWildcard) {
  SimFixture f;
  f.add_fault({{"venue", "binance_futures"}, {"endpoint", "order"}, {"kind", "http_500"}, {"count", 2}});
  EXPECT_EQ(f.call("GET", "/fapi/v1/time").status, 200);  // another endpoint
  EXPECT_EQ(f.call("GET", "/fapi/v1/order").status, 500);
  EXPECT_EQ(f.call("GET", "/fapi/v1/order").status, 500);
  EXPECT_EQ(f.call("GET", "/fapi/v1/order").status, 200);
  f.add_fault({{"venue", "binance_futures"}, {"kind", "maintenance"}});  // endpoint "*" and count 1 by default
  EXPECT_EQ(f.call("GET", "/fapi/v1/time").status, 503);
  EXPECT_EQ(f.call("GET", "/fapi/v1/time").status, 200);
  f.add_fault({{"venue", "binance_futures"}, {"kind", "http_500"}, {"probability", 1.0}});
  EXPECT_EQ(f.call("GET", "/fapi/v1/time").status, 500);
  EXPECT_EQ(f.call("GET", "/fapi/v1/exchangeInfo").status, 500);
  EXPECT_EQ(f.call("DELETE", "/exsim/v1/faults").status, 200);
  EXPECT_EQ(f.call("GET", "/fapi/v1/time").status, 200);
}

TEST(SimulatorFaults, GlobalLatencyBeforeEveryVenueAnswerOnly) {
  SimulatorOptions options;
  options.latency = std::chrono::milliseconds(40);
  SimFixture f(options);
  EXPECT_EQ(f.call("GET", "/fapi/v1/time").status, 200);
  EXPECT_EQ(f.call("GET", "/exsim/v1/keys").status, 200);  // the admin API is not slowed down
  ASSERT_EQ(f.sleeper.waits.size(), 1u);
  EXPECT_EQ(f.sleeper.waits[0].count(), 40);
}

TEST(FaultAnswers, KindsAndTruncation) {
  EXPECT_EQ(parse_fault_kind("latency:0")->latency.count(), 0);
  EXPECT_EQ(parse_fault_kind("latency:600000")->kind, FaultKind::Latency);
  EXPECT_FALSE(parse_fault_kind("latency:600001"));
  EXPECT_FALSE(parse_fault_kind("latency:"));
  EXPECT_FALSE(parse_fault_kind("latency:-5"));
  EXPECT_FALSE(parse_fault_kind("latency:5ms"));
  EXPECT_EQ(parse_fault_kind("answer_latency:2000")->kind, FaultKind::AnswerLatency);
  EXPECT_EQ(parse_fault_kind("answer_latency:2000")->latency.count(), 2000);
  EXPECT_FALSE(parse_fault_kind("answer_latency:600001"));
  EXPECT_FALSE(parse_fault_kind("answer_latency:"));
  EXPECT_FALSE(parse_fault_kind("HTTP_500"));
  EXPECT_EQ(parse_fault_kind("bad_json")->kind, FaultKind::BadJson);
  for (std::string body : {"{}", "[]", "[1,2,3]", "42", "", "\"text\"", R"({"a":{"b":[1,2]}})"}) {
    auto cut = truncated_answer({200, {}, body});
    EXPECT_TRUE(json::parse(cut.body, nullptr, false).is_discarded()) << body << " -> " << cut.body;
  }
}

}  // namespace
}  // namespace tb::exsim::test
