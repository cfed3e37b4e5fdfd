#pragma once
// A server's side of a WebSocket connection on HttpServer. accept_websocket() answers the opening handshake
// (RFC 6455 §4.2) with a 101 whose stream is a WsSession. The session reads the client's frames, hands each
// text message to its handler and sends the answer back as a text frame, answers pings, and closes as the
// RFC asks: a client's Close is echoed, a violation gets a Close with its code. The answers to everything one
// read brought go out in one write.
#include <utility>  // before Asio's headers: Boost 1.74 misses it

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "net/response_stream.hpp"
#include "net/transport.hpp"
#include "net/websocket.hpp"

namespace tb::net {

class WsSession : public QueueStream {
 public:
  // The answer to one text message, sent as a text frame; empty: no answer.
  using OnText = std::function<std::string(std::string_view text)>;
  WsSession(boost::asio::any_io_executor executor, size_t max_message_bytes, OnText on_text);
  bool received(std::string_view bytes) override;

 private:
  ws::Reader reader_;
  OnText on_text_;
  bool closing_ = false;  // our Close is queued: nothing more is read
};

// The 101 for a valid opening handshake (GET, `Upgrade: websocket`, `Connection: Upgrade`, version 13 and a
// key), streaming `session`; otherwise a 400, or a 426 naming version 13, whose text says what is wrong.
HttpResponse accept_websocket(const HttpRequest& request, std::shared_ptr<ResponseStream> session);

}  // namespace tb::net
