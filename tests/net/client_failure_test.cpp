// HttpClient against peers that misbehave: every failure is an Error of the right kind, never a crash, and
// outcome_unknown says whether the request may have reached the server.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "net_test_util.hpp"

namespace tb::test {
namespace {

using net::HttpRequest;
using net::HttpResponse;

HttpRequest make(std::string method, std::string url) {
  HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  return r;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Reads requests and never answers, until the client gives up.
net::Task<void> never_answer(tcp::socket s) {
  std::string buf;
  while (!(co_await read_head(s, buf)).empty()) {
  }
}

TEST(HttpClientFailure, TotalTimeoutWhenTheServerNeverAnswers) {
  RawServer server(never_answer);
  asio::io_context io;
  net::HttpClient client(io);
  net::RequestOptions o;
  o.total_timeout = std::chrono::milliseconds(150);
  auto r = run_on(io, client.send(make("POST", server.url("/order")), o));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::NetworkError);
  EXPECT_EQ(r.error().message, "timeout after 150 ms waiting for the response from 127.0.0.1:" + std::to_string(server.port()));
  EXPECT_TRUE(r.error().outcome_unknown);  // the order may have been placed
}

TEST(HttpClientFailure, ConnectionRefusedIsAKnownOutcome) {
  uint16_t port;
  {
    asio::io_context tmp;
    tcp::acceptor a(tmp, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = a.local_endpoint().port();
  }  // closed: nothing listens there now
  asio::io_context io;
  net::HttpClient client(io);
  auto r = run_on(io, client.send(make("POST", "http://127.0.0.1:" + std::to_string(port) + "/order")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::NetworkError);
  EXPECT_TRUE(contains(r.error().message, "cannot connect to 127.0.0.1:" + std::to_string(port))) << r.error().message;
  EXPECT_FALSE(r.error().outcome_unknown);
}

// A listener that never accepts, its accept queue filled: the kernel drops further SYNs, so connect hangs.
TEST(HttpClientFailure, ConnectTimeout) {
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  uint16_t port = ntohs(addr.sin_port);
  std::vector<int> fillers;
  for (int i = 0; i < 8; ++i) {
    int f = ::socket(AF_INET, SOCK_STREAM, 0);
    ::fcntl(f, F_SETFL, O_NONBLOCK);
    ::connect(f, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(f);
  }
  asio::io_context io;
  net::HttpClient client(io);
  net::RequestOptions o;
  o.connect_timeout = std::chrono::milliseconds(150);
  auto r = run_on(io, client.send(make("GET", "http://127.0.0.1:" + std::to_string(port) + "/"), o));
  for (int f : fillers) ::close(f);
  ::close(listener);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::NetworkError);
  EXPECT_EQ(r.error().message, "timeout after 150 ms connecting to 127.0.0.1:" + std::to_string(port));
  EXPECT_FALSE(r.error().outcome_unknown);
}

TEST(HttpClientFailure, ResponseLargerThanTheLimit) {
  LoopbackServer server([](const HttpRequest&) -> Result<HttpResponse> {
    HttpResponse r;
    r.status = 200;
    r.body = std::string(5000, 'x');
    return r;
  });
  asio::io_context io;
  net::HttpClient client(io);
  net::RequestOptions o;
  o.max_response_bytes = 1000;
  auto r = run_on(io, client.send(make("GET", server.base_url() + "/big"), o));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
  EXPECT_TRUE(contains(r.error().message, "response larger than 1000 bytes")) << r.error().message;
  o.max_response_bytes = 5000;
  auto fits = run_on(io, client.send(make("GET", server.base_url() + "/big"), o));
  ASSERT_TRUE(fits) << fits.error().describe();
  EXPECT_EQ(fits->body.size(), 5000u);
}

TEST(HttpClientFailure, ServerClosingMidResponse) {
  RawServer server([](tcp::socket s) -> net::Task<void> {
    std::string buf;
    co_await read_head(s, buf);
    co_await write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"orderId\":");
  });  // the session ends: the socket closes with 89 bytes missing
  asio::io_context io;
  net::HttpClient client(io);
  auto r = run_on(io, client.send(make("POST", server.url("/order"))));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::NetworkError);
  EXPECT_TRUE(contains(r.error().message, "closed in the middle of the response")) << r.error().message;
  EXPECT_TRUE(r.error().outcome_unknown);
  EXPECT_EQ(client.idle_connections(), 0u);
}

TEST(HttpClientFailure, NotHttpIsABadResponse) {
  RawServer server([](tcp::socket s) -> net::Task<void> {
    std::string buf;
    co_await read_head(s, buf);
    co_await write_all(s, "SSH-2.0-OpenSSH_9.2\r\n\r\n");
  });
  asio::io_context io;
  net::HttpClient client(io);
  auto r = run_on(io, client.send(make("GET", server.url())));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::BadResponse);
  EXPECT_TRUE(contains(r.error().message, "not an HTTP response")) << r.error().message;
}

// Answers the first request on a connection, then reads the next one and hangs up without answering:
// what a server closing an idle keep-alive connection looks like when the close crosses our request.
net::Task<void> answer_once_then_drop(tcp::socket s) {
  std::string buf;
  if ((co_await read_head(s, buf)).empty()) co_return;
  co_await write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
  co_await read_head(s, buf);
}

TEST(HttpClientFailure, StaleConnectionIsRetriedOnceForGet) {
  RawServer server(answer_once_then_drop);
  asio::io_context io;
  net::HttpClient client(io);
  ASSERT_TRUE(run_on(io, client.send(make("GET", server.url("/a")))));
  auto r = run_on(io, client.send(make("GET", server.url("/b"))));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->body, "first");  // answered by a fresh connection
  EXPECT_EQ(server.accepted(), 2);
}

TEST(HttpClientFailure, StaleConnectionIsNeverRetriedForPost) {
  RawServer server(answer_once_then_drop);
  asio::io_context io;
  net::HttpClient client(io);
  ASSERT_TRUE(run_on(io, client.send(make("GET", server.url("/a")))));
  auto r = run_on(io, client.send(make("POST", server.url("/order"))));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::NetworkError);
  EXPECT_TRUE(r.error().outcome_unknown);
  EXPECT_TRUE(contains(r.error().message, "closed before any response")) << r.error().message;
  EXPECT_EQ(server.accepted(), 1);  // not sent a second time
}

// Answers one request, then closes the connection without having said so (no Connection: close).
net::Task<void> answer_once_then_close(tcp::socket s) {
  std::string buf;
  if ((co_await read_head(s, buf)).empty()) co_return;
  co_await write_all(s, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
  boost::system::error_code ec;
  s.shutdown(tcp::socket::shutdown_both, ec);
  s.close(ec);
}

// A connection idle longer than check_idle_after is checked before it is reused: one the server closed
// meanwhile is dropped, and an order goes on a new connection instead of being lost with the old one.
TEST(HttpClientFailure, AConnectionIdleLongerThanTheCheckIsNotReusedOnceClosed) {
  RawServer server(answer_once_then_close);
  asio::io_context io;
  net::HttpClient client(io, {.check_idle_after = std::chrono::milliseconds(20)});
  ASSERT_TRUE(run_on(io, client.send(make("GET", server.url("/a")))));
  EXPECT_EQ(client.idle_connections(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto r = run_on(io, client.send(make("POST", server.url("/order"))));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->body, "first");
  EXPECT_EQ(server.accepted(), 2);
}

TEST(HttpClientFailure, BadInputIsRefusedBeforeAnyConnection) {
  asio::io_context io;
  net::HttpClient client(io);
  auto r = run_on(io, client.send(make("GET", "127.0.0.1/no-scheme")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
  HttpRequest injected = make("GET", "http://127.0.0.1:1/");
  injected.headers = {{"X-Key", "k\r\nX-Evil: 1"}};
  r = run_on(io, client.send(injected));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
  EXPECT_EQ(client.connections_opened(), 0u);
  net::HttpClient bad_proxy(io, {.proxy = "socks5://127.0.0.1:1080"});
  r = run_on(io, bad_proxy.send(make("GET", "http://127.0.0.1:1/")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::InvalidArgument);
}

}  // namespace
}  // namespace tb::test
