#include "net/router.hpp"

#include <algorithm>
#include <variant>

#include "net/utf8.hpp"

namespace tb::net {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_name(std::string_view s) {
  if (s.empty()) return false;
  auto start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!start(s[0])) return false;
  return std::all_of(s.begin() + 1, s.end(), [&](char c) { return start(c) || (c >= '0' && c <= '9'); });
}

bool is_method(std::string_view m) {
  return !m.empty() && std::all_of(m.begin(), m.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// A literal pattern segment: printable ASCII that needs no escaping and is not a pattern character.
bool is_literal(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '{' && c != '}' && c != '%' && c != '?' && c != '#' && c != '/';
  });
}

// Splits "/a/b/" into {"a","b",""}: the text after the leading '/', cut at every '/'.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool same_shape(const RoutePattern& a, const std::vector<RoutePattern::Segment>& b) {
  if (a.segments.size() != b.size()) return false;
  for (size_t i = 0; i < b.size(); ++i) {
    if (a.segments[i].param != b[i].param) return false;
    if (!b[i].param && a.segments[i].text != b[i].text) return false;
  }
  return true;
}

// Whether a is more specific than b (both match the same path): a literal at the first differing position.
bool more_specific(const RoutePattern& a, const RoutePattern& b) {
  for (size_t i = 0; i < a.segments.size(); ++i)
    if (a.segments[i].param != b.segments[i].param) return !a.segments[i].param;
  return false;
}

// The segments of a pattern, or why it is malformed.
std::variant<std::vector<RoutePattern::Segment>, std::string> parse_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern[0] != '/') return std::string("the pattern must start with '/'");
  std::vector<RoutePattern::Segment> segments;
  for (auto part : split_path(pattern)) {
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      auto name = part.substr(1, part.size() - 2);
      if (!is_name(name)) return std::string("parameter names are letters, digits and '_'");
      for (auto& s : segments)
        if (s.param && s.text == name) return "parameter {" + std::string(name) + "} appears twice";
      segments.push_back({std::string(name), true});
    } else {
      if (part.empty() && pattern != "/") return std::string("empty segment (a trailing or double '/')");
      if (!is_literal(part)) return std::string("a segment is either {name} or printable text without {}%?#");
      segments.push_back({std::string(part), false});
    }
  }
  return segments;
}

}  // namespace

std::string_view path_of(std::string_view target) { return target.substr(0, target.find_first_of("?#")); }

std::optional<std::string> decode_path_segment(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi << 4 | lo);
    i += 2;
  }
  return out;
}

std::vector<std::string> RoutePattern::param_names() const {
  std::vector<std::string> out;
  for (auto& s : segments)
    if (s.param) out.push_back(s.text);
  return out;
}

Status RouteTable::add(std::string method, std::string pattern) {
  auto refuse = [&](const std::string& why) {
    return Error::make(ErrorKind::InvalidArgument, "route " + method + " " + pattern + ": " + why);
  };
  if (!is_method(method)) return refuse("the method must be upper-case letters");
  auto parsed = parse_pattern(pattern);
  if (auto* why = std::get_if<std::string>(&parsed)) return refuse(*why);
  auto& segments = std::get<std::vector<RoutePattern::Segment>>(parsed);
  for (auto& r : routes_)
    if (r.method == method && same_shape(r, segments)) return refuse("same as the route " + r.method + " " + r.pattern);
  routes_.push_back(RoutePattern{std::move(method), std::move(pattern), std::move(segments)});
  return ok_status();
}

PathMatch RouteTable::match(std::string_view method, std::string_view target) const {
  PathMatch m;
  auto path = path_of(target);
  if (path.empty() || path[0] != '/') return m;
  std::vector<std::string> segs;
  for (auto raw : split_path(path)) {
    auto d = decode_path_segment(raw);
    if (!d || !is_valid_utf8(*d)) {
      m.malformed = true;
      return m;
    }
    segs.push_back(std::move(*d));
  }

  const RoutePattern* best = nullptr;
  for (auto& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    bool ok = true;
    for (size_t i = 0; ok && i < segs.size(); ++i) ok = r.segments[i].param ? !segs[i].empty() : r.segments[i].text == segs[i];
    if (!ok) continue;
    if (r.method == method) {
      if (!best || more_specific(r, *best)) best = &r;
    } else {
      m.allowed.push_back(r.method);
    }
  }
  if (best) {
    m.outcome = PathMatch::Outcome::Found;
    m.index = static_cast<size_t>(best - routes_.data());
    m.allowed.clear();
    for (size_t i = 0; i < segs.size(); ++i)
      if (best->segments[i].param) m.path_params.emplace_back(best->segments[i].text, std::move(segs[i]));
    return m;
  }
  if (!m.allowed.empty()) {
    std::sort(m.allowed.begin(), m.allowed.end());
    m.allowed.erase(std::unique(m.allowed.begin(), m.allowed.end()), m.allowed.end());
    m.outcome = PathMatch::Outcome::MethodNotAllowed;
  }
  return m;
}

}  // namespace tb::net
