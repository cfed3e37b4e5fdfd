#include "net/websocket_session.hpp"

#include <algorithm>
#include <cctype>

#include "net/http.hpp"

namespace tb::net {

namespace {

// A connection sending faster than it reads its answers is closed rather than buffered without end.
constexpr size_t kMaxQueuedWrites = 10'000;

// Whether a comma-separated header value holds `token`, ignoring case and spaces (`keep-alive, Upgrade`).
bool has_token(const std::string* value, std::string_view token) {
  if (!value) return false;
  std::string_view rest = *value;
  while (!rest.empty()) {
    const size_t comma = std::min(rest.find(','), rest.size());
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) item.remove_prefix(1);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) item.remove_suffix(1);
    if (iequals(item, token)) return true;
    rest.remove_prefix(std::min(comma + 1, rest.size()));
  }
  return false;
}

HttpResponse refuse(int status, std::string why) {
  HttpResponse r;
  r.status = status;
  r.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
  r.body = "WebSocket handshake refused: " + why + "\n";
  return r;
}

}  // namespace

WsSession::WsSession(boost::asio::any_io_executor executor, size_t max_message_bytes, OnText on_text)
    : QueueStream(std::move(executor), std::chrono::milliseconds(0), kMaxQueuedWrites),
      reader_(ws::Reader::Role::Server, max_message_bytes),
      on_text_(std::move(on_text)) {}

bool WsSession::received(std::string_view bytes) {
  if (closing_) return true;  // the close handshake is under way: the server ends the connection after our Close
  reader_.feed(bytes);
  std::string out;
  while (!closing_) {
    auto m = reader_.next();
    if (!m.ok()) {
      ws::append_frame(out, ws::Opcode::Close, ws::close_payload(reader_.close_code(), m.error().message));
      closing_ = true;
      break;
    }
    if (!*m) break;
    ws::Message& msg = **m;
    switch (msg.op) {
      case ws::Opcode::Text:
        if (std::string answer = on_text_(msg.payload); !answer.empty()) ws::append_frame(out, ws::Opcode::Text, answer);
        break;
      case ws::Opcode::Ping: ws::append_frame(out, ws::Opcode::Pong, msg.payload); break;
      case ws::Opcode::Close:  // echo its code (§5.5.1)
        ws::append_frame(out, ws::Opcode::Close, std::string_view(msg.payload).substr(0, 2));
        closing_ = true;
        break;
      case ws::Opcode::Binary:
        ws::append_frame(out, ws::Opcode::Close, ws::close_payload(ws::kUnsupportedData, "only text messages are understood"));
        closing_ = true;
        break;
      default: break;  // a pong: nothing to do
    }
  }
  if (!out.empty()) push(std::move(out));
  if (closing_) finish();
  return true;
}

HttpResponse accept_websocket(const HttpRequest& request, std::shared_ptr<ResponseStream> session) {
  if (request.method != "GET") return refuse(400, "the method must be GET, not " + request.method.substr(0, 20));
  if (!has_token(request.header("Upgrade"), "websocket")) return refuse(400, "no 'Upgrade: websocket' header");
  if (!has_token(request.header("Connection"), "upgrade")) return refuse(400, "no 'Connection: Upgrade' header");
  const std::string* version = request.header("Sec-WebSocket-Version");
  if (!version || *version != "13") {
    HttpResponse r = refuse(426, "only version 13 is spoken");
    r.headers.push_back({"Sec-WebSocket-Version", "13"});
    return r;
  }
  // The key is 16 random bytes in base64: 24 characters ending in "==" (§4.1).
  const std::string* key = request.header("Sec-WebSocket-Key");
  if (!key || key->size() != 24 || !key->ends_with("==")) return refuse(400, "no valid Sec-WebSocket-Key header");
  HttpResponse r;
  r.status = 101;
  r.headers = {{"Upgrade", "websocket"}, {"Sec-WebSocket-Accept", ws::accept_key(*key)}};
  r.stream = std::move(session);
  return r;
}

}  // namespace tb::net
