// WebSocket over HttpServer, seen from a raw socket: the opening handshake of RFC 6455's example, messages
// answered in order, pings, the close handshake, a violation closed with its code, and handshakes refused
// with the reason.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <thread>
#include <tuple>

#include "net/websocket_session.hpp"
#include "net_test_util.hpp"
#include "raw_client.hpp"

namespace tb::test {
namespace {

using namespace std::chrono_literals;
using net::HttpRequest;
using net::HttpResponse;
namespace ws = net::ws;

// "/ws" upgrades; a text message gets "echo:" and its upper case back, "quiet" gets nothing. Other targets
// answer plainly.
class WsServer {
 public:
  WsServer() : server_(thread_.io(), {}, net::SyncHandler([this](const HttpRequest& r) { return handle(r); })) {
    auto started = server_.start();
    if (!started) throw std::runtime_error(started.error().describe());
  }
  ~WsServer() { server_.stop(); }
  uint16_t port() const { return server_.port(); }
  net::HttpServer& server() { return server_; }

 private:
  HttpResponse handle(const HttpRequest& r) {
    if (r.url != "/ws") return HttpResponse{200, {}, "plain " + r.url};
    auto session = std::make_shared<net::WsSession>(thread_.io().get_executor(), 1024, [](std::string_view text) {
      if (text == "quiet") return std::string();
      std::string out = "echo:" + std::string(text);
      std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      return out;
    });
    return net::accept_websocket(r, session);
  }

  IoThread thread_;
  net::HttpServer server_;
};

const std::string kHandshake =
    "GET /ws HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

std::string masked(ws::Opcode op, std::string_view payload) {
  std::string out;
  ws::append_frame(out, op, payload, ws::Mask{0x11, 0x22, 0x33, 0x44});
  return out;
}

// The messages in what the server sent after its head, read as a client reads them.
std::vector<ws::Message> messages_after_head(const RawClient& c) {
  ws::Reader reader(ws::Reader::Role::Client, 1 << 20);
  reader.feed(c.body());
  std::vector<ws::Message> out;
  for (;;) {
    auto m = reader.next();
    EXPECT_TRUE(m.ok()) << m.error().message;
    if (!m.ok() || !*m) return out;
    out.push_back(std::move(**m));
  }
}

TEST(WebSocketServer, TheRfcsHandshakeThenAnswersInOrderPingsAndTheCloseHandshake) {
  WsServer server;
  RawClient c(server.port());
  c.send(kHandshake);
  ASSERT_TRUE(c.read_until("\r\n\r\n"));
  const std::string head = c.head();
  EXPECT_TRUE(head.starts_with("HTTP/1.1 101 Switching Protocols\r\n")) << head;
  EXPECT_NE(head.find("Upgrade: websocket\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Connection: Upgrade\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;

  // Three requests, one that needs no answer and a ping, all in one write.
  c.send(masked(ws::Opcode::Text, "a") + masked(ws::Opcode::Text, "quiet") + masked(ws::Opcode::Text, "b") + masked(ws::Opcode::Ping, "p") +
         masked(ws::Opcode::Text, "c"));
  std::string expected;
  for (auto* t : {"ECHO:A", "ECHO:B"}) ws::append_frame(expected, ws::Opcode::Text, t);
  ws::append_frame(expected, ws::Opcode::Pong, "p");
  ws::append_frame(expected, ws::Opcode::Text, "ECHO:C");
  ASSERT_TRUE(c.read_at_least(head.size() + expected.size()));
  EXPECT_EQ(c.body(), expected);

  c.send(masked(ws::Opcode::Close, ws::close_payload(ws::kNormalClosure, "bye")));
  ASSERT_TRUE(c.read_until_closed());
  auto got = messages_after_head(c);
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[4].op, ws::Opcode::Close);
  EXPECT_EQ(got[4].payload, ws::close_payload(ws::kNormalClosure, ""));
}

TEST(WebSocketServer, AViolationIsClosedWithItsCodeAndReason) {
  WsServer server;
  for (auto [frame, code, words] : {std::tuple{std::string("\x81\x01z", 3), ws::kProtocolError, "unmasked"},
                                    std::tuple{masked(ws::Opcode::Text, std::string(1025, 'x')), ws::kMessageTooBig, "longer than 1024"},
                                    std::tuple{masked(ws::Opcode::Binary, "b"), ws::kUnsupportedData, "only text"}}) {
    RawClient c(server.port());
    c.send(kHandshake);
    ASSERT_TRUE(c.read_until("\r\n\r\n"));
    c.send(frame);
    ASSERT_TRUE(c.read_until_closed()) << words;
    auto got = messages_after_head(c);
    ASSERT_EQ(got.size(), 1u) << words;
    EXPECT_EQ(got[0].op, ws::Opcode::Close);
    ASSERT_GE(got[0].payload.size(), 2u);
    EXPECT_EQ((static_cast<uint8_t>(got[0].payload[0]) << 8) | static_cast<uint8_t>(got[0].payload[1]), code) << words;
    EXPECT_NE(got[0].payload.find(words), std::string::npos) << got[0].payload;
  }
  for (int i = 0; i < 500 && server.server().open_connections() > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(server.server().open_connections(), 0u);
}

TEST(WebSocketServer, HandshakesThatAreNotWebSocketsAreRefusedWithTheReason) {
  WsServer server;
  auto answer = [&](const std::string& request) {
    RawClient c(server.port());
    c.send(request);
    c.read_until("\r\n\r\n");
    const std::string head = c.head();
    const size_t at = head.find("Content-Length: ");
    const size_t length = at == std::string::npos ? 0 : std::stoul(head.substr(at + 16));
    c.read_at_least(head.size() + length);
    return c.received();
  };
  std::string no_key = kHandshake;
  no_key.replace(no_key.find("Sec-WebSocket-Key"), 17, "Sec-WebSocket-Kex");
  EXPECT_NE(answer(no_key).find("400 Bad Request"), std::string::npos);
  EXPECT_NE(answer(no_key).find("Sec-WebSocket-Key"), std::string::npos);
  std::string v8 = kHandshake;
  v8.replace(v8.find("Version: 13"), 11, "Version: 8");
  const std::string refused = answer(v8);
  EXPECT_NE(refused.find("426 "), std::string::npos) << refused;
  EXPECT_NE(refused.find("Sec-WebSocket-Version: 13"), std::string::npos) << refused;
  std::string no_upgrade = kHandshake;
  no_upgrade.replace(no_upgrade.find("Upgrade: websocket"), 18, "Upgrade: h2c");
  EXPECT_NE(answer(no_upgrade).find("Upgrade: websocket' header"), std::string::npos);
  EXPECT_NE(answer("GET /other HTTP/1.1\r\nHost: x\r\n\r\n").find("plain /other"), std::string::npos);
}

}  // namespace
}  // namespace tb::test
