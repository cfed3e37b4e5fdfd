#pragma once
// Helpers for the net tests: run a task on a given io_context, and a raw TCP server on its own thread for
// peers that misbehave (never answer, hang up mid-response, act as a CONNECT proxy).
#include <utility>

#include <array>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/loopback.hpp"

namespace tb::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Accepts on 127.0.0.1:<free port> and runs `session` for each connection on the server's own thread.
class RawServer {
 public:
  using Session = std::function<net::Task<void>(tcp::socket)>;
  explicit RawServer(Session session) : session_(std::move(session)), acceptor_(thread_.io()) {
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(thread_.io(), accept_loop(), asio::detached);
  }
  ~RawServer() { thread_.stop(); }
  uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  int accepted() const { return accepted_; }

 private:
  net::Task<void> accept_loop() {
    for (;;) {
      boost::system::error_code ec;
      tcp::socket s = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      ++accepted_;
      asio::co_spawn(thread_.io(), session_(std::move(s)), asio::detached);
    }
  }

  Session session_;
  IoThread thread_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<int> accepted_{0};
};

// Reads one request head ("...\r\n\r\n"); returns it, or "" when the peer closed first.
inline net::Task<std::string> read_head(tcp::socket& s, std::string& buffer) {
  boost::system::error_code ec;
  size_t n = co_await asio::async_read_until(s, asio::dynamic_buffer(buffer), "\r\n\r\n", asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return std::string();
  std::string head = buffer.substr(0, n);
  buffer.erase(0, n);
  co_return head;
}

inline net::Task<void> write_all(tcp::socket& s, std::string data) {
  boost::system::error_code ec;
  co_await asio::async_write(s, asio::buffer(data), asio::redirect_error(asio::use_awaitable, ec));
}

// A tiny HTTP CONNECT proxy: logs each request line, refuses with 403 when told to, else pipes bytes both ways.
struct ConnectProxy {
  struct State {
    std::mutex mu;
    std::vector<std::string> request_lines;
    bool refuse = false;
  };
  explicit ConnectProxy(bool refuse = false)
      : state(std::make_shared<State>()), server([st = state](tcp::socket s) { return session(st, std::move(s)); }) {
    state->refuse = refuse;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server.port()); }
  std::vector<std::string> request_lines() const {
    std::lock_guard lock(state->mu);
    return state->request_lines;
  }

  std::shared_ptr<State> state;
  RawServer server;

 private:
  static net::Task<void> pipe(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
    std::array<char, 16384> chunk;
    for (;;) {
      boost::system::error_code ec;
      size_t n = co_await from->async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      co_await asio::async_write(*to, asio::buffer(chunk.data(), n), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
    boost::system::error_code ignored;
    to->shutdown(tcp::socket::shutdown_send, ignored);
  }

  static net::Task<void> session(std::shared_ptr<State> st, tcp::socket socket) {
    auto client = std::make_shared<tcp::socket>(std::move(socket));
    std::string buf;
    std::string head = co_await read_head(*client, buf);
    std::string line = head.substr(0, head.find("\r\n"));
    bool refuse;
    {
      std::lock_guard lock(st->mu);
      st->request_lines.push_back(line);
      refuse = st->refuse;
    }
    if (refuse || line.rfind("CONNECT ", 0) != 0) {
      co_await write_all(*client, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
      co_return;
    }
    std::string target = line.substr(8, line.find(' ', 8) - 8);
    auto colon = target.rfind(':');
    auto ex = co_await asio::this_coro::executor;
    tcp::resolver resolver(ex);
    boost::system::error_code ec;
    auto endpoints =
        co_await resolver.async_resolve(target.substr(0, colon), target.substr(colon + 1), asio::redirect_error(asio::use_awaitable, ec));
    auto upstream = std::make_shared<tcp::socket>(ex);
    if (!ec) co_await asio::async_connect(*upstream, endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      co_await write_all(*client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
      co_return;
    }
    co_await write_all(*client, "HTTP/1.1 200 Connection established\r\n\r\n");
    asio::co_spawn(ex, pipe(upstream, client), asio::detached);
    co_await pipe(client, upstream);
  }
};

}  // namespace tb::test
