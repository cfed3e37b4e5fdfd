#include "net/http_client.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <iterator>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "net/deadline_watch.hpp"
#include "net/wire.hpp"

namespace tb::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using beast::error_code;

constexpr size_t kMaxResponseHeaderBytes = 64 * 1024;

// Beast reads at most the buffer's spare room (512 bytes at first): room for a venue's usual answer (its
// headers and an order, about 1 KB) takes it in one read, not two.
constexpr size_t kReadRoom = 4096;

// The socket's executor is the io_context's own, not the type-erased any_io_executor: every read and write
// copies, asks and destroys it a few times, which through the erasure is a call each.
using TcpSocket = asio::basic_stream_socket<tcp, asio::io_context::executor_type>;

struct Conn : DeadlineWatch::Entry {
  explicit Conn(asio::io_context& io) {
    plain.emplace(io.get_executor());
    buffer.reserve(kReadRoom);
  }
  std::optional<TcpSocket> plain;                   // until TLS takes the socket over
  std::optional<beast::ssl_stream<TcpSocket>> tls;  // https
  beast::flat_buffer buffer;
  bool reused = false;
  SteadyClock::time_point idle_since;

  TcpSocket& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }

 protected:
  void expire() override {  // late: its reads and writes end with an error, read as a timeout
    error_code ignored;
    lowest().close(ignored);
  }
};
using ConnPtr = std::shared_ptr<Conn>;

Error network_error(std::string message, bool outcome_unknown) {
  Error e = Error::make(ErrorKind::NetworkError, std::move(message));
  e.outcome_unknown = outcome_unknown;
  return e;
}

std::string ms(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

std::string authority(const std::string& host, uint16_t port) {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// A pooled connection the server has closed (or written to unasked) shows it without blocking.
bool looks_alive(Conn& c) {
  auto& sock = c.lowest();
  if (!sock.is_open()) return false;
  pollfd p{sock.native_handle(), POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

bool closed_by_peer(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == http::error::partial_message || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated;
}

struct Exchange {
  std::optional<Result<HttpResponse>> result;
  bool keep_alive = false;
  bool nothing_received = false;  // failed before any byte of the response: a stale pooled connection
};

}  // namespace

struct HttpClient::Impl : std::enable_shared_from_this<HttpClient::Impl> {
  Impl(asio::io_context& io_, HttpClientOptions options_) : io(io_), options(std::move(options_)) {
    if (!options.proxy.empty()) {
      proxy = parse_url(options.proxy);
      if (!proxy || proxy->scheme != "http")
        setup_error = Error::make(ErrorKind::InvalidArgument, "proxy must be http://host:port, got '" + options.proxy + "'");
    }
    ssl_ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                        asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    error_code ec;
    if (!options.ca_dir.empty()) ssl_ctx.add_verify_path(options.ca_dir, ec);  // a missing store shows as failed checks
    if (!options.extra_ca_file.empty()) {
      ssl_ctx.load_verify_file(options.extra_ca_file, ec);
      if (ec) setup_error = Error::make(ErrorKind::InvalidArgument, "cannot load CA file '" + options.extra_ca_file + "': " + ec.message());
    }
    ssl_ctx.set_verify_mode(options.verify_tls ? asio::ssl::verify_peer : asio::ssl::verify_none);
  }

  asio::io_context& io;
  HttpClientOptions options;
  // The exchanges' and openings' deadlines: on expiry a connection's socket is closed.
  std::shared_ptr<DeadlineWatch> deadlines = std::make_shared<DeadlineWatch>(io);

  asio::ssl::context ssl_ctx{asio::ssl::context::tls_client};
  std::optional<Url> proxy;
  std::optional<Error> setup_error;
  std::atomic<size_t> opened{0};
  mutable std::mutex mu;
  // One scheme://host:port: its requests in flight and its idle connections. Found once a request; a
  // node of the map, so a reference to it stays valid (sites are never removed).
  struct Site {
    std::string where;  // host:port, as errors name it
    size_t busy = 0;
    std::deque<std::shared_ptr<asio::steady_timer>> waiting;  // each expired by leave() when its turn comes
    std::deque<ConnPtr> idle;
  };
  std::unordered_map<std::string, Site> sites;

  Site& site_of(const Url& url) {
    std::string origin = url.origin();
    std::lock_guard lock(mu);
    auto [it, added] = sites.try_emplace(std::move(origin));
    if (added) it->second.where = authority(url.host, url.port);
    return it->second;
  }

  // A turn among max_per_origin requests in flight to the site; leave() hands it to the next waiting.
  Task<void> enter(Site& site) {
    if (options.max_per_origin == 0) co_return;
    std::shared_ptr<asio::steady_timer> turn;
    {
      std::lock_guard lock(mu);
      if (site.busy < options.max_per_origin) {
        ++site.busy;
        co_return;
      }
      turn = std::make_shared<asio::steady_timer>(io, asio::steady_timer::time_point::max());
      site.waiting.push_back(turn);
    }
    error_code ec;  // expired (or cancelled) by leave(): either way the turn is ours
    co_await turn->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }

  void leave(Site& site) {
    if (options.max_per_origin == 0) return;
    std::lock_guard lock(mu);
    if (site.waiting.empty()) {
      --site.busy;
      return;
    }
    // An expiry in the past also wakes a wait that has not begun yet.
    site.waiting.front()->expires_at(asio::steady_timer::time_point::min());
    site.waiting.pop_front();
  }

  struct Turn {
    Impl* impl;
    Site& site;
    ~Turn() { impl->leave(site); }
  };

  ConnPtr take_idle(Site& site) {
    std::lock_guard lock(mu);
    auto& q = site.idle;
    while (!q.empty()) {
      ConnPtr c = std::move(q.back());  // the most recently used is the least likely to be stale
      q.pop_back();
      const auto idle_for = SteadyClock::now() - c->idle_since;
      // Should one taken unchecked be closed after all, a request that is safe to repeat goes again and an
      // order's outcome is asked for, as for any connection lost.
      if (idle_for < options.idle_timeout && (idle_for < options.check_idle_after || looks_alive(*c))) {
        c->reused = true;
        return c;
      }
    }
    return nullptr;
  }

  void put_idle(Site& site, ConnPtr c) {
    if (options.max_idle_per_origin == 0) return;
    c->idle_since = SteadyClock::now();
    std::lock_guard lock(mu);
    auto& q = site.idle;
    if (q.size() >= options.max_idle_per_origin) q.pop_front();
    q.push_back(std::move(c));
  }

  Task<Result<std::vector<tcp::endpoint>>> resolve(const std::string& host, uint16_t port, SteadyClock::time_point deadline,
                                                   std::chrono::milliseconds timeout) {
    error_code ec;
    auto ip = asio::ip::make_address(host, ec);
    if (!ec) co_return std::vector<tcp::endpoint>{tcp::endpoint(ip, port)};
    // getaddrinfo has no timeout of its own: a timer cancels it.
    struct State {
      explicit State(asio::io_context& io) : resolver(io), timer(io) {}
      tcp::resolver resolver;
      asio::steady_timer timer;
      bool fired = false;
    };
    auto st = std::make_shared<State>(io);
    st->timer.expires_at(deadline);
    st->timer.async_wait([st](error_code e) {
      if (!e) {
        st->fired = true;
        st->resolver.cancel();
      }
    });
    auto results = co_await st->resolver.async_resolve(host, std::to_string(port), asio::redirect_error(asio::use_awaitable, ec));
    st->timer.cancel();
    if (st->fired) co_return network_error("timeout after " + ms(timeout) + " resolving " + host, false);
    if (ec) co_return network_error("cannot resolve " + host + ": " + ec.message(), false);
    std::vector<tcp::endpoint> out;
    for (auto& r : results) out.push_back(r.endpoint());
    co_return out;
  }

  // TCP (through the proxy's tunnel when there is one), then TLS for https. Nothing of the request is
  // written here, so every failure leaves the outcome known.
  Task<Result<ConnPtr>> open(const Url& url, std::chrono::milliseconds connect_timeout) {
    auto deadline = SteadyClock::now() + connect_timeout;
    const std::string& host = proxy ? proxy->host : url.host;
    uint16_t port = proxy ? proxy->port : url.port;
    std::string where = authority(host, port);
    auto endpoints = co_await resolve(host, port, deadline, connect_timeout);
    if (!endpoints) co_return endpoints.error();

    auto conn = std::make_shared<Conn>(io);
    DeadlineWatch::Scope watch(*deadlines, *conn, deadline);  // the tunnel and the handshake too
    error_code ec;
    co_await asio::async_connect(*conn->plain, *endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (conn->timed_out()) co_return network_error("timeout after " + ms(connect_timeout) + " connecting to " + where, false);
    if (ec) co_return network_error("cannot connect to " + where + ": " + ec.message(), false);
    ++opened;
    conn->plain->set_option(tcp::no_delay(true), ec);

    if (proxy) {
      auto tunnel = co_await connect_tunnel(*conn, url, where, connect_timeout);
      if (!tunnel) co_return tunnel.error();
    }
    if (url.scheme == "https") {
      auto tls = co_await handshake(conn, url, connect_timeout);
      if (!tls) co_return tls.error();
    }
    co_return conn;
  }

  Task<Status> connect_tunnel(Conn& conn, const Url& url, const std::string& proxy_where, std::chrono::milliseconds timeout) {
    std::string target = authority(url.host, url.port);
    std::string wire = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nUser-Agent: " + options.user_agent + "\r\n\r\n";
    error_code ec;
    co_await asio::async_write(*conn.plain, asio::buffer(wire), asio::redirect_error(asio::use_awaitable, ec));
    http::response_parser<http::empty_body> reply;
    reply.skip(true);  // a CONNECT answer has no body: the tunnel starts right after the header
    if (!ec) co_await http::async_read(*conn.plain, conn.buffer, reply, asio::redirect_error(asio::use_awaitable, ec));
    if (conn.timed_out()) co_return network_error("timeout after " + ms(timeout) + " opening a tunnel through proxy " + proxy_where, false);
    if (ec) co_return network_error("proxy " + proxy_where + " failed to open a tunnel to " + target + ": " + ec.message(), false);
    int status = reply.get().result_int();
    if (status < 200 || status > 299)
      co_return network_error("proxy " + proxy_where + " refused CONNECT to " + target + ": HTTP " + std::to_string(status) + " " +
                                  std::string(reply.get().reason()),
                              false);
    conn.buffer.consume(conn.buffer.size());
    co_return ok_status();
  }

  Task<Status> handshake(const ConnPtr& conn, const Url& url, std::chrono::milliseconds timeout) {
    conn->tls.emplace(std::move(*conn->plain), ssl_ctx);
    conn->plain.reset();
    SSL* ssl = conn->tls->native_handle();
    bool ip = is_ip_literal(url.host);
    if (!ip) SSL_set_tlsext_host_name(ssl, url.host.c_str());  // SNI never carries an address
    if (options.verify_tls) {
      // OpenSSL checks the name during the handshake and keeps the reason, so errors can say which check failed.
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      int set = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str()) : X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), 0);
      if (set != 1) co_return network_error("cannot verify TLS for host " + url.host, false);
    }
    error_code ec;
    co_await conn->tls->async_handshake(asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) co_return ok_status();
    std::string where = authority(url.host, url.port);
    if (conn->timed_out()) co_return network_error("timeout after " + ms(timeout) + " in the TLS handshake with " + where, false);
    long verify = SSL_get_verify_result(ssl);
    if (options.verify_tls && verify != X509_V_OK)
      co_return network_error("TLS certificate verification failed for host " + url.host + ": " + X509_verify_cert_error_string(verify),
                              false);
    co_return network_error("TLS handshake with " + where + " failed: " + ec.message(), false);
  }

  template <typename Stream>
  Task<Exchange> exchange(Stream& stream, Conn& conn, const std::string& wire, bool head, const RequestOptions& o,
                          const std::string& where) {
    Exchange out;
    error_code ec;
    DeadlineWatch::Scope watch(*deadlines, conn, SteadyClock::now() + o.total_timeout);
    co_await asio::async_write(stream, asio::buffer(wire), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      out.nothing_received = true;
      out.result = conn.timed_out() ? network_error("timeout after " + ms(o.total_timeout) + " sending the request to " + where, true)
                                    : network_error("connection to " + where + " failed while sending: " + ec.message(), true);
      co_return out;
    }
    http::response_parser<http::string_body> parser;
    parser.header_limit(kMaxResponseHeaderBytes);
    parser.body_limit(o.max_response_bytes);
    if (head) parser.skip(true);
    co_await http::async_read_header(stream, conn.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    // Checked here too: Beast 1.74 lets a Content-Length over body_limit through when the body is already buffered.
    if (!ec && parser.content_length() && *parser.content_length() > o.max_response_bytes) ec = http::error::body_limit;
    // The body usually came in the header's read: parsed from the buffer at once, not by one more read
    // operation (a round through the scheduler) that would find it there.
    while (!ec && !parser.is_done() && conn.buffer.size() > 0) {
      const size_t used = parser.put(conn.buffer.data(), ec);
      conn.buffer.consume(used);
      if (ec == http::error::need_more) ec = {};
      if (used == 0) break;
    }
    if (!ec && !parser.is_done()) co_await http::async_read(stream, conn.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      out.nothing_received = !parser.got_some() && conn.buffer.size() == 0;
      Error e;
      if (conn.timed_out()) e = network_error("timeout after " + ms(o.total_timeout) + " waiting for the response from " + where, true);
      else if (ec == http::error::body_limit || ec == http::error::buffer_overflow || ec == http::error::header_limit)
        e = Error::make(ErrorKind::BadResponse, "response larger than " + std::to_string(o.max_response_bytes) + " bytes from " + where);
      else if (closed_by_peer(ec))
        e = network_error(out.nothing_received ? "connection to " + where + " closed before any response"
                                               : "connection to " + where + " closed in the middle of the response",
                          true);
      else if (ec.category() == http::make_error_code(http::error::bad_version).category())
        e = Error::make(ErrorKind::BadResponse, "not an HTTP response from " + where + ": " + ec.message());
      else e = network_error("connection to " + where + " failed while reading the response: " + ec.message(), true);
      e.outcome_unknown = true;
      out.result = std::move(e);
      co_return out;
    }
    auto& msg = parser.get();
    HttpResponse r;
    r.status = msg.result_int();
    r.headers.reserve(static_cast<size_t>(std::distance(msg.begin(), msg.end())));
    for (auto& f : msg) r.headers.push_back({std::string(f.name_string()), std::string(f.value())});
    r.body = std::move(msg.body());
    out.keep_alive = msg.keep_alive() && conn.buffer.size() == 0 && !conn.timed_out();
    out.result = std::move(r);
    co_return out;
  }

  Task<Result<HttpResponse>> do_send(HttpRequest request, RequestOptions o) {
    auto self = shared_from_this();  // requests in flight keep the pool alive
    std::string failure;
    try {
      co_return co_await send_on_pool(std::move(request), o);
    } catch (const std::exception& e) {
      failure = e.what();
    }
    co_return network_error("HTTP client failure: " + failure, true);
  }

  Task<Result<HttpResponse>> send_on_pool(HttpRequest request, RequestOptions o) {
    {
      if (setup_error) co_return *setup_error;
      auto url = parse_url(request.url);
      if (!url) co_return Error::make(ErrorKind::InvalidArgument, "not an absolute http(s) URL: '" + request.url.substr(0, 200) + "'");
      auto wire = serialize_request(request, *url, options.user_agent);
      if (!wire) co_return wire.error();
      Site& site = site_of(*url);
      const std::string& where = site.where;
      bool idempotent = request.method == "GET" || request.method == "HEAD";
      bool head = request.method == "HEAD";
      co_await enter(site);
      Turn turn{this, site};
      for (int attempt = 0;; ++attempt) {
        ConnPtr conn = attempt == 0 ? take_idle(site) : nullptr;
        if (!conn) {
          auto opened_conn = co_await open(*url, o.connect_timeout);
          if (!opened_conn) co_return opened_conn.error();
          conn = std::move(*opened_conn);
        }
        Exchange ex;  // no co_await inside ?: — GCC 12 mishandles the temporaries there
        if (conn->tls) ex = co_await exchange(*conn->tls, *conn, *wire, head, o, where);
        else ex = co_await exchange(*conn->plain, *conn, *wire, head, o, where);
        if (ex.result->ok()) {
          if (ex.keep_alive) put_idle(site, std::move(conn));
          co_return std::move(*ex.result);
        }
        // The server may close a kept-alive connection just as we reuse it; only a request that is safe to
        // repeat goes again, anything else reports an unknown outcome.
        if (conn->reused && ex.nothing_received && idempotent && attempt == 0) continue;
        co_return std::move(*ex.result);
      }
    }
  }
};

namespace {
// co_spawn needs a default-constructible result: hence the optional.
Task<std::optional<Result<HttpResponse>>> send_elsewhere(std::shared_ptr<HttpClient::Impl> impl, HttpRequest request,
                                                         RequestOptions options) {
  co_return co_await impl->do_send(std::move(request), options);
}
}  // namespace

HttpClient::HttpClient(asio::io_context& io, HttpClientOptions options) : impl_(std::make_shared<Impl>(io, std::move(options))) {}

HttpClient::~HttpClient() { close_idle(); }

Task<Result<HttpResponse>> HttpClient::send(HttpRequest request, RequestOptions options) {
  auto impl = impl_;
  auto ex = co_await asio::this_coro::executor;
  if (&asio::query(ex, asio::execution::context) == static_cast<asio::execution_context*>(&impl->io))
    co_return co_await impl->do_send(std::move(request), options);
  // Called from another executor: run on the client's own context, whose thread owns its sockets.
  // A named coroutine, not a lambda: GCC 12 ends a lambda temporary's life too early across co_await.
  auto r = co_await asio::co_spawn(impl->io, send_elsewhere(impl, std::move(request), options), asio::use_awaitable);
  co_return std::move(*r);
}

size_t HttpClient::connections_opened() const { return impl_->opened.load(); }

size_t HttpClient::idle_connections() const {
  std::lock_guard lock(impl_->mu);
  size_t n = 0;
  for (auto& [origin, site] : impl_->sites) n += site.idle.size();
  return n;
}

void HttpClient::close_idle() {
  std::lock_guard lock(impl_->mu);
  for (auto& [origin, site] : impl_->sites) site.idle.clear();
}

}  // namespace tb::net
