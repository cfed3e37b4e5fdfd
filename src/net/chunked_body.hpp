#pragma once
// A chunked request body (RFC 9112 §7.1), read by the server itself after Beast has parsed the head. Beast
// 1.74 looks for a chunk extension's closing quote past the end of its line, so the bytes after the line, and
// how TCP cut them, decided between 400 and waiting; and it counts a chunk's size against the body limit
// again each time it waits (a chunk line read in pieces ended in 413, read at once in 400). Here a chunk line
// is judged on its own bytes, and each chunk counts once. Trailer fields are checked and dropped (§7.1.2).
// Internal to net/: for http_server.cpp and for the fuzz target tests/fuzz/http_request.cpp.
#include <cstddef>
#include <string>
#include <string_view>

#include <boost/beast/core/error.hpp>

namespace tb::net {

class ChunkedBody {
 public:
  // max_body: the body's bytes; max_trailer: a chunk line's and the trailer section's bytes.
  ChunkedBody(size_t max_body, size_t max_trailer) : left_(max_body), max_line_(max_trailer) {}
  ~ChunkedBody();  // wipes what is left of the body: it may carry an API secret
  ChunkedBody(const ChunkedBody&) = delete;
  ChunkedBody& operator=(const ChunkedBody&) = delete;

  // Takes what it can from `buffered` (the bytes after those it took before) and says how many in `used`.
  // Returns http::error::need_more until the body has ended (then success), or the error that ends it:
  // bad_chunk or bad_chunk_extension (400), bad_field in a trailer (400), body_limit (413), header_limit for
  // a trailer section over its limit (431).
  boost::beast::error_code feed(std::string_view buffered, size_t& used);

  std::string& body() { return body_; }

 private:
  enum class State { Size, Data, DataEnd, Trailer, Done };
  boost::beast::error_code size_line(std::string_view line);
  void append(std::string_view bytes);  // a body outgrowing its storage leaves none unwiped behind
  State state_ = State::Size;
  size_t left_;       // the body's room
  size_t max_line_;   // a line's room, and the trailer section's
  size_t chunk_ = 0;  // bytes of the current chunk still to come
  size_t trailer_ = 0;
  size_t searched_ = 0;  // bytes of the line under way searched for its end already
  std::string body_;
};

}  // namespace tb::net
