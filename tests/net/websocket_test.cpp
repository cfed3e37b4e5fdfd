// WebSocket framing against RFC 6455's own examples (§1.3 for the handshake key, §5.7 for frames), then
// the violations a peer can commit, each with the close code the RFC asks for.
#include "net/websocket.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace tb::net::ws {
namespace {

std::string bytes(std::initializer_list<int> b) {
  std::string out;
  for (int c : b) out.push_back(static_cast<char>(c));
  return out;
}

constexpr Mask kRfcMask{0x37, 0xfa, 0x21, 0x3d};

// Every message the reader yields for `wire`, fed in pieces of `step` bytes.
std::vector<Message> read_all(Reader::Role role, const std::string& wire, size_t step) {
  Reader r(role, 1 << 20);
  std::vector<Message> out;
  for (size_t at = 0; at < wire.size(); at += step) {
    r.feed(std::string_view(wire).substr(at, step));
    for (;;) {
      auto m = r.next();
      EXPECT_TRUE(m.ok()) << m.error().message;
      if (!m.ok() || !*m) break;
      out.push_back(std::move(**m));
    }
  }
  return out;
}

// The error and close code for `wire`, read whole.
std::pair<std::string, uint16_t> violation(Reader::Role role, const std::string& wire, size_t max = 1 << 20) {
  Reader r(role, max);
  r.feed(wire);
  for (;;) {
    auto m = r.next();
    if (!m.ok()) return {m.error().message, r.close_code()};
    if (!*m) return {"", 0};
  }
}

TEST(WebSocket, AcceptKeyOfTheRfcsExample) { EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="); }

TEST(WebSocket, FramesAreWrittenAsTheRfcsExamplesShowThem) {
  std::string out;
  append_frame(out, Opcode::Text, "Hello");
  EXPECT_EQ(out, bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
  out.clear();
  append_frame(out, Opcode::Text, "Hello", kRfcMask);
  EXPECT_EQ(out, bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
  out.clear();
  append_frame(out, Opcode::Ping, "Hello");
  EXPECT_EQ(out, bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
  out.clear();
  append_frame(out, Opcode::Binary, std::string(256, 'x'));
  EXPECT_EQ(out.substr(0, 4), bytes({0x82, 0x7E, 0x01, 0x00}));
  EXPECT_EQ(out.size(), 4u + 256u);
  out.clear();
  append_frame(out, Opcode::Binary, std::string(65536, 'x'));
  EXPECT_EQ(out.substr(0, 10), bytes({0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0}));
  EXPECT_EQ(out.size(), 10u + 65536u);
  EXPECT_EQ(close_payload(1000, "bye"), bytes({0x03, 0xE8, 'b', 'y', 'e'}));
  EXPECT_EQ(close_payload(1002, std::string(200, 'r')).size(), 125u);
}

TEST(WebSocket, TheRfcsExamplesAreReadWholeOrAByteAtATime) {
  const std::string server_side = bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58,    // masked "Hello"
                                         0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});  // masked Pong
  // Unmasked: "Hel" + "lo" in two fragments with a Ping between them, then a 256-byte binary message.
  std::string client_side = bytes({0x01, 0x03, 0x48, 0x65, 0x6c, 0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x80, 0x02, 0x6c, 0x6f});
  append_frame(client_side, Opcode::Binary, std::string(256, 'b'));
  for (size_t step : {size_t{1}, size_t{3}, size_t{1000}}) {
    auto s = read_all(Reader::Role::Server, server_side, step);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].op, Opcode::Text);
    EXPECT_EQ(s[0].payload, "Hello");
    EXPECT_EQ(s[1].op, Opcode::Pong);
    EXPECT_EQ(s[1].payload, "Hello");
    auto c = read_all(Reader::Role::Client, client_side, step);
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[0].op, Opcode::Ping);  // a control frame may come between a message's fragments
    EXPECT_EQ(c[1].op, Opcode::Text);
    EXPECT_EQ(c[1].payload, "Hello");
    EXPECT_EQ(c[2].op, Opcode::Binary);
    EXPECT_EQ(c[2].payload, std::string(256, 'b'));
  }
}

TEST(WebSocket, WhatOneSideWritesTheOtherReads) {
  std::string wire;
  const std::string big(70'000, 'z');
  append_frame(wire, Opcode::Text, "{\"id\":1}", Mask{1, 2, 3, 4});
  append_frame(wire, Opcode::Binary, big, Mask{9, 8, 7, 6});
  append_frame(wire, Opcode::Close, close_payload(kNormalClosure, "done"), Mask{0, 0, 0, 1});
  auto got = read_all(Reader::Role::Server, wire, 4096);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].payload, "{\"id\":1}");
  EXPECT_EQ(got[1].payload, big);
  EXPECT_EQ(got[2].op, Opcode::Close);
  EXPECT_EQ(got[2].payload, close_payload(kNormalClosure, "done"));
}

TEST(WebSocket, ViolationsNameTheProblemAndTheCloseCode) {
  auto masked = [](Opcode op, std::string_view payload) {
    std::string out;
    append_frame(out, op, payload, kRfcMask);
    return out;
  };
  auto [unmasked, c1] = violation(Reader::Role::Server, bytes({0x81, 0x01, 'a'}));
  EXPECT_EQ(c1, kProtocolError);
  EXPECT_NE(unmasked.find("unmasked"), std::string::npos) << unmasked;
  EXPECT_EQ(violation(Reader::Role::Client, masked(Opcode::Text, "a")).second, kProtocolError);

  std::string rsv = masked(Opcode::Text, "a");
  rsv[0] = static_cast<char>(rsv[0] | 0x40);
  EXPECT_NE(violation(Reader::Role::Server, rsv).first.find("reserved bit"), std::string::npos);
  std::string opcode = masked(Opcode::Text, "a");
  opcode[0] = static_cast<char>(0x83);
  EXPECT_NE(violation(Reader::Role::Server, opcode).first.find("unknown opcode 3"), std::string::npos);

  std::string long_ping = masked(Opcode::Ping, std::string(126, 'p'));
  EXPECT_EQ(violation(Reader::Role::Server, long_ping).second, kProtocolError);
  std::string split_ping = masked(Opcode::Ping, "p");
  split_ping[0] = static_cast<char>(0x09);  // FIN clear
  EXPECT_NE(violation(Reader::Role::Server, split_ping).first.find("control frame"), std::string::npos);

  std::string orphan = masked(Opcode::Text, "a");
  orphan[0] = static_cast<char>(0x80);  // a final continuation frame, nothing begun
  EXPECT_NE(violation(Reader::Role::Server, orphan).first.find("continuation"), std::string::npos);
  std::string first = masked(Opcode::Text, "a");
  first[0] = static_cast<char>(0x01);  // a text fragment, then a new text message
  EXPECT_NE(violation(Reader::Role::Server, first + masked(Opcode::Text, "b")).first.find("before the fragmented one ended"),
            std::string::npos);

  auto [big, c2] = violation(Reader::Role::Server, masked(Opcode::Text, std::string(101, 'x')), 100);
  EXPECT_EQ(c2, kMessageTooBig);
  EXPECT_NE(big.find("longer than 100 bytes"), std::string::npos);
  // Announced, not sent: refused from the header alone, nothing buffered for it.
  EXPECT_EQ(violation(Reader::Role::Server, bytes({0x82, 0xFF, 0, 0, 0, 1, 0, 0, 0, 0}), 1 << 20).second, kMessageTooBig);
  EXPECT_EQ(violation(Reader::Role::Server, bytes({0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0})).second, kProtocolError);

  EXPECT_EQ(violation(Reader::Role::Server, masked(Opcode::Text, "\xC3(")).second, kInvalidPayload);
  EXPECT_EQ(violation(Reader::Role::Server, masked(Opcode::Binary, "\xC3(")).second, 0);  // binary is any bytes
  EXPECT_EQ(violation(Reader::Role::Server, masked(Opcode::Close, "x")).second, kProtocolError);

  Reader r(Reader::Role::Server, 100);
  r.feed(bytes({0x81, 0x01, 'a'}));
  EXPECT_FALSE(r.next().ok());
  r.feed(masked(Opcode::Text, "fine"));
  EXPECT_FALSE(r.next().ok()) << "nothing is read after a violation";
}

}  // namespace
}  // namespace tb::net::ws
