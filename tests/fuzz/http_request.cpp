// The server's reading of requests (src/net/http_server.cpp's serve(), with src/net/request_head.cpp):
// Beast's request parser with the server's limits, then our framing checks, request after request on one
// connection, from the bytes of the input. The reading mirrors serve() step by step, with Beast's
// synchronous reads in place of its coroutines, and the judgement is the server's own functions.
// Properties:
// - the verdicts and the requests read do not depend on how the bytes are split into reads (the first
//   input byte picks a read size for the second pass), but for a request the input cuts short;
// - an accepted request keeps the server's promises to handlers: method a token, header names tokens and
//   values free of CR, LF and NUL, a body within the limit and as long as its Content-Length, no
//   Transfer-Encoding but a lone `chunked` and never with Content-Length, exactly one Host in HTTP/1.1;
// - an accepted request written again by our client (serialize_request) is read back as the same request;
// - X-Forwarded-For resolves to a canonical address that is not the trusted proxy's, or to nothing.
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "net/chunked_body.hpp"
#include "net/forwarded.hpp"
#include "net/http.hpp"
#include "net/request_head.hpp"
#include "net/wire.hpp"

namespace beast = boost::beast;
namespace http = beast::http;
using namespace tb::net;

namespace {

constexpr size_t kMaxHeader = 2048;  // small limits, so the fuzzer meets 413 and 431 (the server's: 16 KiB, 1 MiB)
constexpr size_t kMaxBody = 4096;
constexpr int kMaxRequests = 8;

// A connection's bytes, delivered at most `chunk` at a time, then end of stream.
struct Source {
  std::string_view data;
  size_t chunk;
  size_t pos = 0;

  template <typename Buffers>
  size_t read_some(const Buffers& buffers, beast::error_code& ec) {
    if (pos == data.size()) {
      ec = boost::asio::error::eof;
      return 0;
    }
    size_t n = boost::asio::buffer_copy(buffers, boost::asio::buffer(data.substr(pos, chunk)));
    pos += n;
    ec = {};
    return n;
  }
  template <typename Buffers>
  size_t read_some(const Buffers& buffers) {
    beast::error_code ec;
    size_t n = read_some(buffers, ec);
    if (ec) throw beast::system_error(ec);
    return n;
  }
};

struct Read {
  int status = 0;  // 0: accepted (or, as the last entry, closed without an answer)
  std::string problem;
  HttpRequest request;
  bool keep_alive = false;
  bool operator==(const Read& o) const {
    if (status != o.status || problem != o.problem || keep_alive != o.keep_alive) return false;
    const auto &a = request, &b = o.request;
    if (a.method != b.method || a.url != b.url || a.body != b.body || a.headers.size() != b.headers.size()) return false;
    for (size_t i = 0; i < a.headers.size(); ++i)
      if (a.headers[i].name != b.headers[i].name || a.headers[i].value != b.headers[i].value) return false;
    return true;
  }
};

// serve()'s loop, with a verdict per request instead of an answer.
std::vector<Read> read_all(std::string_view bytes, size_t chunk, size_t max_header = kMaxHeader, bool* last_accepted_fully = nullptr) {
  std::vector<Read> out;
  Source src{bytes, chunk};
  beast::flat_buffer buffer;
  for (int i = 0; i < kMaxRequests; ++i) {
    RequestParser parser;
    parser.header_limit(static_cast<std::uint32_t>(max_header));
    parser.body_limit(kMaxBody);
    beast::error_code ec;
    auto buffered = [&] { return std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()); };
    size_t end = head_end(buffered());
    while (end == std::string_view::npos && buffer.size() < max_header) {
      const size_t n = src.read_some(buffer.prepare(std::max<size_t>(512, max_header + 4 - buffer.size())), ec);
      if (ec) break;
      const size_t searched = buffer.size();
      buffer.commit(n);
      end = head_end(buffered(), searched);
    }
    if (!ec && (end == std::string_view::npos || end > max_header)) ec = http::error::header_limit;
    if (!ec) ec = parse_head(parser, buffer, end);
    if (!ec && content_length_over(parser, kMaxBody)) ec = http::error::body_limit;
    if (!ec) {
      if (auto problem = framing_problem(parser.get()); !problem.empty()) {
        out.push_back({400, problem});
        break;
      }
    }
    Read r;  // the head's fields, taken before the body as the server does: trailer fields never count
    if (!ec) {
      auto& head = parser.get();
      r.request.method = std::string(head.method_string());
      r.request.url = std::string(head.target());
      for (auto& f : head) r.request.headers.push_back({std::string(f.name_string()), std::string(f.value())});
    }
    std::string chunked_body;
    if (!ec && parser.chunked()) {
      ChunkedBody chunked(kMaxBody, max_header);
      for (;;) {
        size_t used = 0;
        ec = chunked.feed(buffered(), used);
        buffer.consume(used);
        if (ec != http::error::need_more) break;
        const size_t n = src.read_some(buffer.prepare(16 * 1024), ec);
        if (ec) break;
        buffer.commit(n);
      }
      chunked_body = std::move(chunked.body());
    } else if (!ec && !parser.is_done()) {
      http::read(src, buffer, parser, ec);
    }
    if (ec) {
      out.push_back({status_for_read_error(ec), ec.message()});
      break;
    }
    auto& msg = parser.get();
    r.request.body = parser.chunked() ? std::move(chunked_body) : msg.body();
    r.keep_alive = msg.keep_alive();
    out.push_back(std::move(r));
    if (last_accepted_fully) *last_accepted_fully = src.pos == bytes.size() && buffer.size() == 0;
    if (!out.back().keep_alive) break;
  }
  return out;
}

const std::string* find_header(const HttpRequest& r, std::string_view name) { return r.header(name); }

size_t count_header(const HttpRequest& r, std::string_view name) {
  return static_cast<size_t>(std::count_if(r.headers.begin(), r.headers.end(), [&](const Header& h) { return iequals(h.name, name); }));
}

void check_accepted(const HttpRequest& r) {
  FUZZ_CHECK(valid_header_name(r.method), "method %s", r.method.c_str());
  for (const auto& h : r.headers) FUZZ_CHECK(valid_header_name(h.name) && valid_header_value(h.value), "header %s", h.name.c_str());
  FUZZ_CHECK(r.body.size() <= kMaxBody, "a %zu-byte body", r.body.size());
  size_t te = count_header(r, "Transfer-Encoding");
  FUZZ_CHECK(te <= 1, "Transfer-Encoding %zu times", te);
  if (te == 1) FUZZ_CHECK(count_header(r, "Content-Length") == 0, "Transfer-Encoding with Content-Length");
  if (auto cl = find_header(r, "Content-Length"); cl && te == 0)
    FUZZ_CHECK(std::to_string(r.body.size()) == *cl || std::stoull(*cl) == r.body.size(), "Content-Length %s, body %zu", cl->c_str(),
               r.body.size());
}

// Our client writes the request again (Host and User-Agent kept, framing recomputed); the server must read
// back the same method, target, body and the same headers but for Content-Length and Transfer-Encoding.
void check_round_trip(const HttpRequest& r) {
  Url url{"http", "fuzz.invalid", 80, r.url};
  auto wire = serialize_request(r, url, "fuzz");
  if (!wire) return;  // our client refuses what it would not send (a target with a control character)
  // Its head may be longer than the one read (framing and User-Agent written again): the limit is not what
  // this checks, so the re-read has room for them.
  auto again = read_all(*wire, wire->size(), kMaxHeader + 512);
  FUZZ_CHECK(!again.empty() && again[0].status == 0 && again[0].problem.empty(), "re-sent request refused: %s",
             again.empty() ? "" : again[0].problem.c_str());
  const HttpRequest& b = again[0].request;
  FUZZ_CHECK(b.method == r.method && b.url == r.url && b.body == r.body, "re-read %s %s differs", r.method.c_str(), r.url.c_str());
  auto framing = [](const Header& h) {
    return iequals(h.name, "Content-Length") || iequals(h.name, "Transfer-Encoding") || iequals(h.name, "Host") ||
           iequals(h.name, "User-Agent");
  };
  std::vector<Header> x, y;
  std::copy_if(r.headers.begin(), r.headers.end(), std::back_inserter(x), [&](const Header& h) { return !framing(h); });
  std::copy_if(b.headers.begin(), b.headers.end(), std::back_inserter(y), [&](const Header& h) { return !framing(h); });
  FUZZ_CHECK(x.size() == y.size(), "%zu headers re-read as %zu", x.size(), y.size());
  for (size_t i = 0; i < x.size(); ++i)
    FUZZ_CHECK(x[i].name == y[i].name && x[i].value == y[i].value, "header %s: '%s' re-read as '%s'", x[i].name.c_str(), x[i].value.c_str(),
               y[i].value.c_str());
}

void check_forwarded(const HttpRequest& r) {
  std::string joined;
  for (const auto& h : r.headers)
    if (iequals(h.name, "X-Forwarded-For")) joined += (joined.empty() ? "" : ",") + h.value;
  if (joined.empty()) return;
  static const std::vector<std::string> trusted{"10.0.0.1", "::1"};
  std::string client = forwarded_client(joined, trusted);
  if (client.empty()) return;
  FUZZ_CHECK(canonical_ip(client) == client, "client %s not canonical", client.c_str());
  FUZZ_CHECK(std::find(trusted.begin(), trusted.end(), client) == trusted.end(), "client %s is the proxy", client.c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return -1;
  size_t chunk = 1 + data[0] % 64;
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  auto whole = read_all(bytes, std::max<size_t>(bytes.size(), 1));
  auto pieces = read_all(bytes, chunk);
  // The same requests accepted, in the same order, then the same refusal. One exception: a request cut
  // short by the end of the input. Beast may find a bad line in a head it holds whole before the head's end
  // comes (400), while read piecewise it waits for the end, which never comes (no answer). On a connection
  // the client that stops sending gets no answer either way.
  FUZZ_CHECK(whole.size() == pieces.size(), "%zu reads at once, %zu in pieces of %zu", whole.size(), pieces.size(), chunk);
  for (size_t i = 0; i < whole.size(); ++i) {
    bool last = i + 1 == whole.size();
    bool cut_short = last && ((whole[i].status == 0 && !whole[i].problem.empty()) || (pieces[i].status == 0 && !pieces[i].problem.empty()));
    if (cut_short && whole[i].status != pieces[i].status) continue;
    FUZZ_CHECK(whole[i] == pieces[i], "read %zu: status %d '%s' at once, %d '%s' in pieces of %zu", i, whole[i].status,
               whole[i].problem.c_str(), pieces[i].status, pieces[i].problem.c_str(), chunk);
  }

  for (const auto& r : whole) {
    if (r.status != 0 || !r.problem.empty()) continue;
    check_accepted(r.request);
    check_round_trip(r.request);
    check_forwarded(r.request);
  }
  return 0;
}
