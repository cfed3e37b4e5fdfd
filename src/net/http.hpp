#pragma once
// Plain HTTP message types shared by the client, the server, the venues and the tests. No Asio here.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tb::net {

class ResponseStream;  // net/response_stream.hpp

struct Header {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string method = "GET";   // GET, POST, PUT, DELETE
  std::string url;              // absolute: https://host[:port]/path?query
  std::vector<Header> headers;  // in the order they are sent
  std::string body;

  // First header with this name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
};

struct HttpResponse {
  int status = 0;
  std::vector<Header> headers;
  std::string body;
  // Server side only: when set, `body` is the start of a body that goes on with the stream's chunks until it
  // ends (server-sent events); see net/response_stream.hpp.
  std::shared_ptr<ResponseStream> stream;

  const std::string* header(std::string_view name) const;
};

// The parts of an absolute http(s) URL.
struct Url {
  std::string scheme;  // "http" | "https"
  std::string host;    // without brackets for IPv6
  uint16_t port = 0;   // explicit or the scheme's default
  std::string target;  // path and query: "/fapi/v1/order?symbol=BTCUSDT" ("/" when empty)

  std::string path() const;       // target without the query
  std::string query() const;      // after '?', without it; empty if none
  std::string authority() const;  // host[:port] as a Host header gives it: the scheme's default port left out
  std::string origin() const;     // scheme://authority, the key of a connection pool
};

std::optional<Url> parse_url(std::string_view url);

bool iequals(std::string_view a, std::string_view b);

// application/x-www-form-urlencoded and query strings, RFC 3986 unreserved characters kept as they are.
std::string url_encode(std::string_view s);
std::optional<std::string> url_decode(std::string_view s);  // '+' is a space; nullopt on a bad %-escape
// name=value pairs in the given order, encoded and joined with '&'.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& params);
// Splits "a=1&b=2" into decoded pairs, keeping order; nullopt on a bad escape.
std::optional<std::vector<std::pair<std::string, std::string>>> form_decode(std::string_view s);

}  // namespace tb::net
