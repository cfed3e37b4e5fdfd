#include "net/request_head.hpp"

#include <string_view>

#include "net/http.hpp"

namespace tb::net {
namespace {

namespace http = boost::beast::http;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string framing_problem(const http::request<http::string_body>& msg) {
  size_t encodings = 0, hosts = 0;
  std::string_view encoding;
  for (const auto& f : msg) {
    if (f.name() == http::field::transfer_encoding) {
      ++encodings;
      encoding = f.value();
    } else if (f.name() == http::field::host) {
      ++hosts;
    }
  }
  if (encodings > 1) return "Transfer-Encoding given more than once";
  if (encodings == 1 && msg.count(http::field::content_length)) return "Transfer-Encoding together with Content-Length";
  if (encodings == 1 && !iequals(trim(encoding), "chunked")) return "Transfer-Encoding other than chunked";
  // More than one Host is refused whatever the version (RFC 9112 §3.2): which one names the site is ambiguous.
  if (hosts > 1) return "Host given more than once";
  if (msg.version() >= 11 && hosts == 0) return "Host header missing";
  return {};
}

bool content_length_over(const RequestParser& parser, size_t max_request_bytes) {
  return parser.content_length() && *parser.content_length() > max_request_bytes;
}

size_t head_end(std::string_view buffered, size_t from) {
  const size_t at = buffered.find("\r\n\r\n", from > 3 ? from - 3 : 0);
  return at == std::string_view::npos ? at : at + 4;
}

boost::beast::error_code parse_head(RequestParser& parser, boost::beast::flat_buffer& buffer, size_t end) {
  boost::beast::error_code ec;
  const size_t used = parser.put(boost::asio::buffer(buffer.data().data(), end), ec);
  buffer.consume(used);
  if (ec == http::error::need_more || (!ec && !parser.is_header_done())) ec = http::error::bad_version;
  return ec;
}

int status_for_read_error(const boost::beast::error_code& ec) {
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) return 431;
  if (ec.category() == http::make_error_code(http::error::bad_method).category() && ec != http::error::end_of_stream &&
      ec != http::error::partial_message)
    return 400;
  return 0;
}

}  // namespace tb::net
