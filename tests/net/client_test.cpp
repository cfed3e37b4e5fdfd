// HttpClient against the real HttpServer on 127.0.0.1: what arrives, what comes back, how connections are used.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/asio_sleeper.hpp"
#include "net_test_util.hpp"

namespace tb::test {
namespace {

using net::HttpRequest;
using net::HttpResponse;

HttpRequest make(std::string method, std::string url, std::vector<net::Header> headers = {}, std::string body = "") {
  HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

Result<HttpResponse> echo(const HttpRequest& r) {
  HttpResponse out;
  out.status = r.method == "POST" ? 201 : 200;
  out.headers = {{"X-Method", r.method}, {"X-Target", r.url}};
  out.body = r.body.empty() ? "got " + r.url : "echo:" + r.body;
  return out;
}

TEST(HttpClient, GetAndPostRoundTripWithHeadersInOrder) {
  LoopbackServer server(echo);
  asio::io_context io;
  net::HttpClient client(io);
  auto get = run_on(io, client.send(make("GET", server.base_url() + "/api/v3/time?x=1&y=%20")));
  ASSERT_TRUE(get) << get.error().describe();
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, "got /api/v3/time?x=1&y=%20");
  ASSERT_NE(get->header("x-target"), nullptr);
  EXPECT_EQ(*get->header("x-target"), "/api/v3/time?x=1&y=%20");

  auto post = run_on(io, client.send(make("POST", server.base_url() + "/order",
                                          {{"X-MBX-APIKEY", "key"}, {"Content-Type", "application/x-www-form-urlencoded"}},
                                          "symbol=BTCUSDT&price=30000.10")));
  ASSERT_TRUE(post) << post.error().describe();
  EXPECT_EQ(post->status, 201);
  EXPECT_EQ(post->body, "echo:symbol=BTCUSDT&price=30000.10");

  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  const auto& h = seen[1].headers;
  std::vector<std::string> names;
  for (auto& x : h) names.push_back(x.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Host", "User-Agent", "X-MBX-APIKEY", "Content-Type", "Content-Length", "X-Peer-Addr"}));
  EXPECT_EQ(h[0].value, "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(h[1].value, "tradebridge/0.1");
  EXPECT_EQ(h[4].value, "29");
  EXPECT_EQ(h[5].value.rfind("127.0.0.1:", 0), 0u);
  EXPECT_EQ(seen[1].method, "POST");
  EXPECT_EQ(seen[1].body, "symbol=BTCUSDT&price=30000.10");
}

net::Task<void> get_counted(net::HttpClient& client, std::string url, int& ok) {
  auto r = co_await client.send(make("GET", url));
  if (r && r->status == 200) ++ok;
}

TEST(HttpClient, RequestsBeyondThePerOriginCapWaitTheirTurnOnTheConnectionsFreed) {
  LoopbackServer server(echo);
  asio::io_context io;
  net::HttpClientOptions options;
  options.max_per_origin = 3;
  net::HttpClient client(io, options);
  int ok = 0;
  for (int i = 0; i < 40; ++i) asio::co_spawn(io, get_counted(client, server.base_url() + "/n" + std::to_string(i), ok), asio::detached);
  io.run();
  EXPECT_EQ(ok, 40);
  EXPECT_LE(client.connections_opened(), 3u);  // without the cap: one connection each
  EXPECT_EQ(server.requests().size(), 40u);
}

TEST(HttpClient, KeepAliveReusesOneConnectionUntilTheServerSaysClose) {
  LoopbackServer server(echo);
  asio::io_context io;
  net::HttpClient client(io);
  for (int i = 0; i < 5; ++i) {
    auto r = run_on(io, client.send(make(i % 2 ? "POST" : "GET", server.base_url() + "/n" + std::to_string(i), {}, "b")));
    ASSERT_TRUE(r) << r.error().describe();
  }
  EXPECT_EQ(server.connections_accepted(), 1u);
  EXPECT_EQ(client.connections_opened(), 1u);
  EXPECT_EQ(client.idle_connections(), 1u);

  server.set_handler([](const HttpRequest&) -> Result<HttpResponse> {
    HttpResponse r;
    r.status = 200;
    r.headers = {{"Connection", "close"}};
    return r;
  });
  ASSERT_TRUE(run_on(io, client.send(make("GET", server.base_url() + "/closing"))));
  EXPECT_EQ(client.idle_connections(), 0u);  // not pooled after Connection: close
  server.set_handler(echo);
  ASSERT_TRUE(run_on(io, client.send(make("GET", server.base_url() + "/again"))));
  EXPECT_EQ(server.connections_accepted(), 2u);
}

TEST(HttpClient, HeadHasNoBodyAndKeepsTheConnectionUsable) {
  LoopbackServer server(echo);
  asio::io_context io;
  net::HttpClient client(io);
  auto head = run_on(io, client.send(make("HEAD", server.base_url() + "/x")));
  ASSERT_TRUE(head) << head.error().describe();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
  ASSERT_NE(head->header("Content-Length"), nullptr);
  EXPECT_EQ(*head->header("Content-Length"), "6");  // "got /x"
  auto get = run_on(io, client.send(make("GET", server.base_url() + "/x")));
  ASSERT_TRUE(get);
  EXPECT_EQ(get->body, "got /x");
  EXPECT_EQ(server.connections_accepted(), 1u);
}

// The server holds every request until all 100 have arrived: they can only all succeed if the client keeps
// 100 in flight at once, on the one thread that runs `io`.
TEST(HttpClient, HundredConcurrentRequestsOnOneThread) {
  constexpr int kRequests = 100;
  IoThread server_thread;
  int arrived = 0;
  asio::steady_timer all_arrived(server_thread.io(), asio::steady_timer::time_point::max());
  net::HttpServer server(server_thread.io(), {}, net::AsyncHandler([&](HttpRequest r) -> net::Task<HttpResponse> {
                           if (++arrived == kRequests) all_arrived.cancel();
                           else {
                             boost::system::error_code ec;
                             co_await all_arrived.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                           }
                           HttpResponse out;
                           out.status = 200;
                           out.body = r.url;
                           co_return out;
                         }));
  // One io thread serves the handlers above, so `arrived` and the timer are touched by that thread only.
  ASSERT_TRUE(server.start());
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());

  asio::io_context io;
  net::HttpClient client(io, {.max_idle_per_origin = 200});
  int ok = 0;
  for (int i = 0; i < kRequests; ++i)
    asio::co_spawn(
        io,
        [&, i]() -> net::Task<void> {
          auto r = co_await client.send(make("GET", base + "/r/" + std::to_string(i)));
          if (r && r->status == 200 && r->body == "/r/" + std::to_string(i)) ++ok;
        },
        asio::detached);
  io.run();
  EXPECT_EQ(ok, kRequests);
  EXPECT_EQ(server.connections_accepted(), static_cast<size_t>(kRequests));
  EXPECT_EQ(client.idle_connections(), static_cast<size_t>(kRequests));
  server.stop();
  server_thread.stop();
}

TEST(HttpClient, WorksFromAnotherExecutorThroughItsOwnThread) {
  LoopbackServer server(echo);
  LoopbackClient remote;
  auto r = run_fresh(remote.client.send(make("GET", server.base_url() + "/hop")));  // a fresh io_context
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->body, "got /hop");
}

TEST(AsioSleeper, WaitsOnTheCallersExecutor) {
  asio::io_context io;
  net::AsioSleeper sleeper;
  auto start = std::chrono::steady_clock::now();
  run_on(io, [&]() -> net::Task<int> {
    co_await sleeper.sleep(std::chrono::milliseconds(2));
    co_return 0;
  }());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2));
}

}  // namespace
}  // namespace tb::test
