#pragma once
// A blocking client socket for exact bytes whose every read gives up after a deadline: the streaming and
// WebSocket tests see what the server wrote, byte for byte.
#include <utility>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <functional>
#include <string>

namespace tb::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A client socket for exact bytes whose every read gives up after a deadline.
class RawClient {
 public:
  explicit RawClient(uint16_t port, int receive_buffer = 0) : socket_(io_) {
    socket_.open(tcp::v4());
    if (receive_buffer > 0) socket_.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
    socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  void send(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }
  void request_events(const std::string& method = "GET") {
    send(method + " /events HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n");
  }
  // Reads until what was received contains `needle`; false on timeout or when the server closed first.
  bool read_until(const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    size_t from = 0;  // only the new bytes (and a needle's length before them) are searched again
    return read_while(
        [&] {
          bool found = received_.find(needle, from) != std::string::npos;
          from = received_.size() >= needle.size() ? received_.size() - needle.size() : 0;
          return !found;
        },
        timeout);
  }
  // Reads until at least `size` bytes were received in all; false on timeout or close first.
  bool read_at_least(size_t size, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    return read_while([&] { return received_.size() < size; }, timeout);
  }
  // Reads until the server closes the connection; false on timeout.
  bool read_until_closed(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    read_while([] { return true; }, timeout);
    return closed_;
  }
  const std::string& received() const { return received_; }
  std::string head() const { return received_.substr(0, received_.find("\r\n\r\n") + 4); }
  std::string body() const {
    auto end = received_.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : received_.substr(end + 4);
  }
  bool closed() const { return closed_; }
  void hang_up() {
    boost::system::error_code ec;
    socket_.close(ec);
  }

 private:
  // Reads while keep_going() holds and the connection is open; returns !keep_going().
  bool read_while(const std::function<bool()>& keep_going, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (keep_going() && !closed_) {
      bool completed = false;
      socket_.async_read_some(asio::buffer(chunk_), [&](boost::system::error_code ec, size_t n) {
        completed = true;
        received_.append(chunk_.data(), n);
        if (ec && ec != asio::error::operation_aborted) closed_ = true;
      });
      io_.restart();
      io_.run_until(deadline);
      if (!completed) {
        socket_.cancel();
        io_.restart();
        io_.run();
        break;
      }
    }
    return !keep_going();
  }

  asio::io_context io_;
  tcp::socket socket_;
  std::array<char, 16384> chunk_{};
  std::string received_;
  bool closed_ = false;
};

}  // namespace tb::test
