// HttpServer against hostile clients, from raw sockets: request smuggling by framing (RFC 9112 §6.3), too
// many connections from one address, and X-Forwarded-For from peers that are not our proxy.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <chrono>
#include <thread>

#include "net/forwarded.hpp"
#include "net_test_util.hpp"

namespace tb::test {
namespace {

using net::HttpRequest;
using net::HttpResponse;

Result<HttpResponse> echo(const HttpRequest& r) {
  HttpResponse out;
  out.status = 200;
  out.body = "peer=" + *r.header("X-Peer-Addr") + " xff=" + (r.header("X-Forwarded-For") ? *r.header("X-Forwarded-For") : "-") +
             " proto=" + (r.header("X-Forwarded-Proto") ? *r.header("X-Forwarded-Proto") : "-") + " body=" + r.body;
  return out;
}

// A socket to the server on 127.0.0.1 from the given loopback source address (127.0.0.2 is another client).
tcp::socket connect_from(asio::io_context& io, const char* source, uint16_t port) {
  tcp::socket s(io);
  s.open(tcp::v4());
  s.bind(tcp::endpoint(asio::ip::make_address(source), 0));
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  return s;
}

// Writes `wire` and reads until the server closes; "" when it closed without a word.
std::string exchange_from(const char* source, uint16_t port, const std::string& wire) {
  asio::io_context io;
  tcp::socket s = connect_from(io, source, port);
  boost::system::error_code ec;
  asio::write(s, asio::buffer(wire), ec);
  std::string out;
  asio::read(s, asio::dynamic_buffer(out), ec);
  return out;
}

// One keep-alive request on an open socket; the answer's head and body, or "" when the server hung up.
std::string ask(tcp::socket& s) {
  boost::system::error_code ec;
  asio::write(s, asio::buffer(std::string("GET /x HTTP/1.1\r\nHost: t\r\n\r\n")), ec);
  std::string out;
  if (!ec) asio::read_until(s, asio::dynamic_buffer(out), "\r\n\r\n", ec);
  return ec ? std::string() : out;
}

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

net::HttpServerOptions quick() {
  net::HttpServerOptions o;
  o.idle_timeout = std::chrono::milliseconds(3000);  // a server that wrongly keeps a connection open fails fast
  return o;
}

class Framing : public ::testing::TestWithParam<const char*> {};

TEST_P(Framing, AmbiguousFramingGets400AndTheConnectionCloses) {
  LoopbackServer server(echo, quick());
  // A second request follows the first: a server that misread the framing would answer it too.
  std::string wire = std::string(GetParam()) + "\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n";
  std::string out = exchange_from("127.0.0.1", server.port(), wire);
  EXPECT_EQ(out.rfind("HTTP/1.1 400 ", 0), 0u) << out;
  EXPECT_EQ(count_of(out, "HTTP/1.1 "), 1u) << out;
  EXPECT_TRUE(server.requests().empty());
}

INSTANTIATE_TEST_SUITE_P(HttpServer, Framing,
                         ::testing::Values("POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n",
                                           "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, gzip\r\n",
                                           "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: identity\r\n",
                                           "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                                           "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                                           "POST /a HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n",
                                           "GET /a HTTP/1.1\r\nAccept: */*\r\n", "GET /a HTTP/1.1\r\nHost: t\r\nHost: u\r\n",
                                           // Found by the fuzzer (tests/fuzz/http_request.cpp): HTTP/1.0 let two pass.
                                           "GET /a HTTP/1.0\r\nHost: t\r\nHost: u\r\n"));

TEST(HttpServer, ChunkedBodiesAndHttp10WithoutHostStillWork) {
  LoopbackServer server(echo, quick());
  std::string out =
      exchange_from("127.0.0.1", server.port(),
                    "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n3\r\nxyz\r\n0\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 200 ", 0), 0u) << out;
  EXPECT_EQ(out.substr(out.size() - 8), "body=xyz");
  out = exchange_from("127.0.0.1", server.port(), "GET /a HTTP/1.0\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 200 ", 0), 0u) << out;  // answered as HTTP/1.1, as RFC 9110 §2.5 allows
}

TEST(HttpServer, ConnectionsOverThePerAddressCapAreClosedAtOnceOthersAreServed) {
  auto o = quick();
  o.max_connections_per_ip = 2;
  LoopbackServer server(echo, o);
  asio::io_context io;
  tcp::socket a = connect_from(io, "127.0.0.1", server.port());
  tcp::socket b = connect_from(io, "127.0.0.1", server.port());
  ASSERT_NE(ask(a), "");
  ASSERT_NE(ask(b), "");
  tcp::socket c = connect_from(io, "127.0.0.1", server.port());
  EXPECT_EQ(ask(c), "") << "a third connection from 127.0.0.1 was served";
  tcp::socket other = connect_from(io, "127.0.0.2", server.port());
  EXPECT_NE(ask(other), "") << "another address was refused";
  EXPECT_NE(ask(a), "") << "the connections under the cap keep working";

  // A closed connection frees its place (the server notices the hang-up on its own thread).
  a.close();
  std::string again;
  for (int i = 0; i < 100 && again.empty(); ++i) {
    tcp::socket d = connect_from(io, "127.0.0.1", server.port());
    again = ask(d);
    if (again.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(again, "");
}

// Found by the fuzzer: Beast appends a chunked body's trailer fields to the head's, so a "Host" (or an
// X-Forwarded-For) sent in a trailer reached handlers as a second header. Trailers are dropped.
TEST(HttpServer, TrailerFieldsNeverReachAHandler) {
  LoopbackServer server(echo, quick());
  std::string out = exchange_from("127.0.0.1", server.port(),
                                  "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                  "3\r\nxyz\r\n0\r\nHost: evil\r\nX-Forwarded-For: 6.6.6.6\r\nX-Smuggled: 1\r\n\r\n");
  EXPECT_EQ(out.rfind("HTTP/1.1 200 ", 0), 0u) << out;
  EXPECT_EQ(out.substr(out.size() - 8), "body=xyz");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  ASSERT_NE(r.header("Host"), nullptr);
  EXPECT_EQ(*r.header("Host"), "t");
  EXPECT_EQ(std::count_if(r.headers.begin(), r.headers.end(), [](const net::Header& h) { return h.name == "Host"; }), 1);
  EXPECT_EQ(r.header("X-Smuggled"), nullptr);
  EXPECT_EQ(r.header("X-Forwarded-For"), nullptr);
}

TEST(HttpServer, ForwardedHeadersFromAnyPeerButOurProxyAreDropped) {
  LoopbackServer server(echo, quick());
  std::string out = exchange_from("127.0.0.1", server.port(),
                                  "GET / HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\n"
                                  "Forwarded: for=6.6.6.6\r\nConnection: close\r\n\r\n");
  EXPECT_NE(out.find("peer=127.0.0.1:"), std::string::npos) << out;
  EXPECT_NE(out.find("xff=- proto=-"), std::string::npos) << out;
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0].header("Forwarded"), nullptr);
}

TEST(HttpServer, OurProxyNamesTheClientInXForwardedFor) {
  auto o = quick();
  o.trusted_proxies = {"127.0.0.1"};
  o.max_connections_per_ip = 1;  // the proxy carries every client: never capped
  LoopbackServer server(echo, o);
  asio::io_context io;
  tcp::socket held = connect_from(io, "127.0.0.1", server.port());
  ASSERT_NE(ask(held), "");
  // The client may have put anything on the left; only the entry our proxy appended counts.
  std::string out = exchange_from("127.0.0.1", server.port(),
                                  "GET / HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 6.6.6.6, 203.0.113.9\r\nX-Forwarded-For: 127.0.0.1\r\n"
                                  "X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n");
  EXPECT_NE(out.find("peer=203.0.113.9:0 xff=6.6.6.6, 203.0.113.9 proto=https"), std::string::npos) << out;
  // Another peer saying the same is not believed.
  out = exchange_from("127.0.0.2", server.port(), "GET / HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n");
  EXPECT_NE(out.find("peer=127.0.0.2:"), std::string::npos) << out;
  EXPECT_NE(out.find("xff=-"), std::string::npos) << out;
}

TEST(Forwarded, TheClientIsTheRightMostAddressThatIsNotOurProxy) {
  std::vector<std::string> proxies = {"10.0.0.1", "10.0.0.2"};
  EXPECT_EQ(net::forwarded_client("1.1.1.1, 2.2.2.2, 10.0.0.2", proxies), "2.2.2.2");
  EXPECT_EQ(net::forwarded_client("2.2.2.2", proxies), "2.2.2.2");
  EXPECT_EQ(net::forwarded_client(" [2001:db8::1] ,10.0.0.1", proxies), "2001:db8::1");
  EXPECT_EQ(net::forwarded_client("::ffff:2.2.2.2", proxies), "2.2.2.2");
  EXPECT_EQ(net::forwarded_client("10.0.0.1, 10.0.0.2", proxies), "");            // only proxies: the peer itself
  EXPECT_EQ(net::forwarded_client("1.1.1.1, not-an-ip, 10.0.0.1", proxies), "");  // garbage stops the walk
  EXPECT_EQ(net::forwarded_client("", proxies), "");
  EXPECT_EQ(net::canonical_ip("::ffff:127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(net::canonical_ip("nope"), "");
}

// Found by the fuzzer: Asio reads a zone index leniently ("%2038555555550.0" became another number), so a
// canonical address was not canonical when read again. An address keeps no zone.
TEST(Forwarded, AnAddressIsCanonicalWithoutItsZone) {
  EXPECT_EQ(net::canonical_ip("fe80::1%2"), "fe80::1");
  EXPECT_EQ(net::canonical_ip("203::ffff:12%2038555555550.0"), "203::ffff:12");
  EXPECT_EQ(net::forwarded_client("203::ffff:12%2038555555550.0", {"10.0.0.1"}), "203::ffff:12");
  for (const char* text : {"fe80::1%2", "203::ffff:12%2038555555550.0", "::ffff:1.2.3.4", "[::1]", "10.0.0.1"})
    EXPECT_EQ(net::canonical_ip(net::canonical_ip(text)), net::canonical_ip(text)) << text;
}

}  // namespace
}  // namespace tb::test
