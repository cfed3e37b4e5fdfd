#pragma once
// How the server judges the head of a request it reads, apart from the I/O: the framing it refuses, the
// Content-Length over the limit, and the answer to a failed read. Internal to net/, with Beast included:
// for http_server.cpp and for the fuzz target tests/fuzz/http_request.cpp, which reads requests from bytes
// through these same functions.
#include <cstddef>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace tb::net {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Why a request's framing is refused (RFC 9112 §6.3 and §3.2): anything a proxy in front of us might
// frame differently could smuggle a second request past it. Empty when fine.
std::string framing_problem(const boost::beast::http::request<boost::beast::http::string_body>& msg);

// Whether the head announces a body over the limit. Beast 1.74 lets such a Content-Length through when the
// body is already buffered, so the server checks it after the head too (and answers 413).
bool content_length_over(const RequestParser& parser, size_t max_request_bytes);

// Where the head at the start of `buffered` ends (just past its blank line), or npos while it has not ended.
// The server reads a head whole before Beast parses it: Beast parses a head that came in one read at once but
// waits for the end of one that came in pieces, and counts its limit from where it resumed, so the same bytes
// cut differently were answered 400 or 431. Read whole, a head has one verdict and its limit counts all of it.
// `from`: where the search resumes (bytes before it were searched already): a head that comes a byte a read is
// not searched again from its start each time.
size_t head_end(std::string_view buffered, size_t from = 0);

// Beast's parse of a head that is whole at the start of `buffer` (its first `end` bytes, from head_end), the
// head consumed from it. Nothing after the blank line is looked at: Beast 1.74 looks past a short version for
// its eight characters, so "POST / H" was a bad version with more bytes behind it and waited for more alone.
// A whole head Beast still wants more of has a version too short: bad_version.
boost::beast::error_code parse_head(RequestParser& parser, boost::beast::flat_buffer& buffer, size_t end);

// The status the server answers a failed read with: 413 (body over the limit), 431 (head over the limit),
// 400 (malformed), or 0: no answer, the connection just closes (the client hung up or went idle, maybe in
// the middle of a request).
int status_for_read_error(const boost::beast::error_code& ec);

}  // namespace tb::net
