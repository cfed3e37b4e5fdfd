#include "net/http_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include <openssl/crypto.h>

#include "net/chunked_body.hpp"
#include "net/forwarded.hpp"
#include "net/request_head.hpp"
#include "net/response_stream.hpp"
#include "net/wire.hpp"

namespace tb::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

struct Session : std::enable_shared_from_this<Session> {
  explicit Session(tcp::socket socket) : executor(socket.get_executor()) { plain.emplace(std::move(socket)); }
  asio::any_io_executor executor;  // the connection's strand
  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls;
  std::string peer;
  std::string ip;              // canonical, the key of the per-address count
  bool trusted_proxy = false;  // its X-Forwarded-For names the client
  // The streaming response being written, if any. Touched on the strand only.
  std::shared_ptr<ResponseStream> stream;
  bool stream_closed = false;
  bool peer_gone = false;  // the client hung up (or the socket failed) during a stream

  // Tells the stream once that the server is done with it.
  void close_stream() {
    if (!stream || stream_closed) return;
    stream_closed = true;
    stream->close();
  }

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  void close() {
    error_code ec;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    lowest().close();
  }
};

std::string endpoint_text(const tcp::endpoint& ep) {
  auto addr = ep.address();
  return (addr.is_v6() ? "[" + addr.to_string() + "]" : addr.to_string()) + ":" + std::to_string(ep.port());
}

// Overwrites the bytes of requests already read, once nothing unread is left in the buffer: a request
// body may hold a secret (an exchange API key pair), and the buffer lives as long as the connection.
void wipe_read_bytes(beast::flat_buffer& buffer) {
  if (buffer.size() != 0 || buffer.capacity() == 0) return;
  auto whole = buffer.prepare(buffer.capacity());  // nothing unread: this is the entire storage
  OPENSSL_cleanse(whole.data(), whole.size());
}

std::string_view buffered(const beast::flat_buffer& buffer) { return {static_cast<const char*>(buffer.data().data()), buffer.size()}; }

HttpResponse plain_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.push_back({"Content-Type", "text/plain"});
  r.body = std::move(body);
  return r;
}

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& io_, HttpServerOptions options_, AsyncHandler handler_)
      : io(io_), options(std::move(options_)), handler(std::move(handler_)), acceptor(asio::make_strand(io_)) {}

  asio::io_context& io;
  HttpServerOptions options;
  AsyncHandler handler;
  std::optional<asio::ssl::context> tls_ctx;
  tcp::acceptor acceptor;
  std::atomic<uint16_t> port{0};
  std::atomic<size_t> accepted{0};
  std::atomic<bool> stopped{false};
  std::mutex mu;
  std::unordered_map<uint64_t, std::weak_ptr<Session>> sessions;
  std::unordered_map<std::string, size_t> per_ip;  // open connections by canonical address
  std::vector<std::string> trusted;                // options.trusted_proxies, canonical
  uint64_t next_id = 0;

  bool is_trusted(const std::string& ip) const { return std::find(trusted.begin(), trusted.end(), ip) != trusted.end(); }

  // Counts the connection against its address; false when that address is at its cap. Under mu.
  bool admit(const Session& s) {
    if (options.max_connections_per_ip == 0 || s.trusted_proxy) return true;
    size_t& open = per_ip[s.ip];
    if (open >= options.max_connections_per_ip) return false;
    ++open;
    return true;
  }
  void release(const Session& s) {
    auto it = per_ip.find(s.ip);
    if (it == per_ip.end()) return;
    if (--it->second == 0) per_ip.erase(it);
  }

  Status start() {
    trusted.clear();
    for (const auto& p : options.trusted_proxies) {
      std::string ip = canonical_ip(p);
      if (ip.empty()) return Error::make(ErrorKind::InvalidArgument, "not an IP address of a trusted proxy: '" + p + "'");
      trusted.push_back(ip);
    }
    if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
      tls_ctx.emplace(asio::ssl::context::tls_server);
      tls_ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                           asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
      error_code ec;
      tls_ctx->use_certificate_chain_file(options.tls_cert_file, ec);
      if (ec)
        return Error::make(ErrorKind::InvalidArgument, "cannot load TLS certificate '" + options.tls_cert_file + "': " + ec.message());
      tls_ctx->use_private_key_file(options.tls_key_file, asio::ssl::context::pem, ec);
      if (ec) return Error::make(ErrorKind::InvalidArgument, "cannot load TLS key '" + options.tls_key_file + "': " + ec.message());
    }
    error_code ec;
    auto address = asio::ip::make_address(options.address, ec);
    if (ec) return Error::make(ErrorKind::InvalidArgument, "not an IP address to listen on: '" + options.address + "'");
    tcp::endpoint ep(address, options.port);
    std::string where = endpoint_text(ep);
    acceptor.open(ep.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(ep, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return Error::make(ErrorKind::NetworkError, "cannot listen on " + where + ": " + ec.message());
    port = acceptor.local_endpoint(ec).port();
    stopped = false;
    asio::co_spawn(acceptor.get_executor(), accept_loop(shared_from_this()), asio::detached);
    return ok_status();
  }

  void stop() {
    stopped = true;
    asio::dispatch(acceptor.get_executor(), [self = shared_from_this()] {
      error_code ec;
      self->acceptor.close(ec);
    });
    std::lock_guard lock(mu);
    for (auto& [id, weak] : sessions)
      if (auto s = weak.lock())
        asio::dispatch(s->executor, [s] {
          s->close_stream();
          s->close();
        });
  }

  size_t open_connections() {
    std::lock_guard lock(mu);
    return sessions.size();
  }

  static Task<void> accept_loop(std::shared_ptr<Impl> self) {
    for (;;) {
      error_code ec;
      tcp::socket socket = co_await self->acceptor.async_accept(asio::any_io_executor(asio::make_strand(self->io)),
                                                                asio::redirect_error(asio::use_awaitable, ec));
      if (self->stopped || !self->acceptor.is_open()) co_return;
      if (ec) {
        // Out of file descriptors and the like: back off briefly instead of spinning.
        asio::steady_timer pause(self->acceptor.get_executor(), std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      if (self->open_connections() >= self->options.max_connections) continue;  // the socket closes here
      auto remote = socket.remote_endpoint(ec);
      if (ec) continue;  // already gone
      auto session = std::make_shared<Session>(std::move(socket));
      session->peer = endpoint_text(remote);
      session->ip = canonical_ip(remote.address().to_string());
      session->trusted_proxy = self->is_trusted(session->ip);
      uint64_t id = 0;
      {
        std::lock_guard lock(self->mu);
        if (!self->admit(*session)) continue;  // over its address's cap: the socket closes here
        id = self->next_id++;
        self->sessions.emplace(id, session);
      }
      ++self->accepted;
      asio::co_spawn(session->executor, run_session(self, session, id), asio::detached);
    }
  }

  static Task<void> run_session(std::shared_ptr<Impl> self, std::shared_ptr<Session> session, uint64_t id) {
    try {
      if (self->stopped) {
        session->close();
      } else if (self->tls_ctx) {
        session->tls.emplace(std::move(*session->plain), *self->tls_ctx);
        session->plain.reset();
        error_code ec;
        session->lowest().expires_after(self->options.idle_timeout);
        co_await session->tls->async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) co_await self->serve(*session->tls, *session);
      } else {
        co_await self->serve(*session->plain, *session);
      }
    } catch (const std::exception&) {
      // A connection's failure ends that connection only.
    }
    session->close();
    std::lock_guard lock(self->mu);
    self->sessions.erase(id);
    self->release(*session);
  }

  template <typename Stream>
  Task<void> write_final(Stream& stream, Session& session, const HttpResponse& response) {
    std::string wire = serialize_response(response, false, false);
    error_code ec;
    session.lowest().expires_after(options.write_timeout);
    co_await asio::async_write(stream, asio::buffer(wire), asio::redirect_error(asio::use_awaitable, ec));
  }

  // A streaming response: the head (and body), then each chunk of session.stream until it ends, a write fails,
  // the client hangs up or the server stops; the connection closes after it. While the stream waits for
  // its next chunk, watch_peer() reads from the socket to notice the client hanging up.
  template <typename Stream>
  Task<void> write_stream(Stream& stream, Session& session, const HttpResponse& response, bool head) {
    std::shared_ptr<ResponseStream> body = session.stream;
    std::string wire = serialize_stream_head(response, head);
    error_code ec;
    session.lowest().expires_after(options.write_timeout);
    if (!head) asio::co_spawn(session.executor, watch_peer(session.shared_from_this(), stream), asio::detached);
    co_await asio::async_write(stream, asio::buffer(wire), asio::redirect_error(asio::use_awaitable, ec));
    while (!ec && !head && !stopped && !session.peer_gone && !session.stream_closed) {
      std::optional<std::string> chunk;
      try {
        chunk = co_await body->next();
      } catch (const std::exception&) {
        chunk.reset();
      }
      if (!chunk || stopped || session.peer_gone || session.stream_closed) break;
      if (chunk->empty()) continue;
      session.lowest().expires_after(options.write_timeout);  // the write's own timer: the read in watch_peer is pending
      co_await asio::async_write(stream, asio::buffer(*chunk), asio::redirect_error(asio::use_awaitable, ec));
    }
    session.close_stream();
  }

  // Reads whatever the client sends during a stream (the stream's received() takes it), without a timeout,
  // until the connection fails or closes: then the stream is told at once, even while it is waiting for
  // something to send.
  template <typename Stream>
  static Task<void> watch_peer(std::shared_ptr<Session> session, Stream& stream) {
    std::vector<char> scratch(16 * 1024);
    for (;;) {
      if (session->stream_closed) co_return;
      error_code ec;
      // Only the read's timer when a write is pending; both otherwise, and the next write sets its own again.
      session->lowest().expires_never();
      const size_t n = co_await stream.async_read_some(asio::buffer(scratch), asio::redirect_error(asio::use_awaitable, ec));
      if (ec || session->stream_closed) break;
      if (!session->stream->received(std::string_view(scratch.data(), n))) break;
    }
    session->peer_gone = true;
    session->close_stream();
  }

  // X-Peer-Addr of a request: the client named by our proxy, or else the connection's peer.
  std::string client_of(const Session& session, std::string_view forwarded_for) const {
    if (!session.trusted_proxy) return session.peer;
    std::string client = forwarded_client(forwarded_for, trusted);
    if (client.empty()) return session.peer;
    return (client.find(':') != std::string::npos ? "[" + client + "]" : client) + ":0";
  }

  template <typename Stream>
  Task<void> serve(Stream& stream, Session& session) {
    beast::flat_buffer buffer;
    for (;;) {
      RequestParser parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      parser.body_limit(options.max_request_bytes);
      error_code ec;
      session.lowest().expires_after(options.idle_timeout);
      // The head whole first (head_end), then Beast's parser over it alone (parse_head).
      const size_t limit = options.max_header_bytes;
      size_t end = head_end(buffered(buffer));
      while (end == std::string_view::npos && buffer.size() < limit) {
        const size_t n = co_await stream.async_read_some(buffer.prepare(std::max<size_t>(512, limit + 4 - buffer.size())),
                                                         asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        const size_t searched = buffer.size();
        buffer.commit(n);
        end = head_end(buffered(buffer), searched);
      }
      if (!ec && (end == std::string_view::npos || end > limit)) ec = http::error::header_limit;
      if (!ec) ec = parse_head(parser, buffer, end);
      if (!ec && content_length_over(parser, options.max_request_bytes)) ec = http::error::body_limit;
      if (!ec) {
        if (auto problem = framing_problem(parser.get()); !problem.empty()) {
          co_await write_final(stream, session, plain_response(400, "bad request framing: " + problem + "\n"));
          co_return;
        }
        auto expect = parser.get()[http::field::expect];
        if (iequals(expect, "100-continue")) {
          static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          co_await asio::async_write(stream, asio::buffer(kContinue), asio::redirect_error(asio::use_awaitable, ec));
        }
      }
      // The head's fields are taken now: a chunked body's trailer fields, which Beast adds to the same list,
      // are never looked at (RFC 9112 §7.1.2 lets a recipient discard them), so a Host or X-Forwarded-For
      // sent in a trailer never reaches a handler.
      HttpRequest request;
      std::string forwarded_for;
      if (!ec) {
        auto& head = parser.get();
        request.method = std::string(head.method_string());
        request.url = std::string(head.target());
        for (auto& f : head) {
          if (iequals(f.name_string(), kPeerAddrHeader)) continue;
          if (is_forwarding_header(f.name_string())) {
            if (!session.trusted_proxy) continue;  // only our proxy may say who the client is
            if (iequals(f.name_string(), "X-Forwarded-For")) forwarded_for += (forwarded_for.empty() ? "" : ",") + std::string(f.value());
          }
          request.headers.push_back({std::string(f.name_string()), std::string(f.value())});
        }
      }
      std::string chunked_body;
      if (!ec && parser.chunked()) {
        ChunkedBody chunked(options.max_request_bytes, options.max_header_bytes);
        for (;;) {
          size_t used = 0;
          ec = chunked.feed(buffered(buffer), used);
          buffer.consume(used);
          if (ec != http::error::need_more) break;
          const size_t n = co_await stream.async_read_some(buffer.prepare(16 * 1024), asio::redirect_error(asio::use_awaitable, ec));
          if (ec) break;
          buffer.commit(n);
        }
        chunked_body = std::move(chunked.body());
      } else if (!ec && !parser.is_done()) {
        co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
      }
      if (ec) {
        if (stopped) co_return;
        int status = status_for_read_error(ec);
        if (status == 413)
          co_await write_final(stream, session,
                               plain_response(413, "request body larger than " + std::to_string(options.max_request_bytes) + " bytes\n"));
        else if (status == 431) co_await write_final(stream, session, plain_response(431, "request headers too large\n"));
        else if (status == 400) co_await write_final(stream, session, plain_response(400, "malformed HTTP request\n"));
        co_return;  // closed, reset or idle too long
      }

      auto& msg = parser.get();
      request.headers.push_back({kPeerAddrHeader, client_of(session, forwarded_for)});
      request.body = parser.chunked() ? std::move(chunked_body) : std::move(msg.body());
      wipe_read_bytes(buffer);
      bool keep_alive = msg.keep_alive();
      bool head = msg.method() == http::verb::head;

      HttpResponse response;
      try {
        response = co_await handler(std::move(request));
      } catch (const std::exception&) {
        response = plain_response(500, "internal error\n");
      }
      if (stopped || response.status == 0) {  // 0: hang up unanswered, as a lost answer looks
        if (response.stream) response.stream->close();
        co_return;
      }
      if (response.stream) {
        if (response.status == 101 || (response.status != 204 && response.status != 304 && response.status >= 200)) {
          // Set in the same strand step as the `stopped` check above, so stop() cannot miss it.
          session.stream = response.stream;
          co_await write_stream(stream, session, response, head);
          co_return;
        }
        response.stream->close();  // no body allowed: answered as a plain response
        response.stream.reset();
      }
      if (auto c = response.header("Connection"); c && iequals(*c, "close")) keep_alive = false;

      std::string wire = serialize_response(response, keep_alive, head);
      session.lowest().expires_after(options.write_timeout);
      co_await asio::async_write(stream, asio::buffer(wire), asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !keep_alive) co_return;
    }
  }
};

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, AsyncHandler handler)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(handler))) {}

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, SyncHandler handler)
    : HttpServer(io, std::move(options), AsyncHandler([h = std::move(handler)](HttpRequest r) -> Task<HttpResponse> { co_return h(r); })) {}

HttpServer::~HttpServer() { stop(); }

Status HttpServer::start() { return impl_->start(); }
void HttpServer::stop() { impl_->stop(); }
uint16_t HttpServer::port() const { return impl_->port.load(); }
size_t HttpServer::connections_accepted() const { return impl_->accepted.load(); }
size_t HttpServer::open_connections() const { return impl_->open_connections(); }

}  // namespace tb::net
