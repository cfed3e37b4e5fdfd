#pragma once
// A small HTTP/1.1 server for the REST API (`serve`) and the exchange simulator (`exsim`): keep-alive,
// limits on request size and idle time, optional TLS, clean start/stop. Asio/Beast stay in the .cpp.
//
// The handler sees HttpRequest.url as the request target ("/fapi/v1/order?symbol=X") and the peer's
// address in the header `X-Peer-Addr: 127.0.0.1:54321` (any such header sent by the client is dropped
// first, so it cannot be forged). Behind a reverse proxy listed in trusted_proxies, X-Peer-Addr is the client
// the proxy names in X-Forwarded-For (net/forwarded.hpp) with port 0; from any other peer the X-Forwarded-*
// and Forwarded headers are dropped, so no handler can be fooled by them.
//
// Framing two parties could read differently is refused with 400 and the connection closed (RFC 9112
// §6.3, request smuggling): a Transfer-Encoding other than exactly `chunked`, Transfer-Encoding twice or
// with Content-Length, Host more than once, and an HTTP/1.1 request without Host. The server computes Content-Length and Connection itself.
// A response with status 0 closes the connection without an answer: simulators use it to play a lost answer.
//
// A response with `stream` set (net/response_stream.hpp) is streamed: its head goes out with no
// Content-Length and `Connection: close`, then `body`, then each chunk of the stream until the stream ends,
// a write fails or times out (write_timeout, per write), the client hangs up, or stop(); the idle timeout
// does not apply. The server then calls the stream's close() and closes the connection. A client hang-up is
// noticed while the stream waits (a read runs alongside; a client that half-closes its side counts as gone).
#include <utility>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "net/transport.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace tb::net {

inline constexpr const char* kPeerAddrHeader = "X-Peer-Addr";

struct HttpServerOptions {
  std::string address = "127.0.0.1";               // "0.0.0.0" or "::" to listen on every interface
  uint16_t port = 0;                               // 0: the system picks a free port; port() tells which
  size_t max_request_bytes = 1024 * 1024;          // body; larger requests get 413 and the connection closes
  size_t max_header_bytes = 16 * 1024;             // request line and headers; larger get 431
  std::chrono::milliseconds idle_timeout{30'000};  // waiting for (and reading) the next request on a connection
  std::chrono::milliseconds write_timeout{30'000};
  size_t max_connections = 1024;             // further connections are closed at once
  size_t max_connections_per_ip = 0;         // open connections from one address; 0: no cap. Trusted
                                             // proxies are never capped: all clients come through them
  std::vector<std::string> trusted_proxies;  // addresses of TLS-terminating proxies (X-Forwarded-For)
  std::string tls_cert_file;                 // PEM certificate chain; with tls_key_file set, the server speaks HTTPS only
  std::string tls_key_file;                  // PEM private key
};

using AsyncHandler = std::function<Task<HttpResponse>(HttpRequest)>;
using SyncHandler = std::function<HttpResponse(const HttpRequest&)>;

class HttpServer {
 public:
  // Connections run on strands of io, so io may be run by one thread or several.
  HttpServer(boost::asio::io_context& io, HttpServerOptions options, AsyncHandler handler);
  HttpServer(boost::asio::io_context& io, HttpServerOptions options, SyncHandler handler);
  ~HttpServer();  // stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts accepting. Errors (port taken, bad TLS files) come back, nothing is thrown.
  Status start();
  // Stops accepting and closes every connection; requests being handled finish without being answered, and
  // every open stream is closed (ResponseStream::close()).
  // Safe from any thread; connections are closed on their own strands.
  void stop();

  uint16_t port() const;                // the bound port, after start()
  size_t connections_accepted() const;  // since start, for tests and metrics
  size_t open_connections() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace tb::net
