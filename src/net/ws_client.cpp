#include "net/ws_client.hpp"

#include <openssl/evp.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

#include <deque>
#include <random>
#include <unordered_map>
#include <vector>

#include "net/dialer.hpp"
#include "net/websocket.hpp"

namespace tb::net {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

constexpr size_t kReadChunk = 64 * 1024;

struct Pending {
  explicit Pending(asio::io_context& io, SteadyClock::time_point deadline) : timer(io, deadline) {}
  asio::steady_timer timer;  // the deadline; cancelled when the answer (or the connection's end) comes
  std::optional<Result<std::string>> result;
  bool written = false;  // from here on a lost answer leaves the outcome unknown
};

// One connection and the calls on it. `generation` tells its loops apart from those of an earlier socket.
struct Link {
  explicit Link(size_t max_message) : reader(ws::Reader::Role::Client, max_message), max_message(max_message) {}
  ConnPtr conn;
  bool open = false, opening = false, writing = false;
  uint64_t generation = 0;
  std::optional<Error> open_error;
  std::deque<std::shared_ptr<asio::steady_timer>> waiting_open;  // calls waiting for the opening under way
  std::string out;                                               // frames queued for the next write
  std::vector<uint64_t> queued;                                  // their calls' ids
  std::unordered_map<uint64_t, Pending*> pending;
  ws::Reader reader;
  size_t max_message;
};

}  // namespace

struct WsClient::Impl : std::enable_shared_from_this<WsClient::Impl> {
  Impl(asio::io_context& io_, const HttpClientOptions& http, std::string url_text, IdOf id_of_, WsClientOptions options_)
      : io(io_), http_options(http), dialer(io, http_options), id_of(std::move(id_of_)), options(std::move(options_)) {
    std::string as_http = url_text;
    if (as_http.starts_with("ws://")) as_http.replace(0, 2, "http");
    else if (as_http.starts_with("wss://")) as_http.replace(0, 3, "https");
    else as_http.clear();
    url = parse_url(as_http);
    if (!url) setup_error = Error::make(ErrorKind::InvalidArgument, "not a ws:// or wss:// URL: '" + url_text.substr(0, 200) + "'");
    else where = authority(url->host, url->port);
    for (size_t i = 0; i < std::max<size_t>(1, options.connections); ++i)
      links.push_back(std::make_shared<Link>(options.max_message_bytes));
  }

  asio::io_context& io;
  HttpClientOptions http_options;
  Dialer dialer;
  IdOf id_of;
  WsClientOptions options;
  std::optional<Url> url;
  std::string where;
  std::optional<Error> setup_error;
  std::vector<std::shared_ptr<Link>> links;
  size_t turn = 0;
  uint64_t ids = 0;
  std::mt19937 masks{std::random_device{}()};

  ws::Mask mask() {
    const uint32_t r = static_cast<uint32_t>(masks());
    return {static_cast<uint8_t>(r), static_cast<uint8_t>(r >> 8), static_cast<uint8_t>(r >> 16), static_cast<uint8_t>(r >> 24)};
  }

  std::string new_key() {  // 16 random bytes in base64 (RFC 6455 §4.1)
    unsigned char raw[16];
    for (auto& b : raw) b = static_cast<unsigned char>(masks());
    std::string out(24, '\0');
    EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), raw, 16);
    return out;
  }

  // The connection is gone: every call on it ends now, known or unknown as far as its request went.
  void fail(Link& link, uint64_t generation, const std::string& why) {
    if (link.generation != generation || !link.open) return;
    link.open = false;
    ++link.generation;
    error_code ignored;
    if (link.conn) link.conn->lowest().close(ignored);
    link.conn.reset();
    for (auto& [id, p] : link.pending) {
      p->result = network_error(p->written ? "connection to " + where + " lost before the answer: " + why
                                           : "connection to " + where + " lost before the request was sent: " + why,
                                p->written);
      p->timer.cancel();
    }
    link.pending.clear();
    link.out.clear();
    link.queued.clear();
    link.writing = false;  // a write of the old socket may still be pending: its flush ends by the generation
    link.reader = ws::Reader(ws::Reader::Role::Client, link.max_message);
  }

  Task<Status> handshake(Conn& conn, std::chrono::milliseconds timeout) {
    const std::string key = new_key();
    std::string wire = "GET " + url->target + " HTTP/1.1\r\nHost: " + url->authority() +
                       "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
                       "\r\nSec-WebSocket-Version: 13\r\nUser-Agent: " + http_options.user_agent + "\r\n\r\n";
    DeadlineWatch::Scope watch(dialer.deadlines(), conn, SteadyClock::now() + timeout);
    error_code ec;
    http::response_parser<http::empty_body> reply;
    if (conn.tls) co_await asio::async_write(*conn.tls, asio::buffer(wire), asio::redirect_error(asio::use_awaitable, ec));
    else co_await asio::async_write(*conn.plain, asio::buffer(wire), asio::redirect_error(asio::use_awaitable, ec));
    if (!ec && conn.tls) co_await http::async_read_header(*conn.tls, conn.buffer, reply, asio::redirect_error(asio::use_awaitable, ec));
    else if (!ec) co_await http::async_read_header(*conn.plain, conn.buffer, reply, asio::redirect_error(asio::use_awaitable, ec));
    if (conn.timed_out()) co_return network_error("timeout after " + ms_text(timeout) + " opening a WebSocket to " + where, false);
    if (ec) co_return network_error("WebSocket handshake with " + where + " failed: " + ec.message(), false);
    const auto& head = reply.get();
    if (head.result_int() != 101)
      co_return network_error("WebSocket refused by " + where + ": HTTP " + std::to_string(head.result_int()), false);
    if (head[http::field::sec_websocket_accept] != ws::accept_key(key))
      co_return network_error("WebSocket handshake with " + where + ": wrong Sec-WebSocket-Accept", false);
    co_return ok_status();
  }

  // Opens the link, or waits for the opening another call began.
  Task<Status> ensure_open(std::shared_ptr<Link> link) {
    if (link->open) co_return ok_status();
    if (link->opening) {
      auto wake = std::make_shared<asio::steady_timer>(io, SteadyClock::time_point::max());
      link->waiting_open.push_back(wake);
      error_code ec;
      co_await wake->async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (link->open) co_return ok_status();
      co_return link->open_error.value_or(network_error("cannot open a WebSocket to " + where, false));
    }
    link->opening = true;
    Status st = ok_status();
    auto conn = co_await dialer.open(*url, options.connect_timeout);
    if (!conn) st = conn.error();
    if (st) st = co_await handshake(**conn, options.connect_timeout);
    link->opening = false;
    if (st) {
      link->conn = *conn;
      link->open = true;
      link->open_error.reset();
      auto& buffered = link->conn->buffer;  // frames that came with the handshake's answer
      link->reader.feed(std::string_view(static_cast<const char*>(buffered.data().data()), buffered.size()));
      buffered.consume(buffered.size());
      asio::co_spawn(io, read_loop(shared_from_this(), link, link->generation), asio::detached);
    } else {
      link->open_error = st.error();
    }
    for (auto& w : link->waiting_open) w->cancel();
    link->waiting_open.clear();
    co_return st;
  }

  static Task<void> read_loop(std::shared_ptr<Impl> self, std::shared_ptr<Link> link, uint64_t generation) {
    std::vector<char> in(kReadChunk);
    std::string why = "closed by the server";
    while (link->generation == generation && link->open) {
      error_code ec;
      size_t n = 0;
      if (link->conn->tls) n = co_await link->conn->tls->async_read_some(asio::buffer(in), asio::redirect_error(asio::use_awaitable, ec));
      else n = co_await link->conn->plain->async_read_some(asio::buffer(in), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        why = ec.message();
        break;
      }
      if (link->generation != generation) co_return;
      link->reader.feed(std::string_view(in.data(), n));
      if (!self->take_answers(link, generation, why)) break;
    }
    self->fail(*link, generation, why);
  }

  // The messages read: answers to their calls, a ping answered. False when the connection must end.
  bool take_answers(const std::shared_ptr<Link>& shared, uint64_t generation, std::string& why) {
    Link& link = *shared;
    for (;;) {
      auto m = link.reader.next();
      if (!m.ok()) {
        why = m.error().message;
        return false;
      }
      if (!*m) return true;
      ws::Message& msg = **m;
      if (msg.op == ws::Opcode::Close) return false;
      if (msg.op == ws::Opcode::Ping) {
        ws::append_frame(link.out, ws::Opcode::Pong, msg.payload, mask());
        start_flush(shared, generation);
        continue;
      }
      if (msg.op != ws::Opcode::Text) continue;
      auto id = id_of(msg.payload);
      if (!id) continue;
      auto it = link.pending.find(*id);
      if (it == link.pending.end()) continue;  // an answer after its call gave up
      it->second->result = std::move(msg.payload);
      it->second->timer.cancel();
      link.pending.erase(it);
    }
  }

  void start_flush(const std::shared_ptr<Link>& link, uint64_t generation) {
    if (link->writing || link->out.empty()) return;
    link->writing = true;
    asio::co_spawn(io, flush(shared_from_this(), link, generation), asio::detached);
  }

  // Writes what queued up, again and again until nothing is left.
  static Task<void> flush(std::shared_ptr<Impl> self, std::shared_ptr<Link> link, uint64_t generation) {
    std::string buffer;
    while (link->generation == generation && !link->out.empty()) {
      buffer.swap(link->out);
      link->out.clear();
      for (uint64_t id : link->queued)
        if (auto it = link->pending.find(id); it != link->pending.end()) it->second->written = true;
      link->queued.clear();
      error_code ec;
      if (link->conn->tls)
        co_await asio::async_write(*link->conn->tls, asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
      else co_await asio::async_write(*link->conn->plain, asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
      buffer.clear();
      if (ec) {
        self->fail(*link, generation, ec.message());
        break;
      }
    }
    if (link->generation == generation) link->writing = false;
  }

  Task<Result<std::string>> call(uint64_t id, std::string request, std::chrono::milliseconds timeout) {
    auto self = shared_from_this();  // calls in flight keep the client's state alive
    if (setup_error) co_return *setup_error;
    auto link = links[turn++ % links.size()];
    auto opened = co_await ensure_open(link);
    if (!opened) co_return opened.error();
    Pending p(io, SteadyClock::now() + timeout);
    const uint64_t generation = link->generation;
    link->pending[id] = &p;
    ws::append_frame(link->out, ws::Opcode::Text, request, mask());
    link->queued.push_back(id);
    start_flush(link, generation);
    error_code ec;
    co_await p.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (p.result) co_return std::move(*p.result);
    link->pending.erase(id);
    co_return network_error("timeout after " + ms_text(timeout) + " waiting for the answer from " + where, p.written);
  }
};

WsClient::WsClient(boost::asio::io_context& io, const HttpClientOptions& http, std::string url, IdOf id_of, WsClientOptions options)
    : impl_(std::make_shared<Impl>(io, http, std::move(url), std::move(id_of), std::move(options))) {}

WsClient::~WsClient() {
  for (auto& link : impl_->links) impl_->fail(*link, link->generation, "the client closed");
}

uint64_t WsClient::next_id() { return ++impl_->ids; }

Task<Result<std::string>> WsClient::call(uint64_t id, std::string request, std::chrono::milliseconds timeout) {
  auto impl = impl_;
  co_return co_await impl->call(id, std::move(request), timeout);
}

size_t WsClient::connections_opened() const { return impl_->dialer.opened(); }

}  // namespace tb::net
