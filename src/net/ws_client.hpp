#pragma once
// A client for request/answer APIs over WebSocket (a venue's WebSocket API). Calls share a few connections,
// opened as the HTTP client opens its own (net/dialer: proxy, TLS checked for the host); the requests that
// queue up while a write is under way go out together in the next write, and the answers one read brings are
// taken together, so the transport's cost an order falls as load grows (docs/BENCHMARKS.md, tenth round).
// Answers are matched to calls by the id each request carries, found by the caller's IdOf.
//
// Outcomes: a call that fails before its request was written (no connection) has a known outcome; a call
// whose request was written and whose answer did not come (its deadline passed, the connection was lost) is
// outcome_unknown, for the caller to settle as after an HTTP request with no answer.
#include <utility>  // before Asio's headers: Boost 1.74 misses it

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "net/http_client.hpp"
#include "net/transport.hpp"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace tb::net {

struct WsClientOptions {
  size_t connections = 4;  // calls are dealt to them in turn
  size_t max_message_bytes = 1 << 20;
  std::chrono::milliseconds connect_timeout{10'000};  // DNS, TCP, TLS and the opening handshake
};

// Sockets and timers live on `io`; call() is awaited from a coroutine on that context.
class WsClient {
 public:
  using IdOf = std::function<std::optional<uint64_t>(std::string_view answer)>;
  // `url`: ws://host[:port]/path or wss://...
  WsClient(boost::asio::io_context& io, const HttpClientOptions& http, std::string url, IdOf id_of, WsClientOptions options = {});
  ~WsClient();  // closes the connections; calls in flight end with an error
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  uint64_t next_id();  // ids for requests, unique in this client's life
  // Sends `request` (a text message carrying `id`) and waits at most `timeout` for the answer with that id.
  Task<Result<std::string>> call(uint64_t id, std::string request, std::chrono::milliseconds timeout);
  size_t connections_opened() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace tb::net
