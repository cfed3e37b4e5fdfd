#include "app/metrics_guard.hpp"

#include <gtest/gtest.h>

namespace tb::app {
namespace {

net::HttpRequest get(std::string url, std::string authorization = {}) {
  net::HttpRequest r;
  r.url = std::move(url);
  if (!authorization.empty()) r.headers.push_back({"Authorization", std::move(authorization)});
  return r;
}

int status_of(const MetricsGuard& g, const net::HttpRequest& r) {
  auto refused = g.refuse(r);
  return refused ? refused->status : 200;  // 200: let through to the API
}

TEST(MetricsGuard, OnLoopbackMetricsStayOpen) {
  auto g = MetricsGuard::for_public(true, false, "");
  EXPECT_EQ(status_of(g, get("/metrics")), 200);
}

TEST(MetricsGuard, BeyondLoopbackWithoutATokenOrItsOwnListenerMetricsAre404) {
  auto g = MetricsGuard::for_public(false, false, "");
  EXPECT_EQ(status_of(g, get("/metrics")), 404);
  EXPECT_EQ(status_of(g, get("/metrics?x=1")), 404);
  EXPECT_EQ(status_of(g, get("/healthz")), 200);  // only /metrics is guarded
}

TEST(MetricsGuard, WithItsOwnListenerThePublicOneAnswers404EvenWithTheToken) {
  auto g = MetricsGuard::for_public(true, true, "t0k3n");
  EXPECT_EQ(status_of(g, get("/metrics", "Bearer t0k3n")), 404);
  auto own = MetricsGuard::for_own_listener("");
  EXPECT_EQ(status_of(own, get("/metrics")), 200);
}

TEST(MetricsGuard, ATokenIsRequiredAsBearer) {
  auto g = MetricsGuard::for_public(false, false, "t0k3n");
  EXPECT_EQ(status_of(g, get("/metrics")), 401);
  EXPECT_EQ(status_of(g, get("/metrics", "Bearer t0k3")), 401);
  EXPECT_EQ(status_of(g, get("/metrics", "Bearer t0k3nn")), 401);
  EXPECT_EQ(status_of(g, get("/metrics", "Basic t0k3n")), 401);
  EXPECT_EQ(status_of(g, get("/metrics", "Bearer t0k3n")), 200);
  auto refused = g.refuse(get("/metrics"));
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->header("WWW-Authenticate"), nullptr);
  EXPECT_EQ(refused->body.find("t0k3n"), std::string::npos);
}

}  // namespace
}  // namespace tb::app
