// Requests through an HTTP CONNECT proxy on loopback.
#include <gtest/gtest.h>

#include "net_test_util.hpp"

namespace tb::test {
namespace {

Result<net::HttpResponse> ok_body(const net::HttpRequest& r) {
  net::HttpResponse out;
  out.status = 200;
  out.body = "via " + r.url;
  return out;
}

TEST(HttpClientProxy, PlainHttpGoesThroughTheTunnelAndReusesIt) {
  LoopbackServer server(ok_body);
  ConnectProxy proxy;
  asio::io_context io;
  net::HttpClient client(io, {.proxy = proxy.url()});
  for (int i = 0; i < 3; ++i) {
    net::HttpRequest r;
    r.url = server.base_url() + "/t" + std::to_string(i);
    auto res = run_on(io, client.send(r));
    ASSERT_TRUE(res) << res.error().describe();
    EXPECT_EQ(res->body, "via /t" + std::to_string(i));
  }
  std::string target = "127.0.0.1:" + std::to_string(server.port());
  EXPECT_EQ(proxy.request_lines(), (std::vector<std::string>{"CONNECT " + target + " HTTP/1.1"}));
  EXPECT_EQ(proxy.server.accepted(), 1);
  EXPECT_EQ(server.connections_accepted(), 1u);
  EXPECT_EQ(*server.requests()[0].header("Host"), target);  // origin-form request inside the tunnel
}

TEST(HttpClientProxy, RefusalNamesTheProxyStatus) {
  LoopbackServer server(ok_body);
  ConnectProxy proxy(/*refuse=*/true);
  asio::io_context io;
  net::HttpClient client(io, {.proxy = proxy.url()});
  net::HttpRequest r;
  r.method = "POST";
  r.url = server.base_url() + "/order";
  auto res = run_on(io, client.send(r));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().kind, ErrorKind::NetworkError);
  EXPECT_EQ(res.error().message, "proxy 127.0.0.1:" + std::to_string(proxy.server.port()) +
                                     " refused CONNECT to 127.0.0.1:" + std::to_string(server.port()) + ": HTTP 403 Forbidden");
  EXPECT_FALSE(res.error().outcome_unknown);  // nothing of the request left this machine
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace tb::test
