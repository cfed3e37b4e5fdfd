// exsim throughput: signed Binance USD-M create-order requests over keep-alive connections to an
// in-process simulator served by ONE thread (one core), from a client on another thread. Loopback only.
// Usage: exsim_bench [orders=60000] [connections=8] [ws WINDOW]. Prints one JSON line.
//
// With `ws WINDOW` the same orders go over Binance's WebSocket API (`/ws-fapi/v1`, order.place), each
// connection keeping WINDOW requests in flight: the requests that queued up are written together and the
// answers one read brings are taken together, as a client of that API can. Against the HTTP mode with as
// many requests in flight (connections × WINDOW = the HTTP mode's connections), the client's CPU per order
// compares the two transports' floors.
//
// Requests are signed before the clock starts (recvWindow 60 s), so the client costs little more than
// write and read. Orders are market orders alternating buy and sell per key, so positions stay small; keys
// are many because the venue's own limit is 300 orders per 10 s per account.
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cpu_time.hpp"
#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "exsim/server/simulator.hpp"
#include "exsim/venues.hpp"
#include "net/websocket.hpp"

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using tb::exsim::Simulator;

struct Counts {
  size_t ok = 0, other = 0;
};

std::string signed_order(const std::string& key, const std::string& secret, bool buy, int64_t now_ms) {
  std::string body = std::string("symbol=BTCUSDT&side=") + (buy ? "BUY" : "SELL") +
                     "&type=MARKET&quantity=0.002&recvWindow=60000&timestamp=" + std::to_string(now_ms);
  body += "&signature=" + tb::crypto::hex(tb::crypto::hmac_sha256(secret, body));
  return "POST /fapi/v1/order HTTP/1.1\r\nHost: 127.0.0.1\r\nX-MBX-APIKEY: " + key +
         "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// One keep-alive connection sending its requests one after another.
asio::awaitable<void> connection(uint16_t port, const std::vector<std::string>& requests, Counts& counts) {
  tcp::socket s(co_await asio::this_coro::executor);
  co_await s.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), asio::use_awaitable);
  s.set_option(tcp::no_delay(true));
  std::string buf;
  for (auto& wire : requests) {
    co_await asio::async_write(s, asio::buffer(wire), asio::use_awaitable);
    size_t head = co_await asio::async_read_until(s, asio::dynamic_buffer(buf), "\r\n\r\n", asio::use_awaitable);
    std::string_view h(buf.data(), head);
    size_t length = 0;
    for (auto name : {"Content-Length: ", "content-length: "})
      if (auto at = h.find(name); at != std::string_view::npos) length = std::strtoull(h.data() + at + std::strlen(name), nullptr, 10);
    bool ok = h.substr(9, 3) == "200";  // read before buf may grow below
    if (buf.size() < head + length)
      co_await asio::async_read(s, asio::dynamic_buffer(buf), asio::transfer_exactly(head + length - buf.size()), asio::use_awaitable);
    if (ok) {
      ++counts.ok;
    } else if (counts.other++ == 0) {
      std::cerr << "first refusal: " << buf.substr(0, head + length) << "\n";
    }
    buf.erase(0, head + length);
  }
}

// The same order as one WebSocket API request, framed (and masked) as a client sends it.
std::string ws_order(const std::string& key, const std::string& secret, bool buy, int64_t now_ms, size_t id) {
  // Signed over every param but the signature, sorted by name.
  std::string payload = "apiKey=" + key + "&quantity=0.002&recvWindow=60000&side=" + (buy ? "BUY" : "SELL") +
                        "&symbol=BTCUSDT&timestamp=" + std::to_string(now_ms) + "&type=MARKET";
  std::string sig = tb::crypto::hex(tb::crypto::hmac_sha256(secret, payload));
  std::string text = "{\"id\":" + std::to_string(id) + ",\"method\":\"order.place\",\"params\":{\"apiKey\":\"" + key +
                     "\",\"quantity\":\"0.002\",\"recvWindow\":60000,\"side\":\"" + (buy ? "BUY" : "SELL") +
                     "\",\"symbol\":\"BTCUSDT\",\"timestamp\":" + std::to_string(now_ms) + ",\"type\":\"MARKET\",\"signature\":\"" + sig +
                     "\"}}";
  std::string frame;
  tb::net::ws::append_frame(frame, tb::net::ws::Opcode::Text, text, tb::net::ws::Mask{0x5a, 0x17, 0xc3, 0x08});
  return frame;
}

// One WebSocket connection keeping `window` requests in flight.
asio::awaitable<void> ws_connection(uint16_t port, const std::vector<std::string>& frames, size_t window, Counts& counts) {
  tcp::socket s(co_await asio::this_coro::executor);
  co_await s.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), asio::use_awaitable);
  s.set_option(tcp::no_delay(true));
  std::string hello =
      "GET /ws-fapi/v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  co_await asio::async_write(s, asio::buffer(hello), asio::use_awaitable);
  std::string head;
  size_t n = co_await asio::async_read_until(s, asio::dynamic_buffer(head), "\r\n\r\n", asio::use_awaitable);
  if (!head.starts_with("HTTP/1.1 101")) throw std::runtime_error("no WebSocket: " + head.substr(0, n));
  tb::net::ws::Reader reader(tb::net::ws::Reader::Role::Client, 1 << 20);
  reader.feed(std::string_view(head).substr(n));
  std::string out;
  std::vector<char> in(64 * 1024);
  size_t sent = 0, answered = 0;
  while (answered < frames.size()) {
    out.clear();
    while (sent < frames.size() && sent - answered < window) out += frames[sent++];
    if (!out.empty()) co_await asio::async_write(s, asio::buffer(out), asio::use_awaitable);
    const size_t before = answered;
    for (;;) {  // the answers already read; a read only when there were none (the window has room again)
      auto m = reader.next();
      if (!m.ok()) throw std::runtime_error(m.error().message);
      if (!*m) break;
      ++answered;
      if ((*m)->payload.find("\"status\":200") != std::string::npos) ++counts.ok;
      else if (counts.other++ == 0) std::cerr << "first refusal: " << (*m)->payload << "\n";
    }
    if (answered > before) continue;
    const size_t got = co_await s.async_read_some(asio::buffer(in), asio::use_awaitable);
    reader.feed(std::string_view(in.data(), got));
  }
}

}  // namespace

int main(int argc, char** argv) {
  size_t orders = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 60'000;
  size_t conns = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 8;
  const bool ws = argc > 3 && std::string_view(argv[3]) == "ws";
  const size_t window = ws && argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1;
  if (orders == 0 || conns == 0 || window == 0) {
    std::cerr << "usage: exsim_bench [orders] [connections] [ws WINDOW]\n";
    return 2;
  }

  asio::io_context server_io;
  Simulator sim(server_io, {}, tb::SystemClock::instance(), tb::exsim::default_venue_sims);
  if (auto started = sim.start(); !started) {
    std::cerr << started.error().message << "\n";
    return 1;
  }
  // Keys: at most 250 orders each, under the venue's 300 per 10 s.
  size_t per_key = 250, n_keys = (orders + per_key - 1) / per_key;
  struct Key {
    std::string key, secret;
  };
  std::vector<Key> keys;
  for (size_t i = 0; i < n_keys; ++i) {
    tb::exsim::NewKey spec;
    spec.venue = "binance_futures";
    spec.permissions = {true, true, true, false};
    spec.balances["USDT"] = *tb::Decimal::parse("100000000");
    auto k = sim.exchange().create_key(spec);
    if (!k) {
      std::cerr << k.error().message << "\n";
      return 1;
    }
    keys.push_back({k->key, k->secret});
  }
  // Keys are dealt to connections whole, so each key's buys and sells alternate in order.
  int64_t now = tb::SystemClock::instance().now_ms();
  std::vector<std::vector<std::string>> per_conn(conns);
  for (size_t i = 0; i < orders; ++i) {
    size_t k = i / per_key;
    per_conn[k % conns].push_back(ws ? ws_order(keys[k].key, keys[k].secret, i % 2 == 0, now, i)
                                     : signed_order(keys[k].key, keys[k].secret, i % 2 == 0, now));
  }

  // The server thread's own CPU time: what one core spends per order, whatever else the machine runs.
  double server_cpu_seconds = 0;
  std::thread server([&] {
    const double cpu0 = tb::bench::cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
    server_io.run();
    server_cpu_seconds = tb::bench::cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - cpu0;
  });
  asio::io_context client_io;
  std::vector<Counts> counts(conns);
  auto t0 = std::chrono::steady_clock::now();
  // The client's own CPU: a bare keep-alive client's floor on loopback (beside order_send_bench's).
  const double client_cpu0 = tb::bench::cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
  auto rethrow = [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  };
  for (size_t c = 0; c < conns; ++c) {
    if (ws) asio::co_spawn(client_io, ws_connection(sim.port(), per_conn[c], window, counts[c]), rethrow);
    else asio::co_spawn(client_io, connection(sim.port(), per_conn[c], counts[c]), rethrow);
  }
  client_io.run();
  const double client_cpu_seconds = tb::bench::cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - client_cpu0;
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sim.stop();
  server_io.stop();
  server.join();

  Counts total;
  for (auto& c : counts) total.ok += c.ok, total.other += c.other;
  std::cout << nlohmann::json{{"benchmark",
                               ws ? "exsim binance_futures order.place (WebSocket API)" : "exsim binance_futures create-order"},
                              {"in_flight_per_connection", window},
                              {"orders", orders},
                              {"connections", conns},
                              {"server_threads", 1},
                              {"seconds", seconds},
                              {"orders_per_second", static_cast<int64_t>(static_cast<double>(orders) / seconds)},
                              {"server_cpu_us_per_order", server_cpu_seconds * 1e6 / static_cast<double>(orders)},
                              {"client_cpu_us_per_order", client_cpu_seconds * 1e6 / static_cast<double>(orders)},
                              {"orders_per_server_cpu_second", static_cast<int64_t>(static_cast<double>(orders) / server_cpu_seconds)},
                              {"answered_200", total.ok},
                              {"answered_other", total.other}}
                   .dump()
            << "\n";
  return total.other == 0 ? 0 : 1;
}
