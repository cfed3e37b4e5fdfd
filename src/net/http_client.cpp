#include "net/http_client.hpp"

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
#include <deque>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "net/dialer.hpp"
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
  Impl(asio::io_context& io_, HttpClientOptions options_) : io(io_), options(std::move(options_)), dialer(io, options) {}

  asio::io_context& io;
  HttpClientOptions options;
  Dialer dialer;  // opens connections: DNS, TCP, the proxy's tunnel, TLS; keeps every deadline
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

  template <typename Stream>
  Task<Exchange> exchange(Stream& stream, Conn& conn, const std::string& wire, bool head, const RequestOptions& o,
                          const std::string& where) {
    Exchange out;
    error_code ec;
    DeadlineWatch::Scope watch(dialer.deadlines(), conn, SteadyClock::now() + o.total_timeout);
    co_await asio::async_write(stream, asio::buffer(wire), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      out.nothing_received = true;
      out.result = conn.timed_out() ? network_error("timeout after " + ms_text(o.total_timeout) + " sending the request to " + where, true)
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
      if (conn.timed_out())
        e = network_error("timeout after " + ms_text(o.total_timeout) + " waiting for the response from " + where, true);
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
      if (dialer.setup_error()) co_return *dialer.setup_error();
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
          auto opened_conn = co_await dialer.open(*url, o.connect_timeout);
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

size_t HttpClient::connections_opened() const { return impl_->dialer.opened(); }

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
