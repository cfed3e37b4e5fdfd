#include "net/http.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace tb::net {
namespace {

const std::string* find_header(const std::vector<Header>& headers, std::string_view name) {
  for (auto& h : headers)
    if (iequals(h.name, name)) return &h.value;
  return nullptr;
}

// RFC 3986 unreserved characters, as a table: this runs for every byte of every signed request.
constexpr std::array<bool, 256> kUnreserved = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c)
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
  return t;
}();

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const std::string* HttpRequest::header(std::string_view name) const { return find_header(headers, name); }
const std::string* HttpResponse::header(std::string_view name) const { return find_header(headers, name); }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Url::path() const { return target.substr(0, target.find('?')); }

std::string Url::query() const {
  auto q = target.find('?');
  return q == std::string::npos ? std::string() : target.substr(q + 1);
}

std::string Url::authority() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  bool default_port = (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  if (!default_port) out.append(":").append(std::to_string(port));
  return out;
}

std::string Url::origin() const { return scheme + "://" + authority(); }

std::optional<Url> parse_url(std::string_view s) {
  Url u;
  auto sep = s.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  u.scheme = std::string(s.substr(0, sep));
  std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  if (u.scheme != "http" && u.scheme != "https") return std::nullopt;
  auto rest = s.substr(sep + 3);
  auto slash = rest.find_first_of("/?");
  auto authority = rest.substr(0, slash);
  u.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (u.target[0] == '?') u.target.insert(0, "/");
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view port_text;
  if (authority[0] == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    u.host = std::string(authority.substr(1, close - 1));
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return std::nullopt;
      port_text = after.substr(1);
    }
  } else {
    auto colon = authority.find(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (u.host.empty()) return std::nullopt;
  if (!port_text.empty()) {
    unsigned p = 0;
    auto r = std::from_chars(port_text.data(), port_text.data() + port_text.size(), p);
    if (r.ec != std::errc{} || r.ptr != port_text.data() + port_text.size() || p == 0 || p > 65535) return std::nullopt;
    u.port = static_cast<uint16_t>(p);
  } else {
    u.port = u.scheme == "https" ? 443 : 80;
  }
  return u;
}

namespace {

void append_url_encoded(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  // Runs of unreserved characters are copied whole: most parameter names and values are one run.
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && kUnreserved[static_cast<unsigned char>(s[j])]) ++j;
    out.append(s, i, j - i);
    if (j == s.size()) break;
    auto c = static_cast<unsigned char>(s[j]);
    const char escaped[3] = {'%', kHex[c >> 4], kHex[c & 15]};
    out.append(escaped, 3);
    i = j + 1;
  }
}

}  // namespace

std::string url_encode(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  append_url_encoded(out, s);
  return out;
}

std::optional<std::string> url_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi << 4 | lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  size_t size = 0;
  for (auto& [k, v] : params) size += k.size() + v.size() + 2;
  out.reserve(size + size / 4);
  for (auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    append_url_encoded(out, k);
    out += '=';
    append_url_encoded(out, v);
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> form_decode(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!s.empty()) {
    auto amp = s.find('&');
    auto part = s.substr(0, amp);
    s = amp == std::string_view::npos ? std::string_view() : s.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    auto k = url_decode(part.substr(0, eq));
    auto v = url_decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
    if (!k || !v) return std::nullopt;
    out.emplace_back(std::move(*k), std::move(*v));
  }
  return out;
}

}  // namespace tb::net
