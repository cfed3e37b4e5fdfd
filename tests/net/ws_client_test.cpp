// WsClient against a WebSocket server on HttpServer (another thread): many calls over few connections each
// get their own answer; an unanswered call times out with its outcome unknown while the others go on; a lost
// connection ends its calls at once and the next call opens a new one; no server is a known outcome.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <charconv>
#include <memory>

#include "net/websocket_session.hpp"
#include "net/ws_client.hpp"
#include "net_test_util.hpp"
#include "support/harness.hpp"

namespace tb::test {
namespace {

using namespace std::chrono_literals;
using net::HttpRequest;
using net::HttpResponse;

// {"id":N,...} -> N, as a venue's answers carry it first.
std::optional<uint64_t> id_of(std::string_view answer) {
  constexpr std::string_view kHead = "{\"id\":";
  if (!answer.starts_with(kHead)) return std::nullopt;
  uint64_t id = 0;
  auto r = std::from_chars(answer.data() + kHead.size(), answer.data() + answer.size(), id);
  return r.ec == std::errc{} ? std::optional<uint64_t>(id) : std::nullopt;
}

// "/ws" answers each request with itself and ",\"seen\":true}" in place of its closing brace; a request
// holding "quiet" gets no answer.
class EchoServer {
 public:
  explicit EchoServer(uint16_t port = 0)
      : server_(thread_.io(), options(port), net::SyncHandler([this](const HttpRequest& r) { return handle(r); })) {
    auto started = server_.start();
    if (!started) throw std::runtime_error(started.error().describe());
  }
  ~EchoServer() { server_.stop(); }
  uint16_t port() const { return server_.port(); }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port()) + "/ws"; }
  void stop() { server_.stop(); }

 private:
  static net::HttpServerOptions options(uint16_t port) {
    net::HttpServerOptions o;
    o.port = port;
    return o;
  }
  HttpResponse handle(const HttpRequest& r) {
    auto session = std::make_shared<net::WsSession>(thread_.io().get_executor(), 4096, [](std::string_view text) {
      if (text.find("quiet") != std::string_view::npos) return std::string();
      return std::string(text.substr(0, text.size() - 1)) + ",\"seen\":true}";
    });
    return net::accept_websocket(r, session);
  }

  IoThread thread_;
  net::HttpServer server_;
};

std::string request(uint64_t id, std::string_view what = "x") {
  return "{\"id\":" + std::to_string(id) + ",\"what\":\"" + std::string(what) + "\"}";
}

net::Task<void> pause(std::chrono::milliseconds d) {
  boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
  co_await t.async_wait(boost::asio::use_awaitable);
}

struct Outcome {
  std::optional<Result<std::string>> result;
};

net::Task<void> one_call(net::WsClient* client, uint64_t id, std::string text, std::chrono::milliseconds timeout, Outcome* out) {
  out->result = co_await client->call(id, std::move(text), timeout);
}

TEST(WsClient, ManyCallsOverFewConnectionsEachGetTheirOwnAnswer) {
  EchoServer server;
  boost::asio::io_context io;
  net::WsClientOptions options;
  options.connections = 2;
  auto client = std::make_unique<net::WsClient>(io, net::HttpClientOptions{}, server.url(), id_of, options);
  constexpr size_t kCalls = 300;
  std::vector<Outcome> outcomes(kCalls);
  size_t opened = 0;
  auto all = [&]() -> net::Task<bool> {
    for (size_t i = 0; i < kCalls; ++i)
      boost::asio::co_spawn(io, one_call(client.get(), i + 1, request(i + 1), 5s, &outcomes[i]), boost::asio::detached);
    for (int waited = 0; waited < 5000; ++waited) {
      if (std::all_of(outcomes.begin(), outcomes.end(), [](auto& o) { return o.result.has_value(); })) break;
      co_await pause(1ms);
    }
    opened = client->connections_opened();
    client.reset();  // its connections close, so the io_context runs out of work
    co_return true;
  };
  run_on(io, all());
  EXPECT_EQ(opened, 2u) << "the calls share the two connections";
  for (size_t i = 0; i < kCalls; ++i) {
    ASSERT_TRUE(outcomes[i].result) << i;
    ASSERT_TRUE(outcomes[i].result->ok()) << outcomes[i].result->error().describe();
    EXPECT_EQ(**outcomes[i].result, "{\"id\":" + std::to_string(i + 1) + ",\"what\":\"x\",\"seen\":true}");
  }
}

TEST(WsClient, AnUnansweredCallTimesOutUnknownAndTheOthersGoOn) {
  EchoServer server;
  boost::asio::io_context io;
  auto client = std::make_unique<net::WsClient>(io, net::HttpClientOptions{}, server.url(), id_of, net::WsClientOptions{1});
  Outcome quiet, answered;
  auto both = [&]() -> net::Task<bool> {
    boost::asio::co_spawn(io, one_call(client.get(), 1, request(1, "quiet"), 200ms, &quiet), boost::asio::detached);
    co_await one_call(client.get(), 2, request(2), 5s, &answered);
    while (!quiet.result) co_await pause(5ms);
    client.reset();
    co_return true;
  };
  run_on(io, both());
  ASSERT_TRUE(answered.result && answered.result->ok());
  ASSERT_FALSE(quiet.result->ok());
  EXPECT_TRUE(quiet.result->error().outcome_unknown) << "sent, and no answer came";
  EXPECT_NE(quiet.result->error().message.find("timeout after 200 ms"), std::string::npos) << quiet.result->error().message;
}

TEST(WsClient, ALostConnectionEndsItsCallsAtOnceAndTheNextCallReconnects) {
  auto server = std::make_unique<EchoServer>();
  const uint16_t port = server->port();
  const std::string url = server->url();
  boost::asio::io_context io;
  auto client = std::make_unique<net::WsClient>(io, net::HttpClientOptions{}, url, id_of, net::WsClientOptions{1});
  Outcome pending, after;
  auto scene = [&]() -> net::Task<bool> {
    Outcome first;
    co_await one_call(client.get(), 1, request(1), 5s, &first);
    EXPECT_TRUE(first.result->ok());
    boost::asio::co_spawn(io, one_call(client.get(), 2, request(2, "quiet"), 30s, &pending), boost::asio::detached);
    co_await pause(50ms);
    server.reset();  // the server goes away with the call unanswered
    server = std::make_unique<EchoServer>(port);
    for (int i = 0; i < 500 && !pending.result; ++i) co_await pause(5ms);
    co_await one_call(client.get(), 3, request(3), 5s, &after);
    client.reset();
    co_return true;
  };
  const auto t0 = std::chrono::steady_clock::now();
  run_on(io, scene());
  ASSERT_TRUE(pending.result);
  ASSERT_FALSE(pending.result->ok());
  EXPECT_TRUE(pending.result->error().outcome_unknown);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s) << "ended by the lost connection, not its 30 s deadline";
  ASSERT_TRUE(after.result);
  ASSERT_TRUE(after.result->ok()) << after.result->error().describe();
  EXPECT_EQ(**after.result, "{\"id\":3,\"what\":\"x\",\"seen\":true}");
}

TEST(WsClient, NoServerOrABadUrlIsAKnownOutcome) {
  uint16_t closed_port = 0;
  {
    EchoServer gone;
    closed_port = gone.port();
  }
  boost::asio::io_context io;
  net::WsClient client(io, net::HttpClientOptions{}, "ws://127.0.0.1:" + std::to_string(closed_port) + "/ws", id_of);
  auto r = run_on(io, client.call(1, request(1), 1s));
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(r.error().outcome_unknown) << r.error().message;
  net::WsClient bad(io, net::HttpClientOptions{}, "http://127.0.0.1/ws", id_of);
  auto b = run_on(io, bad.call(1, request(1), 1s));
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("not a ws:// or wss:// URL"), std::string::npos);
}

}  // namespace
}  // namespace tb::test
