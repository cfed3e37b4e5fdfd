#include "net/dialer.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

namespace tb::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using beast::error_code;

namespace {

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

Error network_error(std::string message, bool outcome_unknown) {
  Error e = Error::make(ErrorKind::NetworkError, std::move(message));
  e.outcome_unknown = outcome_unknown;
  return e;
}

std::string ms_text(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

std::string authority(const std::string& host, uint16_t port) {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Dialer::Dialer(asio::io_context& io, const HttpClientOptions& options)
    : io_(io), options_(options), deadlines_(std::make_shared<DeadlineWatch>(io)) {
  if (!options_.proxy.empty()) {
    proxy_ = parse_url(options_.proxy);
    if (!proxy_ || proxy_->scheme != "http")
      setup_error_ = Error::make(ErrorKind::InvalidArgument, "proxy must be http://host:port, got '" + options_.proxy + "'");
  }
  ssl_ctx_.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                       asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
  error_code ec;
  if (!options_.ca_dir.empty()) ssl_ctx_.add_verify_path(options_.ca_dir, ec);  // a missing store shows as failed checks
  if (!options_.extra_ca_file.empty()) {
    ssl_ctx_.load_verify_file(options_.extra_ca_file, ec);
    if (ec) setup_error_ = Error::make(ErrorKind::InvalidArgument, "cannot load CA file '" + options_.extra_ca_file + "': " + ec.message());
  }
  ssl_ctx_.set_verify_mode(options_.verify_tls ? asio::ssl::verify_peer : asio::ssl::verify_none);
}

Task<Result<std::vector<tcp::endpoint>>> Dialer::resolve(const std::string& host, uint16_t port, SteadyClock::time_point deadline,
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
  auto st = std::make_shared<State>(io_);
  st->timer.expires_at(deadline);
  st->timer.async_wait([st](error_code e) {
    if (!e) {
      st->fired = true;
      st->resolver.cancel();
    }
  });
  auto results = co_await st->resolver.async_resolve(host, std::to_string(port), asio::redirect_error(asio::use_awaitable, ec));
  st->timer.cancel();
  if (st->fired) co_return network_error("timeout after " + ms_text(timeout) + " resolving " + host, false);
  if (ec) co_return network_error("cannot resolve " + host + ": " + ec.message(), false);
  std::vector<tcp::endpoint> out;
  for (auto& r : results) out.push_back(r.endpoint());
  co_return out;
}

Task<Result<ConnPtr>> Dialer::open(const Url& url, std::chrono::milliseconds connect_timeout) {
  auto deadline = SteadyClock::now() + connect_timeout;
  const std::string& host = proxy_ ? proxy_->host : url.host;
  uint16_t port = proxy_ ? proxy_->port : url.port;
  std::string where = authority(host, port);
  auto endpoints = co_await resolve(host, port, deadline, connect_timeout);
  if (!endpoints) co_return endpoints.error();

  auto conn = std::make_shared<Conn>(io_);
  DeadlineWatch::Scope watch(*deadlines_, *conn, deadline);  // the tunnel and the handshake too
  error_code ec;
  co_await asio::async_connect(*conn->plain, *endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (conn->timed_out()) co_return network_error("timeout after " + ms_text(connect_timeout) + " connecting to " + where, false);
  if (ec) co_return network_error("cannot connect to " + where + ": " + ec.message(), false);
  ++opened_;
  conn->plain->set_option(tcp::no_delay(true), ec);

  if (proxy_) {
    auto tunnel = co_await connect_tunnel(*conn, url, where, connect_timeout);
    if (!tunnel) co_return tunnel.error();
  }
  if (url.scheme == "https") {
    auto tls = co_await handshake(conn, url, connect_timeout);
    if (!tls) co_return tls.error();
  }
  co_return conn;
}

Task<Status> Dialer::connect_tunnel(Conn& conn, const Url& url, const std::string& proxy_where, std::chrono::milliseconds timeout) {
  std::string target = authority(url.host, url.port);
  std::string wire = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\nUser-Agent: " + options_.user_agent + "\r\n\r\n";
  error_code ec;
  co_await asio::async_write(*conn.plain, asio::buffer(wire), asio::redirect_error(asio::use_awaitable, ec));
  http::response_parser<http::empty_body> reply;
  reply.skip(true);  // a CONNECT answer has no body: the tunnel starts right after the header
  if (!ec) co_await http::async_read(*conn.plain, conn.buffer, reply, asio::redirect_error(asio::use_awaitable, ec));
  if (conn.timed_out())
    co_return network_error("timeout after " + ms_text(timeout) + " opening a tunnel through proxy " + proxy_where, false);
  if (ec) co_return network_error("proxy " + proxy_where + " failed to open a tunnel to " + target + ": " + ec.message(), false);
  int status = reply.get().result_int();
  if (status < 200 || status > 299)
    co_return network_error("proxy " + proxy_where + " refused CONNECT to " + target + ": HTTP " + std::to_string(status) + " " +
                                std::string(reply.get().reason()),
                            false);
  conn.buffer.consume(conn.buffer.size());
  co_return ok_status();
}

Task<Status> Dialer::handshake(const ConnPtr& conn, const Url& url, std::chrono::milliseconds timeout) {
  conn->tls.emplace(std::move(*conn->plain), ssl_ctx_);
  conn->plain.reset();
  SSL* ssl = conn->tls->native_handle();
  bool ip = is_ip_literal(url.host);
  if (!ip) SSL_set_tlsext_host_name(ssl, url.host.c_str());  // SNI never carries an address
  if (options_.verify_tls) {
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
  if (conn->timed_out()) co_return network_error("timeout after " + ms_text(timeout) + " in the TLS handshake with " + where, false);
  long verify = SSL_get_verify_result(ssl);
  if (options_.verify_tls && verify != X509_V_OK)
    co_return network_error("TLS certificate verification failed for host " + url.host + ": " + X509_verify_cert_error_string(verify),
                            false);
  co_return network_error("TLS handshake with " + where + " failed: " + ec.message(), false);
}

}  // namespace tb::net
