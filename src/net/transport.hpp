#pragma once
// The seam between venues and the network: the real client, the exchange simulator in-process, and tests
// all stand behind this interface. Asynchronous (C++20 coroutines on Asio), so one thread can keep many
// requests in flight.
#include <utility>  // before Asio's awaitable header: Boost 1.74 misses it

#include <boost/asio/awaitable.hpp>
#include <chrono>

#include "core/error.hpp"
#include "net/http.hpp"

namespace tb::net {

template <typename T>
using Task = boost::asio::awaitable<T>;

struct RequestOptions {
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds total_timeout{15'000};  // from the first byte sent to the last byte read
  size_t max_response_bytes = 8 * 1024 * 1024;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  // Any HTTP status is a response, not an error. Errors are for no usable answer: NetworkError
  // (connect, TLS, reset, timeout; outcome_unknown when the request may have been sent) or BadResponse
  // (not HTTP, over the size limit).
  virtual Task<Result<HttpResponse>> send(HttpRequest request, RequestOptions options) = 0;
  Task<Result<HttpResponse>> send(HttpRequest request) { return send(std::move(request), RequestOptions{}); }
};

}  // namespace tb::net

namespace tb::net {

// Waiting is injected too: rate limiters and retries await a Sleeper, and tests pass one that advances a
// ManualClock at once instead of sleeping.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual Task<void> sleep(std::chrono::milliseconds duration) = 0;
};

}  // namespace tb::net
