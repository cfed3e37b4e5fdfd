#pragma once
// WebSocket (RFC 6455) framing and the opening handshake's key, without any I/O: the exchange simulator
// serves venues' WebSocket APIs with it, over HttpServer's upgraded connections. No extension is ever
// negotiated, so a frame with a reserved bit set is a protocol error.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace tb::net::ws {

enum class Opcode : uint8_t { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

// Close codes of RFC 6455 §7.4.1 this side sends.
inline constexpr uint16_t kNormalClosure = 1000;
inline constexpr uint16_t kProtocolError = 1002;
inline constexpr uint16_t kUnsupportedData = 1003;  // a binary message where only text is understood
inline constexpr uint16_t kInvalidPayload = 1007;   // a text message that is not UTF-8
inline constexpr uint16_t kMessageTooBig = 1009;

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key (§4.2.2): base64(SHA-1(key + the RFC's GUID)).
std::string accept_key(std::string_view key);

using Mask = std::array<uint8_t, 4>;

// Appends one whole frame (FIN set). A client masks every frame it sends (§5.3), a server never does.
void append_frame(std::string& out, Opcode op, std::string_view payload, const std::optional<Mask>& mask = std::nullopt);
// A Close frame's payload: the code, then a reason of at most 123 bytes (cut to fit).
std::string close_payload(uint16_t code, std::string_view reason);

// A whole message: text or binary (fragments joined), or a control frame (Close, Ping, Pong).
struct Message {
  Opcode op = Opcode::Text;
  std::string payload;
};

// Cuts the bytes received into messages. A server's reader requires masked frames and a client's refuses
// them (§5.1). On a violation next() returns the error and close_code() says what to close with; the
// reader yields nothing more after it.
class Reader {
 public:
  enum class Role { Server, Client };
  Reader(Role role, size_t max_message_bytes) : role_(role), max_message_(max_message_bytes) {}

  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next whole message, or nullopt until more bytes come.
  Result<std::optional<Message>> next();
  uint16_t close_code() const { return close_code_; }

 private:
  struct Head {
    bool fin = false, masked = false;
    uint8_t op = 0;
    uint64_t len = 0;  // the payload's
    size_t size = 0;   // the head's, mask included
    Mask mask{};
  };
  // The frame head at the front of `b` once it is all there; a violation sets close_code_.
  Result<std::optional<Head>> head(std::string_view b);
  Result<std::optional<Message>> fail(uint16_t code, std::string message);

  Role role_;
  size_t max_message_;
  std::string buffer_;
  size_t pos_ = 0;       // the first byte not yet taken from buffer_
  std::string partial_;  // a fragmented message so far
  Opcode partial_op_{};  // its opcode, while one is open
  bool in_fragments_ = false;
  uint16_t close_code_ = 0;
};

}  // namespace tb::net::ws
