#pragma once
// The real HTTP/1.1 client behind HttpTransport: HTTPS with certificate and host-name checks, a keep-alive
// pool per origin, an optional HTTP CONNECT proxy, timeouts, a response size limit. Asio/Beast stay in the
// .cpp so that including this header costs no more than transport.hpp.
#include <utility>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "net/transport.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace tb::net {

struct HttpClientOptions {
  // "http://host:port": every request goes through a CONNECT tunnel there. Empty: connect directly.
  std::string proxy;
  bool verify_tls = true;                 // off only for experiments, never for a real venue
  std::string ca_dir = "/etc/ssl/certs";  // the system CA store; empty: none
  std::string extra_ca_file;              // PEM CA certificates trusted in addition (tests, private CAs)
  size_t max_idle_per_origin = 8;         // idle keep-alive connections kept per scheme://host:port
  // Requests in flight per origin (0: no cap); more wait their turn and reuse the connections freed, so a
  // fan-out of thousands opens a few hundred connections, not one each.
  size_t max_per_origin = 0;
  std::chrono::milliseconds idle_timeout{30'000};  // an idle connection older than this is not reused
  // An idle connection used longer ago than this is checked for a close by the server before it is reused
  // (a system call); one used more recently is taken as it is: servers close idle ones after seconds.
  std::chrono::milliseconds check_idle_after{1'000};
  std::string user_agent = "tradebridge/0.1";
};

// Sockets and timers live on the io_context given. send() may be awaited from a coroutine on that context
// (the usual case: one thread, many requests in flight) or from another executor while some thread runs the
// client's context; the work then hops onto it. Never throws out of send(): every failure is an Error.
class HttpClient final : public HttpTransport {
 public:
  explicit HttpClient(boost::asio::io_context& io, HttpClientOptions options = {});
  ~HttpClient() override;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Task<Result<HttpResponse>> send(HttpRequest request, RequestOptions options) override;
  using HttpTransport::send;

  size_t connections_opened() const;  // TCP connections made so far (the pool's effect is visible here)
  size_t idle_connections() const;
  void close_idle();  // drops every pooled connection

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;  // shared with requests in flight, which may outlive the client object
};

}  // namespace tb::net
