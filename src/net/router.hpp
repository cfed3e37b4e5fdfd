#pragma once
// The route table of an HTTP API, shared by the REST API (web/) and the simulator's admin API
// (exsim/server/). A pattern is a path of literal segments and `{name}` segments:
//   /api/v1/exchange-accounts/{id}/keys
// Matching looks at the path only (the query is cut off), splits it on '/' first and percent-decodes each
// segment after ('+' stays '+'; %2F inside a segment is a character of that segment, not a separator).
// Segment counts must be equal; a {name} segment matches any non-empty segment. No regular expressions.
//
// Policy:
// - A trailing slash is significant: "/x/" does not match "/x" (nor the other way round), and "//" never
//   matches. One resource has one URL, so caches and logs see one spelling.
// - Methods are case-sensitive (RFC 9110): "get" is not GET.
// - When several patterns match a path, the most specific wins: at the first segment where they differ,
//   a literal beats a {name} (so /accounts/new is preferred to /accounts/{id}).
// - A path some route matches but with another method is MethodNotAllowed, with the methods of every
//   pattern matching the path; a path no route matches, or one with a bad %-escape, is NotFound.
// - A malformed pattern, or the same method and pattern shape twice, is refused by add().
// The table knows patterns only: what a route does is kept by its owner, by the route's index.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace tb::net {

struct RoutePattern {
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool param = false;
  };
  std::string method;
  std::string pattern;  // as written
  std::vector<Segment> segments;

  std::vector<std::string> param_names() const;
};

struct PathMatch {
  enum class Outcome { Found, NotFound, MethodNotAllowed };
  Outcome outcome = Outcome::NotFound;
  size_t index = 0;                                              // Found: the route, in the order added
  std::vector<std::pair<std::string, std::string>> path_params;  // Found: {name} -> decoded segment
  std::vector<std::string> allowed;                              // MethodNotAllowed: sorted, unique
  bool malformed = false;                                        // NotFound because a segment has a bad %-escape or is not UTF-8

  bool found() const { return outcome == Outcome::Found; }
};

class RouteTable {
 public:
  // Adds a route; an error ("route GET /x/: empty segment ...") when the method or pattern is refused.
  Status add(std::string method, std::string pattern);
  // target: the request target ("/api/v1/x/7?limit=3") or a bare path.
  PathMatch match(std::string_view method, std::string_view target) const;
  const std::vector<RoutePattern>& routes() const { return routes_; }  // in the order added

 private:
  std::vector<RoutePattern> routes_;
};

// The path of a request target: before '?' or '#'.
std::string_view path_of(std::string_view target);
// Percent-decoding for a path segment: '+' stays '+' (base64 keys carry it); nullopt on a bad escape.
std::optional<std::string> decode_path_segment(std::string_view segment);

}  // namespace tb::net
