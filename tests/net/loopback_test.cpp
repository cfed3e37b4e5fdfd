// The loopback support itself: a venue-style call through LoopbackVenueHarness reaches the handler over HTTP.
#include <gtest/gtest.h>

#include "net_test_util.hpp"

namespace tb::test {
namespace {

TEST(LoopbackVenueHarness, RequestsCrossARealConnection) {
  LoopbackVenueHarness h([](const net::HttpRequest& r) -> Result<net::HttpResponse> {
    if (r.url == "/lost") return Error::make(ErrorKind::NetworkError, "scripted loss");
    return json_response(200, R"({"serverTime":1700000000000})");
  });
  auto ctx = h.context();
  net::HttpRequest r;
  r.url = h.base_url() + "/fapi/v1/time";
  auto ok = run_fresh(ctx.transport->send(r));
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ(ok->body, R"({"serverTime":1700000000000})");
  ASSERT_NE(ok->header("Content-Type"), nullptr);
  EXPECT_EQ(*ok->header("Content-Type"), "application/json");

  r.method = "POST";
  r.url = h.base_url() + "/lost";
  auto lost = run_fresh(ctx.transport->send(r));
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().kind, ErrorKind::NetworkError);
  EXPECT_TRUE(lost.error().outcome_unknown);

  auto seen = h.server.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].url, "/fapi/v1/time");
  EXPECT_EQ(seen[1].method, "POST");
}

}  // namespace
}  // namespace tb::test
