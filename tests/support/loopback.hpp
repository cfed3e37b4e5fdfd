#pragma once
// The same scripted far side as harness.hpp, but over a real HTTP connection on 127.0.0.1: the handler
// runs behind net::HttpServer on its own thread, and requests go through net::HttpClient. Use it where the
// bytes on the wire matter (framing, headers, keep-alive, errors of a real transport).
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "support/harness.hpp"

namespace tb::test {

// A task on a fresh io_context: test::run (harness.hpp) under the name the net tests use.
template <typename T>
T run_fresh(net::Task<T> task) {
  return run(std::move(task));
}

// An io_context run by its own thread until destruction.
class IoThread {
 public:
  IoThread();
  ~IoThread();
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;
  boost::asio::io_context& io() { return io_; }
  void stop();  // stops and joins; io objects on it may then be destroyed from this thread

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

// A Handler served on 127.0.0.1:<free port>. HttpRequest.url is the target ("/path?query"); the peer is in
// the X-Peer-Addr header. A handler's Error makes the server hang up without answering, which the client
// reports as a NetworkError with outcome_unknown (GET/HEAD on a reused connection are retried once first).
class LoopbackServer {
 public:
  explicit LoopbackServer(Handler handler, net::HttpServerOptions options = {});
  ~LoopbackServer();

  std::string base_url() const;  // "http://127.0.0.1:PORT", or https:// with TLS options
  uint16_t port() const { return server_->port(); }
  size_t connections_accepted() const { return server_->connections_accepted(); }
  std::vector<net::HttpRequest> requests() const;  // as received, in order
  void set_handler(Handler h);

 private:
  net::HttpResponse answer(const net::HttpRequest& request);

  mutable std::mutex mu_;
  Handler handler_;
  std::vector<net::HttpRequest> requests_;
  bool tls_ = false;
  IoThread thread_;
  std::unique_ptr<net::HttpServer> server_;
};

// A real HttpClient whose sockets live on their own thread, so it can be awaited from any io_context
// (run_fresh, or a venue's own coroutine).
struct LoopbackClient {
  explicit LoopbackClient(net::HttpClientOptions options = {}) : client(thread.io(), std::move(options)) {}
  IoThread thread;
  net::HttpClient client;
};

// VenueHarness over the wire: point the venue's VenueConfig::base_url at base_url().
struct LoopbackVenueHarness {
  explicit LoopbackVenueHarness(Handler h) : server(std::move(h)) {}
  ManualClock clock{1'700'000'000'000};
  InstantSleeper sleeper{clock};
  venues::NonceSource nonces{clock};
  LoopbackServer server;
  LoopbackClient client;
  std::string base_url() const { return server.base_url(); }
  venues::VenueContext context() { return {&client.client, &sleeper, &clock, &nonces}; }
};

}  // namespace tb::test
