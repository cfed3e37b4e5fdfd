#pragma once
// Streaming response bodies (server-sent events): a handler sets HttpResponse::stream and the server writes
// the head, then every chunk the stream yields, until it ends. Asio stays in response_stream.cpp apart from
// the executor type, which the awaitable header brings in anyway.
#include <utility>  // before Asio's awaitable header: Boost 1.74 misses it

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/transport.hpp"

namespace tb::net {

// The body of a streaming response, pulled by the server one chunk at a time.
//
// The server answers with the response's status and headers, no Content-Length and `Connection: close`
// (the body ends when the connection does; `Connection: Upgrade` for a 101, whose protocol frames it), writes the response's `body` if any,
// then loops: co_await next(), write the chunk (under HttpServerOptions::write_timeout; the idle timeout does not apply), until next()
// returns nullopt, a write fails, the client hangs up, or the server stops. When it is done with the stream for any of these reasons it
// calls close() once, on the connection's strand.
//
// next() is awaited by one coroutine at a time. After close(), next() must return nullopt soon (a pending
// next() must wake up): that is how a client's hang-up or HttpServer::stop() ends a stream that has nothing
// to send.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // The next bytes to write (written as they are: format SSE events with format_sse_event), or nullopt
  // when the stream has ended. An empty chunk writes nothing.
  virtual Task<std::optional<std::string>> next() = 0;
  // The client has gone, the server stops, or the stream has ended: drop subscriptions. May be called from
  // any thread and more than once.
  virtual void close() {}
  // Bytes the client sent while the stream runs, as they arrive, on the connection's strand. Server-sent
  // events ignore them; a WebSocket (status 101) reads its frames here. False ends the stream.
  virtual bool received(std::string_view /*bytes*/) { return true; }
};

// A ready-made stream fed from any thread: producers push() chunks, the server's next() takes them in order.
//
// - Bounded: more than `max_queued` chunks waiting (a client too slow to read them) closes the stream; the
//   client reconnects and resynchronises instead of the server growing memory.
// - Keep-alive: when nothing was pushed for `keepalive` (zero: never), next() yields the SSE comment ":\n\n"
//   so proxies and load balancers keep the connection open.
// - next() hands over everything queued at once, concatenated.
// Waiting uses a steady_timer on a strand of `executor`: the io_context behind it must outlive the stream's
// pending next().
class QueueStream : public ResponseStream {
 public:
  static constexpr std::chrono::milliseconds kDefaultKeepalive{15'000};
  static constexpr size_t kDefaultMaxQueued = 1'000;

  explicit QueueStream(boost::asio::any_io_executor executor, std::chrono::milliseconds keepalive = kDefaultKeepalive,
                       size_t max_queued = kDefaultMaxQueued);
  ~QueueStream() override;
  QueueStream(const QueueStream&) = delete;
  QueueStream& operator=(const QueueStream&) = delete;

  // Thread-safe. Queues the chunk and wakes a waiting next(). False, and the chunk is dropped, when the
  // stream is closed or finished; an overflowing push closes the stream (running on_close on the pushing
  // thread, before it returns) and returns false. An empty chunk is ignored.
  bool push(std::string chunk);
  // Thread-safe. No more pushes: next() yields what is queued, then nullopt. The stream is closed only when
  // the server calls close() after that.
  void finish();
  // Thread-safe, idempotent. Drops what is queued; a waiting next() returns nullopt; runs the on_close
  // callback (once, on the calling thread).
  void close() override;
  bool closed() const;
  // Called once when the stream closes (client gone, server stopped, overflow, close() by anyone, or the
  // stream destroyed unclosed), on the thread that closed it: the place to unsubscribe. Called at once if
  // already closed. Must not block.
  void on_close(std::function<void()> callback);
  // Chunks waiting for next(), for tests and metrics.
  size_t queued() const;

  Task<std::optional<std::string>> next() override;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

// One SSE event: "event: <event>\n" and "id: <id>\n" when non-empty, then each line of `data` as
// "data: <line>\n" (CR LF, CR and LF all split lines, as EventSource does), then a blank line. CR and LF in
// `event` and `id` are dropped so they cannot split the event.
std::string format_sse_event(std::string_view data, std::string_view event = {}, std::string_view id = {});

}  // namespace tb::net
