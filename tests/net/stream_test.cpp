// Streaming responses (server-sent events): QueueStream on its own, then HttpServer streams seen from a raw
// socket (exact bytes, bounded waits) and from node's fetch.
#include <gtest/gtest.h>

#include <boost/asio/this_coro.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include "net/response_stream.hpp"
#include "net_test_util.hpp"
#include "raw_client.hpp"

namespace tb::test {
namespace {

using namespace std::chrono_literals;
using net::HttpRequest;
using net::HttpResponse;
using net::QueueStream;
using Clock = std::chrono::steady_clock;

// Polls `condition` until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5s) {
  auto deadline = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// QueueStream alone

TEST(QueueStream, FinishHandsOverWhatIsQueuedInOneChunkThenEnds) {
  asio::io_context io;
  QueueStream q(io.get_executor(), 0ms);
  EXPECT_TRUE(q.push("a\n"));
  EXPECT_TRUE(q.push("b\n"));
  EXPECT_EQ(q.queued(), 2u);
  q.finish();
  EXPECT_FALSE(q.push("c\n"));
  EXPECT_EQ(run_on(io, q.next()), std::optional<std::string>("a\nb\n"));
  EXPECT_EQ(run_on(io, q.next()), std::nullopt);
  EXPECT_FALSE(q.closed());  // finished, not closed: closing is the server's call
}

TEST(QueueStream, OverflowClosesDropsTheQueueAndRunsOnCloseOnce) {
  asio::io_context io;
  QueueStream q(io.get_executor(), 0ms, 3);
  int on_close_calls = 0;
  q.on_close([&] { ++on_close_calls; });
  EXPECT_TRUE(q.push("1"));
  EXPECT_TRUE(q.push("2"));
  EXPECT_TRUE(q.push("3"));
  EXPECT_FALSE(q.closed());
  EXPECT_FALSE(q.push("4"));
  EXPECT_TRUE(q.closed());
  EXPECT_EQ(q.queued(), 0u);
  EXPECT_EQ(on_close_calls, 1);
  q.close();
  EXPECT_EQ(on_close_calls, 1);
  EXPECT_FALSE(q.push("5"));
  EXPECT_EQ(run_on(io, q.next()), std::nullopt);
  int late = 0;
  q.on_close([&] { ++late; });  // already closed: runs at once
  EXPECT_EQ(late, 1);
}

TEST(QueueStream, KeepaliveYieldsACommentWhenNothingIsPushed) {
  asio::io_context io;
  QueueStream q(io.get_executor(), 20ms);
  EXPECT_EQ(run_on(io, q.next()), std::optional<std::string>(":\n\n"));
  q.push("data: x\n\n");
  EXPECT_EQ(run_on(io, q.next()), std::optional<std::string>("data: x\n\n"));
}

// A next() waiting with no keep-alive is woken by a push or a close from another thread. A watchdog closes
// the stream after a while, so a missed wake-up fails the test instead of hanging it.
TEST(QueueStream, PushAndCloseFromAnotherThreadWakeAWaitingNext) {
  asio::io_context io;
  QueueStream q(io.get_executor(), 0ms);
  std::thread pusher([&] {
    std::this_thread::sleep_for(30ms);
    q.push("data: late\n\n");
  });
  std::atomic<bool> done{false};
  std::thread watchdog([&] {
    eventually([&] { return done.load(); }, 10s);
    q.close();
  });
  EXPECT_EQ(run_on(io, q.next()), std::optional<std::string>("data: late\n\n"));
  pusher.join();
  std::thread closer([&] {
    std::this_thread::sleep_for(30ms);
    q.close();
  });
  auto start = Clock::now();
  EXPECT_EQ(run_on(io, q.next()), std::nullopt);
  EXPECT_LT(Clock::now() - start, 5s);
  done = true;
  closer.join();
  watchdog.join();
}

TEST(ServerSentEvents, FormatSplitsDataLinesAndCleansEventAndId) {
  EXPECT_EQ(net::format_sse_event("hello"), "data: hello\n\n");
  EXPECT_EQ(net::format_sse_event("a\nb\r\nc\rd", "order", "42"), "event: order\nid: 42\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  EXPECT_EQ(net::format_sse_event("x\n"), "data: x\ndata: \n\n");
  EXPECT_EQ(net::format_sse_event("", "ev\nil", "1\r\ndata: forged"), "event: evil\nid: 1data: forged\ndata: \n\n");
}

// ---------------------------------------------------------------------------------------------------------
// HttpServer streams

// Counts the server's close() calls (the tests never call close() themselves).
class ObservedStream : public QueueStream {
 public:
  using QueueStream::QueueStream;
  void close() override {
    ++close_calls;
    QueueStream::close();
  }
  std::atomic<int> close_calls{0};
};

struct StreamSettings {
  std::chrono::milliseconds keepalive{0};
  size_t max_queued = QueueStream::kDefaultMaxQueued;
  std::string first_body;         // HttpResponse::body of the stream response
  bool session_executor = false;  // the stream on the connection's strand instead of the io_context
};

// An HttpServer on its own thread: "/events" answers 200 with an ObservedStream, every other target with
// "plain <target>". The streams it made are kept in order for the test to push to.
class StreamServer {
 public:
  explicit StreamServer(StreamSettings settings = {}, net::HttpServerOptions options = {})
      : settings_(std::move(settings)),
        server_(thread_.io(), std::move(options), net::AsyncHandler([this](HttpRequest r) { return handle(this, std::move(r)); })) {
    auto started = server_.start();
    if (!started) throw std::runtime_error(started.error().describe());
  }
  ~StreamServer() { server_.stop(); }

  net::HttpServer& server() { return server_; }
  uint16_t port() const { return server_.port(); }

  // The i-th stream made (0-based), once it exists; nullptr after 5 s.
  std::shared_ptr<ObservedStream> stream(size_t i) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 5s, [&] { return streams_.size() > i; });
    return streams_.size() > i ? streams_[i] : nullptr;
  }
  size_t streams_made() {
    std::lock_guard lock(mu_);
    return streams_.size();
  }

 private:
  static net::Task<HttpResponse> handle(StreamServer* self, HttpRequest r) {
    HttpResponse out;
    out.status = 200;
    if (r.url != "/events") {
      out.body = "plain " + r.url;
      co_return out;
    }
    asio::any_io_executor ex = self->thread_.io().get_executor();
    if (self->settings_.session_executor) ex = co_await asio::this_coro::executor;
    auto s = std::make_shared<ObservedStream>(ex, self->settings_.keepalive, self->settings_.max_queued);
    out.headers = {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}, {"Content-Length", "99"}};
    out.body = self->settings_.first_body;
    out.stream = s;
    {
      std::lock_guard lock(self->mu_);
      self->streams_.push_back(s);
    }
    self->cv_.notify_all();
    co_return out;
  }

  StreamSettings settings_;
  IoThread thread_;  // before the server and the streams: outlives them
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<ObservedStream>> streams_;
  net::HttpServer server_;
};

std::string plain_get(uint16_t port, const std::string& target) {
  asio::io_context io;
  net::HttpClient client(io);
  HttpRequest r;
  r.url = "http://127.0.0.1:" + std::to_string(port) + target;
  auto res = run_on(io, client.send(r));
  if (!res) return "error: " + res.error().describe();
  return std::to_string(res->status) + " " + res->body;
}

TEST(ServerSentEvents, HeadArrivesFirstThenEventsPushedFromAnotherThreadInOrder) {
  StreamServer server({.first_body = "retry: 500\n\n", .session_executor = true});
  RawClient client(server.port());
  client.request_events();
  ASSERT_TRUE(client.read_until("retry: 500\n\n")) << client.received();
  auto stream = server.stream(0);
  ASSERT_TRUE(stream);
  EXPECT_EQ(stream->queued(), 0u);  // nothing was pushed yet: the head did not wait for an event

  std::string head = client.head();
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("\r\nContent-Type: text/event-stream\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nCache-Control: no-cache\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nConnection: close\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;  // the handler's own is dropped too
  EXPECT_EQ(head.find("Transfer-Encoding"), std::string::npos) << head;
  EXPECT_EQ(client.body(), "retry: 500\n\n");

  // A plain request on another connection is answered while the stream is open.
  EXPECT_EQ(plain_get(server.port(), "/other"), "200 plain /other");

  std::string expected = "retry: 500\n\n";
  for (int i = 0; i < 300; ++i) expected += net::format_sse_event("n=" + std::to_string(i), "tick", std::to_string(i));
  std::thread producer([&] {
    for (int i = 0; i < 300; ++i) {
      stream->push(net::format_sse_event("n=" + std::to_string(i), "tick", std::to_string(i)));
      if (i % 50 == 0) std::this_thread::sleep_for(1ms);
    }
  });
  producer.join();
  ASSERT_TRUE(client.read_until("id: 299\ndata: n=299\n\n")) << client.body().size();
  EXPECT_EQ(client.body(), expected);
  EXPECT_FALSE(client.closed());
  EXPECT_EQ(stream->close_calls.load(), 0);

  stream->finish();  // the producer ends the stream: the server closes the connection
  EXPECT_TRUE(client.read_until_closed());
  EXPECT_EQ(client.body(), expected);
  EXPECT_TRUE(eventually([&] { return stream->close_calls.load() == 1; }));
  EXPECT_TRUE(eventually([&] { return server.server().open_connections() == 0; }));
}

TEST(ServerSentEvents, KeepaliveCommentArrivesWhenNothingHappens) {
  StreamServer server({.keepalive = 50ms});
  RawClient client(server.port());
  client.request_events();
  ASSERT_TRUE(client.read_until("\r\n\r\n:\n\n")) << client.received();
  ASSERT_TRUE(client.read_until("\r\n\r\n:\n\n:\n\n")) << client.received();
  server.stream(0)->push("data: after\n\n");
  ASSERT_TRUE(client.read_until("data: after\n\n")) << client.received();
  EXPECT_EQ(client.body().find_first_not_of(":\n"), client.body().find("data: after\n\n"));  // only comments before it
}

// Neither timeout limits how long a stream waits for its next event, and the write timeout is counted for
// each write from its start: an 8 MB event (more than the socket buffers hold) that waits for the client (a
// pause while reading) after the stream was quiet for longer than the write timeout still goes through.
TEST(ServerSentEvents, IdleAndWriteTimeoutsDoNotEndAQuietStream) {
  StreamServer server({}, {.idle_timeout = 100ms, .write_timeout = 800ms});
  RawClient client(server.port(), 256 * 1024);
  client.request_events();
  ASSERT_TRUE(client.read_until("\r\n\r\n")) << client.received();
  auto stream = server.stream(0);
  std::this_thread::sleep_for(1000ms);
  stream->push("data: still here\n\n");
  ASSERT_TRUE(client.read_until("data: still here\n\n")) << client.received();
  std::string big = "data: " + std::string(8 * 1024 * 1024, 'b') + "\n\n";
  stream->push(big);
  ASSERT_TRUE(client.read_at_least(client.received().size() + 64 * 1024));
  std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(client.read_until("b\n\n")) << client.body().size();
  stream->push("data: and again\n\n");
  ASSERT_TRUE(client.read_until("data: and again\n\n")) << client.body().size();
  EXPECT_TRUE(client.body() == "data: still here\n\n" + big + "data: and again\n\n");
  EXPECT_FALSE(client.closed());
  EXPECT_EQ(stream->close_calls.load(), 0);
}

TEST(ServerSentEvents, ClientHangUpClosesTheWaitingStream) {
  for (bool session_executor : {false, true}) {
    StreamServer server({.session_executor = session_executor});
    RawClient client(server.port());
    client.request_events();
    ASSERT_TRUE(client.read_until("\r\n\r\n")) << client.received();
    auto stream = server.stream(0);
    std::atomic<int> unsubscribed{0};
    stream->on_close([&] { ++unsubscribed; });
    ASSERT_TRUE(stream->push("data: 1\n\n"));
    ASSERT_TRUE(client.read_until("data: 1\n\n"));
    client.hang_up();  // while the server waits in next()
    EXPECT_TRUE(eventually([&] { return stream->close_calls.load() == 1; })) << stream->close_calls.load();
    EXPECT_TRUE(stream->closed());
    EXPECT_EQ(unsubscribed.load(), 1);
    EXPECT_FALSE(stream->push("data: 2\n\n"));
    EXPECT_TRUE(eventually([&] { return server.server().open_connections() == 0; }));
  }
}

TEST(ServerSentEvents, StopEndsEveryOpenStream) {
  StreamServer server({.keepalive = 1h});
  RawClient a(server.port());
  RawClient b(server.port());
  a.request_events();
  b.request_events();
  ASSERT_TRUE(a.read_until("\r\n\r\n"));
  ASSERT_TRUE(b.read_until("\r\n\r\n"));
  ASSERT_EQ(server.streams_made(), 2u);
  server.server().stop();
  EXPECT_TRUE(a.read_until_closed());
  EXPECT_TRUE(b.read_until_closed());
  EXPECT_EQ(a.body(), "");
  EXPECT_EQ(b.body(), "");
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_TRUE(eventually([&] { return server.stream(i)->close_calls.load() == 1; })) << i;
    EXPECT_TRUE(server.stream(i)->closed()) << i;
  }
}

// The client reads nothing: the socket buffers fill, the server's write waits, pushes pile up past the
// bound and the stream closes. The client then gets whole chunks already handed over, then the end.
TEST(ServerSentEvents, QueueOverflowOfASlowClientClosesTheStream) {
  constexpr size_t kChunk = 64 * 1024;
  StreamServer server({.max_queued = 8});
  RawClient client(server.port(), 4096);
  client.request_events();
  ASSERT_TRUE(client.read_until("\r\n\r\n"));
  auto stream = server.stream(0);
  std::string pushed;
  bool overflowed = false;
  for (int i = 0; i < 4000 && !overflowed; ++i) {
    std::string chunk = "data: " + std::to_string(i) + " ";
    chunk.resize(kChunk - 2, static_cast<char>('a' + i % 26));
    chunk += "\n\n";
    if (stream->push(chunk)) pushed += chunk;
    else overflowed = true;
  }
  ASSERT_TRUE(overflowed) << "never overflowed after " << pushed.size() << " bytes";
  EXPECT_TRUE(stream->closed());
  EXPECT_TRUE(client.read_until_closed(10s)) << client.body().size();
  std::string body = client.body();
  EXPECT_LT(body.size(), pushed.size());  // what was still queued was dropped
  EXPECT_EQ(body.size() % kChunk, 0u) << body.size();
  EXPECT_TRUE(body == pushed.substr(0, body.size())) << "not a prefix of what was pushed";
  EXPECT_TRUE(eventually([&] { return stream->close_calls.load() == 1; }));
}

// A client that stops reading makes a write wait: the write timeout ends the stream, without any overflow.
TEST(ServerSentEvents, WriteTimeoutEndsTheStreamOfAClientThatStoppedReading) {
  constexpr size_t kChunk = 64 * 1024;
  StreamServer server({}, {.write_timeout = 200ms});
  RawClient client(server.port(), 4096);
  client.request_events();
  ASSERT_TRUE(client.read_until("\r\n\r\n"));
  auto stream = server.stream(0);
  int pushed = 0;
  for (; pushed < 200 && stream->push(std::string(kChunk, 'x')); ++pushed) {
  }
  EXPECT_EQ(pushed, 200);  // 13 MB, under the queue bound: only the timeout can end the stream
  EXPECT_TRUE(eventually([&] { return stream->close_calls.load() == 1; })) << stream->queued();
  EXPECT_TRUE(stream->closed());
  EXPECT_FALSE(stream->push("data: too late\n\n"));
  EXPECT_TRUE(client.read_until_closed());
  EXPECT_LT(client.body().size(), pushed * kChunk);
}

TEST(ServerSentEvents, HeadRequestGetsTheHeadOnly) {
  StreamServer server({.first_body = "retry: 1\n\n"});
  RawClient client(server.port());
  client.request_events("HEAD");
  EXPECT_TRUE(client.read_until_closed());
  EXPECT_EQ(client.received().rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << client.received();
  EXPECT_NE(client.received().find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_EQ(client.body(), "");
  EXPECT_TRUE(eventually([&] { return server.stream(0)->close_calls.load() == 1; }));
}

// Runs node's fetch (undici) against /events of `server` at `base_url`: it reads the EOF-delimited stream as
// it comes (the first body, then two events pushed after it connected) and stops reading, which the server
// sees as a hang-up. Returns node's output; `env` is prefixed to the command.
std::string node_reads_events(StreamServer& server, const std::string& base_url, const std::string& env = "") {
  auto script = std::filesystem::temp_directory_path() / ("tb_sse_" + std::to_string(::getpid()) + ".mjs");
  {
    std::ofstream js(script);
    js << R"(const timer = setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 10000);
const res = await fetch(process.argv[2], { headers: { accept: 'text/event-stream' } });
console.log('STATUS ' + res.status + ' ' + res.headers.get('content-type'));
const decoder = new TextDecoder();
let text = '';
for await (const part of res.body) {
  text += decoder.decode(part, { stream: true });
  if (text.includes('data: two\n\n')) break;
}
console.log(JSON.stringify(text));
clearTimeout(timer);
process.exit(0);
)";
  }
  std::string command = env + " node " + script.string() + " " + base_url + "/events 2>&1";
  std::thread producer([&] {
    auto stream = server.stream(0);
    if (!stream) return;
    stream->push(net::format_sse_event("one"));
    std::this_thread::sleep_for(20ms);
    stream->push(net::format_sse_event("two"));
  });
  std::string output;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    std::array<char, 4096> buf;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) output.append(buf.data(), n);
    output += "\nexit " + std::to_string(::pclose(pipe));
  }
  producer.join();
  std::filesystem::remove(script);
  return output;
}

bool have_node() { return std::system("node --version >/dev/null 2>&1") == 0; }

TEST(ServerSentEvents, NodeFetchReadsTheEvents) {
  if (!have_node()) GTEST_SKIP() << "node not installed";
  StreamServer server({.first_body = ": hello\n\n"});
  std::string output = node_reads_events(server, "http://127.0.0.1:" + std::to_string(server.port()));
  EXPECT_NE(output.find("STATUS 200 text/event-stream"), std::string::npos) << output;
  EXPECT_NE(output.find(R"(": hello\n\ndata: one\n\ndata: two\n\n")"), std::string::npos) << output;
  EXPECT_NE(output.find("\nexit 0"), std::string::npos) << output;
  EXPECT_TRUE(eventually([&] { return server.stream(0)->close_calls.load() == 1; }));
}

// The same over HTTPS: the hang-up watch reads while the stream writes on the same TLS connection.
TEST(ServerSentEvents, NodeFetchReadsTheEventsOverTls) {
  if (!have_node()) GTEST_SKIP() << "node not installed";
  char tmpl[] = "/tmp/tb_net_sse_XXXXXX";
  ASSERT_TRUE(::mkdtemp(tmpl));
  std::string dir = tmpl;
  std::string make_cert = "cd " + dir + " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem" +
                          " -out cert.pem -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost > openssl.log 2>&1";
  if (std::system(make_cert.c_str()) != 0) {
    std::filesystem::remove_all(dir);
    GTEST_SKIP() << "the openssl command could not make a test certificate";
  }
  {
    StreamServer server({.first_body = ": hello\n\n"}, {.tls_cert_file = dir + "/cert.pem", .tls_key_file = dir + "/key.pem"});
    std::string output =
        node_reads_events(server, "https://localhost:" + std::to_string(server.port()), "NODE_EXTRA_CA_CERTS=" + dir + "/cert.pem");
    EXPECT_NE(output.find("STATUS 200 text/event-stream"), std::string::npos) << output;
    EXPECT_NE(output.find(R"(": hello\n\ndata: one\n\ndata: two\n\n")"), std::string::npos) << output;
    EXPECT_NE(output.find("\nexit 0"), std::string::npos) << output;
    EXPECT_TRUE(eventually([&] { return server.stream(0)->close_calls.load() == 1; }));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tb::test
