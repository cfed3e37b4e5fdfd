#include "net/chunked_body.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include <boost/beast/http/error.hpp>

#include "net/wire.hpp"

namespace tb::net {
namespace {

namespace http = boost::beast::http;
using boost::beast::error_code;

bool bws(char c) { return c == ' ' || c == '\t'; }

bool qdtext(unsigned char c) {
  return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E) || c >= 0x80;
}

bool quotable(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7F); }  // HTAB, SP, VCHAR, obs-text

// chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] ), the whole rest of the line.
bool valid_extensions(std::string_view s) {
  size_t i = 0;
  auto skip_bws = [&] {
    while (i < s.size() && bws(s[i])) ++i;
  };
  auto token = [&] {
    const size_t from = i;
    while (i < s.size() && valid_header_name(s.substr(i, 1))) ++i;
    return i > from;
  };
  for (;;) {
    if (i == s.size()) return true;
    skip_bws();  // only before a ";": the line ends right after a size, a name or a value
    if (i == s.size() || s[i] != ';') return false;
    ++i;
    skip_bws();
    if (!token()) return false;
    skip_bws();
    if (i == s.size() || s[i] != '=') continue;
    ++i;
    skip_bws();
    if (i < s.size() && s[i] == '"') {
      for (++i;; ++i) {
        if (i == s.size()) return false;  // the line ended inside the quotes
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '"') break;
        if (c == '\\') {
          if (++i == s.size() || !quotable(static_cast<unsigned char>(s[i]))) return false;
        } else if (!qdtext(c)) {
          return false;
        }
      }
      ++i;
    } else if (!token()) {
      return false;
    }
  }
}

// field-name ":" OWS field-value OWS, the value without control characters but HTAB.
bool valid_trailer(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || !valid_header_name(line.substr(0, colon))) return false;
  for (char c : line.substr(colon + 1))
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7F) return false;
  return true;
}

}  // namespace

ChunkedBody::~ChunkedBody() { explicit_bzero(body_.data(), body_.capacity()); }

void ChunkedBody::append(std::string_view bytes) {
  if (body_.size() + bytes.size() > body_.capacity()) {
    std::string bigger;
    bigger.reserve(std::max(body_.size() + bytes.size(), 2 * body_.capacity()));
    bigger.append(body_);
    explicit_bzero(body_.data(), body_.capacity());
    body_.swap(bigger);
  }
  body_.append(bytes);
}

error_code ChunkedBody::size_line(std::string_view line) {
  size_t i = 0, size = 0;
  for (; i < line.size() && std::isxdigit(static_cast<unsigned char>(line[i])); ++i) {
    if (size > (left_ >> 4) + 1) return http::error::body_limit;  // over the limit, and long before it overflows
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i])));
    size = size * 16 + static_cast<size_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  if (i == 0) return http::error::bad_chunk;
  if (!valid_extensions(line.substr(i))) return http::error::bad_chunk_extension;
  if (size > left_) return http::error::body_limit;
  left_ -= size;
  chunk_ = size;
  state_ = size ? State::Data : State::Trailer;
  return {};
}

error_code ChunkedBody::feed(std::string_view buffered, size_t& used) {
  used = 0;
  for (;;) {
    std::string_view rest = buffered.substr(used);
    switch (state_) {
      case State::Done: return {};
      case State::Data: {
        const size_t n = std::min(chunk_, rest.size());
        append(rest.substr(0, n));
        used += n;
        chunk_ -= n;
        if (chunk_) return http::error::need_more;
        state_ = State::DataEnd;
        break;
      }
      case State::DataEnd:
        if (rest.size() < 2) return rest.empty() || rest[0] == '\r' ? error_code(http::error::need_more) : http::error::bad_chunk;
        if (rest.substr(0, 2) != "\r\n") return http::error::bad_chunk;
        used += 2;
        state_ = State::Size;
        break;
      case State::Size:
      case State::Trailer: {
        // Searched from where the last wait left off (a byte back, for a CR it ended on): a line that comes a
        // byte a read is not searched again from its start each time.
        const size_t eol = rest.find("\r\n", searched_ ? searched_ - 1 : 0);
        const bool trailer = state_ == State::Trailer;
        const size_t room = trailer ? max_line_ - trailer_ : max_line_;
        if (eol == std::string_view::npos || eol + 2 > room) {
          searched_ = rest.size();
          if (rest.size() < room) return http::error::need_more;
          return trailer ? http::error::header_limit : http::error::bad_chunk;  // no chunk line is that long
        }
        searched_ = 0;
        const std::string_view line = rest.substr(0, eol);
        used += eol + 2;
        if (!trailer) {
          if (auto ec = size_line(line)) return ec;
        } else if (line.empty()) {
          state_ = State::Done;
        } else if (!valid_trailer(line)) {
          return http::error::bad_field;
        } else {
          trailer_ += eol + 2;
        }
        break;
      }
    }
  }
}

}  // namespace tb::net
