#include "net/websocket.hpp"

#include <openssl/evp.h>

#include <algorithm>

#include "net/utf8.hpp"

namespace tb::net::ws {

namespace {

constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr size_t kMaxControlPayload = 125;

void apply_mask(char* p, size_t n, const Mask& m) {
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<char>(static_cast<uint8_t>(p[i]) ^ m[i & 3]);
}

bool known(uint8_t op) { return op <= 0x2 || (op >= 0x8 && op <= 0xA); }

}  // namespace

std::string accept_key(std::string_view key) {
  std::string text(key);
  text.append(kGuid);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha1(), nullptr);
  std::string out(4 * ((size + 2) / 3), '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest, static_cast<int>(size));
  return out;
}

void append_frame(std::string& out, Opcode op, std::string_view payload, const std::optional<Mask>& mask) {
  const uint8_t mask_bit = mask ? 0x80 : 0;
  const uint64_t n = payload.size();
  out.push_back(static_cast<char>(0x80 | static_cast<uint8_t>(op)));
  if (n < 126) {
    out.push_back(static_cast<char>(mask_bit | n));
  } else if (n <= 0xFFFF) {
    out.push_back(static_cast<char>(mask_bit | 126));
    for (int shift = 8; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xFF));
  } else {
    out.push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xFF));
  }
  if (mask) out.append(reinterpret_cast<const char*>(mask->data()), mask->size());
  const size_t at = out.size();
  out.append(payload);
  if (mask) apply_mask(out.data() + at, payload.size(), *mask);
}

std::string close_payload(uint16_t code, std::string_view reason) {
  std::string out{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
  out.append(reason.substr(0, kMaxControlPayload - 2));
  return out;
}

Result<std::optional<Message>> Reader::fail(uint16_t code, std::string message) {
  close_code_ = code;
  buffer_.clear();
  partial_.clear();
  return Error::make(ErrorKind::BadResponse, std::move(message));
}

Result<std::optional<Reader::Head>> Reader::head(std::string_view b) {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(b[i]); };
  if (b.size() < 2) return std::optional<Head>();
  Head h;
  h.fin = byte(0) & 0x80;
  h.op = byte(0) & 0x0F;
  h.masked = byte(1) & 0x80;
  const bool control = h.op & 0x8;
  auto refuse = [&](uint16_t code, std::string why) -> Result<std::optional<Head>> {
    close_code_ = code;
    return Error::make(ErrorKind::BadResponse, std::move(why));
  };
  if (byte(0) & 0x70) return refuse(kProtocolError, "a frame with a reserved bit set (no extension was agreed)");
  if (!known(h.op)) return refuse(kProtocolError, "a frame with the unknown opcode " + std::to_string(h.op));
  if (role_ == Role::Server && !h.masked) return refuse(kProtocolError, "an unmasked frame from a client");
  if (role_ == Role::Client && h.masked) return refuse(kProtocolError, "a masked frame from a server");
  h.len = byte(1) & 0x7F;
  h.size = 2;
  if (h.len == 126) {
    if (b.size() < 4) return std::optional<Head>();
    h.len = (uint64_t{byte(2)} << 8) | byte(3);
    h.size = 4;
  } else if (h.len == 127) {
    if (b.size() < 10) return std::optional<Head>();
    h.len = 0;
    for (size_t i = 2; i < 10; ++i) h.len = (h.len << 8) | byte(i);
    h.size = 10;
    if (h.len >> 63) return refuse(kProtocolError, "a frame length with its most significant bit set");
  }
  if (control && (h.len > kMaxControlPayload || !h.fin))
    return refuse(kProtocolError, "a control frame fragmented or longer than 125 bytes");
  // Refused from the head alone: nothing is buffered for a message that could never be taken.
  if (!control && h.len > max_message_ - std::min(max_message_, partial_.size()))
    return refuse(kMessageTooBig, "a message longer than " + std::to_string(max_message_) + " bytes");
  if (h.masked) {
    if (b.size() < h.size + 4) return std::optional<Head>();
    for (size_t i = 0; i < 4; ++i) h.mask[i] = byte(h.size + i);
    h.size += 4;
  }
  return std::optional<Head>(h);
}

Result<std::optional<Message>> Reader::next() {
  if (close_code_) return Error::make(ErrorKind::BadResponse, "the WebSocket connection has already failed");
  for (;;) {
    std::string_view b(buffer_);
    b.remove_prefix(pos_);
    auto h = head(b);
    if (!h.ok()) return fail(close_code_, h.error().message);
    if (!*h || b.size() - (*h)->size < (*h)->len) {  // keeps what is left, at the front, until more comes
      buffer_.erase(0, pos_);
      pos_ = 0;
      return std::optional<Message>();
    }
    const Head& f = **h;
    std::string payload(b.substr(f.size, f.len));
    if (f.masked) apply_mask(payload.data(), payload.size(), f.mask);
    pos_ += f.size + f.len;

    if (f.op & 0x8) {
      if (f.op == static_cast<uint8_t>(Opcode::Close) && payload.size() == 1)
        return fail(kProtocolError, "a Close frame whose payload is a single byte");
      return std::optional<Message>(Message{static_cast<Opcode>(f.op), std::move(payload)});
    }
    if (f.op == static_cast<uint8_t>(Opcode::Continuation)) {
      if (!in_fragments_) return fail(kProtocolError, "a continuation frame with no message begun");
      partial_.append(payload);
    } else {
      if (in_fragments_) return fail(kProtocolError, "a new message before the fragmented one ended");
      partial_ = std::move(payload);
      partial_op_ = static_cast<Opcode>(f.op);
      in_fragments_ = true;
    }
    if (!f.fin) continue;
    in_fragments_ = false;
    Message m{partial_op_, std::move(partial_)};
    partial_.clear();
    if (m.op == Opcode::Text && !is_valid_utf8(m.payload)) return fail(kInvalidPayload, "a text message that is not UTF-8");
    return std::optional<Message>(std::move(m));
  }
}

}  // namespace tb::net::ws
