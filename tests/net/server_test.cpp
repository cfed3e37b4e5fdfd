// HttpServer seen from a raw socket: framing, limits, the peer header, hang-ups and stop().
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>

#include "net/request_head.hpp"
#include "net_test_util.hpp"

namespace tb::test {
namespace {

using net::HttpRequest;
using net::HttpResponse;

// Blocking client side for exact bytes: writes `wire`, reads until the server closes.
std::string exchange_raw(uint16_t port, const std::string& wire) {
  asio::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  asio::write(s, asio::buffer(wire));
  std::string out;
  boost::system::error_code ec;
  asio::read(s, asio::dynamic_buffer(out), ec);
  return out;
}

Result<HttpResponse> describe_request(const HttpRequest& r) {
  HttpResponse out;
  out.status = 200;
  out.body =
      r.method + " " + r.url + " peer=" + (r.header("X-Peer-Addr") ? *r.header("X-Peer-Addr") : "?") + " n=" +
      std::to_string(std::count_if(r.headers.begin(), r.headers.end(), [](auto& h) { return net::iequals(h.name, "X-Peer-Addr"); })) +
      " body=" + r.body;
  return out;
}

TEST(HttpServer, AnswersKeepAliveRequestsInOrderAndClosesOnRequest) {
  LoopbackServer server(describe_request);
  std::string out = exchange_raw(server.port(),
                                 "GET /a?x=1 HTTP/1.1\r\nHost: t\r\nX-Peer-Addr: 6.6.6.6:1\r\n\r\n"
                                 "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nConnection: close\r\n\r\nxyz");
  auto first = out.find("HTTP/1.1 200 OK\r\n");
  auto second = out.find("HTTP/1.1 200 OK\r\n", first + 1);
  ASSERT_NE(first, std::string::npos) << out;
  ASSERT_NE(second, std::string::npos) << out;
  EXPECT_NE(out.find("GET /a?x=1 peer=127.0.0.1:"), std::string::npos) << out;
  EXPECT_NE(out.find(" n=1 body="), std::string::npos) << out;  // the forged X-Peer-Addr was dropped
  EXPECT_EQ(out.find("6.6.6.6"), std::string::npos) << out;
  EXPECT_NE(out.find("POST /b peer=127.0.0.1:"), std::string::npos) << out;
  EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.size() - 8), "body=xyz");
  EXPECT_EQ(server.connections_accepted(), 1u);
}

TEST(HttpServer, RequestBodyOverTheLimitGets413) {
  LoopbackServer server(describe_request, {.max_request_bytes = 10});
  std::string out = exchange_raw(server.port(), "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n01234567890");
  EXPECT_EQ(out.rfind("HTTP/1.1 413 ", 0), 0u) << out;
  EXPECT_TRUE(server.requests().empty());
}

TEST(HttpServer, HugeHeadersGet431AndGarbageGets400) {
  LoopbackServer server(describe_request, {.max_header_bytes = 1024});
  std::string out = exchange_raw(server.port(), "GET / HTTP/1.1\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 431 ", 0), 0u) << out;
  out = exchange_raw(server.port(), "this is not http\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 400 ", 0), 0u) << out;
  EXPECT_TRUE(server.requests().empty());
}

// A head is read whole before it is parsed, so its verdict does not depend on how TCP cut it (Beast parsed a
// head that came in one read at once, 400 for the bad line below, and one that came in pieces only at its
// end, 431), and the limit counts the whole head, request line and blank line included.
TEST(HttpServer, TheHeadLimitCountsTheWholeHeadWhateverIsWrongInIt) {
  LoopbackServer server(describe_request, {.max_header_bytes = 1024});
  const std::string start = "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\nX-Pad: ";
  auto head_of = [&](size_t size) { return start + std::string(size - start.size() - 4, 'a') + "\r\n\r\n"; };
  std::string out = exchange_raw(server.port(), head_of(1024));
  EXPECT_EQ(out.rfind("HTTP/1.1 200 ", 0), 0u) << out;
  out = exchange_raw(server.port(), head_of(1025));
  EXPECT_EQ(out.rfind("HTTP/1.1 431 ", 0), 0u) << out;
  out = exchange_raw(server.port(), "GET / HTTP/1.1\r\nHost: t\r\nno colon here\r\nX-Pad: " + std::string(2000, 'a') + "\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 431 ", 0), 0u) << out;
  EXPECT_EQ(server.requests().size(), 1u);
}

// The head's end is searched from where the last read left off, three bytes back: a blank line split across
// reads is found, and bytes already searched (no blank line ended in them) are not searched again.
TEST(HttpServer, AHeadsEndIsFoundWhereverItsBlankLineWasCut) {
  const std::string head = "GET / HTTP/1.1\r\nHost: t\r\n\r\nbody";
  for (size_t searched = 0; searched < head.size() - 4; ++searched) EXPECT_EQ(net::head_end(head, searched), head.size() - 4) << searched;
  EXPECT_EQ(net::head_end("GET / HTTP/1.1\r\nHost: t\r\n", 10), std::string_view::npos);
}

// A whole head is parsed alone: what follows its blank line never decides its verdict. Beast looks past a
// short version for eight characters: "H" with a next request behind it was a bad version (400), alone it
// waited for more and the connection closed without an answer.
TEST(HttpServer, AWholeHeadIsJudgedWithoutTheBytesAfterIt) {
  LoopbackServer server(describe_request);
  const std::string head = "POST / H\r\n\r\n";
  std::string out = exchange_raw(server.port(), head + "GET / HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 400 ", 0), 0u) << out;
  asio::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  asio::write(s, asio::buffer(head));
  s.shutdown(tcp::socket::shutdown_send);  // nothing more comes
  std::string alone;
  boost::system::error_code ec;
  asio::read(s, asio::dynamic_buffer(alone), ec);
  EXPECT_EQ(alone.rfind("HTTP/1.1 400 ", 0), 0u) << alone;
  EXPECT_TRUE(server.requests().empty());
}

TEST(HttpServer, ExpectContinueIsHonoured) {
  LoopbackServer server(describe_request);
  std::string out = exchange_raw(server.port(),
                                 "POST /c HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
  EXPECT_EQ(out.rfind("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n", 0), 0u) << out;
  EXPECT_EQ(out.substr(out.size() - 7), "body=ok");
}

TEST(HttpServer, HandlerErrorHangsUpWithoutAnAnswer) {
  LoopbackServer server([](const HttpRequest&) -> Result<HttpResponse> { return Error::make(ErrorKind::NetworkError, "lost"); });
  EXPECT_EQ(exchange_raw(server.port(), "GET / HTTP/1.1\r\nHost: t\r\n\r\n"), "");
  asio::io_context io;
  net::HttpClient client(io);
  HttpRequest r;
  r.method = "DELETE";
  r.url = server.base_url() + "/order";
  auto res = run_on(io, client.send(r));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().kind, ErrorKind::NetworkError);
  EXPECT_TRUE(res.error().outcome_unknown);
}

TEST(HttpServer, StopClosesIdleKeepAliveConnectionsAndTheListener) {
  IoThread thread;
  net::HttpServer server(thread.io(), {}, net::SyncHandler([](const HttpRequest&) {
                           HttpResponse r;
                           r.status = 200;
                           return r;
                         }));
  ASSERT_TRUE(server.start());
  asio::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  asio::write(s, asio::buffer(std::string("GET / HTTP/1.1\r\nHost: t\r\n\r\n")));
  std::string out;
  asio::read_until(s, asio::dynamic_buffer(out), "\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 200 OK", 0), 0u);
  server.stop();
  boost::system::error_code ec;
  asio::read(s, asio::dynamic_buffer(out), ec);  // returns once the server has closed the kept-alive connection
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  tcp::socket again(io);
  again.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()), ec);
  EXPECT_TRUE(ec) << "still listening after stop()";
}

TEST(HttpServer, StartReportsAPortInUse) {
  LoopbackServer first(describe_request);
  asio::io_context io;
  net::HttpServer second(io, {.port = first.port()}, net::SyncHandler([](const HttpRequest&) { return HttpResponse{}; }));
  auto started = second.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().kind, ErrorKind::NetworkError);
  EXPECT_NE(started.error().message.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())), std::string::npos);
}

}  // namespace
}  // namespace tb::test
