#pragma once
// How the HTTP client (and the WebSocket client) reach an origin: DNS under a deadline, TCP, the proxy's
// CONNECT tunnel, then TLS with SNI and the certificate checked for the host; and the connection that comes
// of it. Inside tb_net only: Beast and Asio's SSL come with it.
#include <utility>  // before Asio's headers: Boost 1.74 misses it

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/deadline_watch.hpp"
#include "net/http.hpp"
#include "net/http_client.hpp"
#include "net/transport.hpp"

namespace tb::net {

// Beast reads at most the buffer's spare room (512 bytes at first): room for a venue's usual answer (its
// headers and an order, about 1 KB) takes it in one read, not two.
constexpr size_t kReadRoom = 4096;

// The socket's executor is the io_context's own, not the type-erased any_io_executor: every read and write
// copies, asks and destroys it a few times, which through the erasure is a call each.
using TcpSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

struct Conn : DeadlineWatch::Entry {
  explicit Conn(boost::asio::io_context& io) {
    plain.emplace(io.get_executor());
    buffer.reserve(kReadRoom);
  }
  std::optional<TcpSocket> plain;                          // until TLS takes the socket over
  std::optional<boost::beast::ssl_stream<TcpSocket>> tls;  // https
  boost::beast::flat_buffer buffer;
  bool reused = false;
  std::chrono::steady_clock::time_point idle_since;

  TcpSocket& lowest() { return tls ? boost::beast::get_lowest_layer(*tls) : *plain; }

 protected:
  void expire() override {  // late: its reads and writes end with an error, read as a timeout
    boost::system::error_code ignored;
    lowest().close(ignored);
  }
};
using ConnPtr = std::shared_ptr<Conn>;

// A failure on the way to or on a connection; outcome_unknown when a request may have reached the server.
Error network_error(std::string message, bool outcome_unknown);
std::string ms_text(std::chrono::milliseconds d);               // "250 ms"
std::string authority(const std::string& host, uint16_t port);  // host:port, an IPv6 host in brackets

class Dialer {
 public:
  Dialer(boost::asio::io_context& io, const HttpClientOptions& options);
  Dialer(const Dialer&) = delete;
  Dialer& operator=(const Dialer&) = delete;

  // A bad proxy URL or CA file: every request fails with it.
  const std::optional<Error>& setup_error() const { return setup_error_; }
  size_t opened() const { return opened_.load(); }  // TCP connections made so far
  // Every exchange's and opening's deadline: on expiry a connection's socket is closed.
  DeadlineWatch& deadlines() { return *deadlines_; }

  // TCP (through the proxy's tunnel when there is one), then TLS for https. Nothing of a request is
  // written here, so every failure leaves the outcome known.
  Task<Result<ConnPtr>> open(const Url& url, std::chrono::milliseconds connect_timeout);

 private:
  using tcp = boost::asio::ip::tcp;
  using SteadyClock = std::chrono::steady_clock;
  Task<Result<std::vector<tcp::endpoint>>> resolve(const std::string& host, uint16_t port, SteadyClock::time_point deadline,
                                                   std::chrono::milliseconds timeout);
  Task<Status> connect_tunnel(Conn& conn, const Url& url, const std::string& proxy_where, std::chrono::milliseconds timeout);
  Task<Status> handshake(const ConnPtr& conn, const Url& url, std::chrono::milliseconds timeout);

  boost::asio::io_context& io_;
  const HttpClientOptions& options_;
  std::shared_ptr<DeadlineWatch> deadlines_;
  boost::asio::ssl::context ssl_ctx_{boost::asio::ssl::context::tls_client};
  std::optional<Url> proxy_;
  std::optional<Error> setup_error_;
  std::atomic<size_t> opened_{0};
};

}  // namespace tb::net
