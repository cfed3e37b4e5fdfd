#pragma once
// One venue's protocol on top of the engine. The server routes a request to the venue that owns its path,
// applies injected faults, and asks the venue for its own answer to them.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "exsim/engine/exchange.hpp"
#include "net/http.hpp"

namespace tb::exsim {

// What the server knows of a request. Raw bytes as received: signatures are checked on them.
struct SimRequest {
  std::string method;
  std::string path;   // "/fapi/v1/order"
  std::string query;  // raw, without '?'
  std::string body;   // raw
  std::vector<net::Header> headers;
  std::string peer_ip;  // "127.0.0.1"
  const std::string* header(std::string_view name) const;
};

// A request as the simulator receives it. `r.url` may be absolute (a connector's request, in tests) or a
// target ("/path?query", the server's side).
SimRequest to_sim_request(const net::HttpRequest& r, const std::string& peer_ip);

class VenueSim {
 public:
  virtual ~VenueSim() = default;
  virtual std::string_view venue() const = 0;                     // the connectors' id
  virtual bool owns(std::string_view path) const = 0;             // by path prefix: "/v2/..."
  virtual std::string endpoint(std::string_view path) const = 0;  // the name faults use: "order", "AddOrder"
  // Every name endpoint() gives to a path the venue serves, in a stable order: what a fault may name.
  virtual std::vector<std::string> endpoint_names() const = 0;
  virtual net::HttpResponse handle(const SimRequest& request) = 0;
  // A fault injected into a WebSocket API request: none, no answer at all, the fault's answer instead of the
  // request's, or the request processed and its answer cut short.
  struct WsFault {
    enum class What { None, NoAnswer, Answer, Truncate } what = What::None;
    net::HttpResponse answer;  // What::Answer: in the venue's REST shape, framed as its WebSocket answer
  };
  using WsFaults = std::function<WsFault(std::string_view endpoint)>;
  // The path of the venue's WebSocket API (empty: it has none), and the answer to one request on it: a
  // text frame in, a text frame out (empty: none). `faults` is asked with the endpoint the request mirrors.
  virtual std::string_view ws_api_path() const { return {}; }
  virtual std::string ws_request(std::string_view /*text*/, const std::string& /*peer_ip*/, const WsFaults& /*faults*/) { return {}; }
  // The venue's real answers for injected faults, in its own error shape.
  virtual net::HttpResponse rate_limited() const = 0;  // with Retry-After where the venue sends one
  // The rate-limit answer of this endpoint, for venues whose limiters differ by endpoint.
  virtual net::HttpResponse rate_limited_on(std::string_view /*endpoint*/) const { return rate_limited(); }
  virtual net::HttpResponse maintenance() const = 0;
  virtual net::HttpResponse internal_error() const = 0;  // HTTP 500 from the venue itself
  virtual net::HttpResponse bad_gateway() const = 0;     // 502 HTML from the proxy or CDN in front of it
};

}  // namespace tb::exsim
