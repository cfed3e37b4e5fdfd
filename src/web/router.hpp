#pragma once
// The route table of the REST API: net::RouteTable's patterns and matching (its header states the policy:
// trailing slashes, case-sensitive methods, the most specific pattern wins, 404 vs 405), with each route's
// handler and what the middleware and the OpenAPI document need to know of it (RouteInfo).
// - Wiring mistakes (a malformed pattern, the same method and pattern shape twice, an empty handler) are
//   not thrown: the route is left out and status() reports the first one; the server checks it at start.
// - Routes are added before serving: a match points into the table, and add() may move it.
#include <any>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "net/http.hpp"
#include "net/router.hpp"
#include "net/transport.hpp"
#include "web/api_error.hpp"

namespace tb::web {

// The request header carrying the CSRF token on routes whose RouteInfo::csrf is set.
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

struct ParamInfo {  // a query parameter, for the OpenAPI document
  std::string name;
  std::string description;
  nlohmann::json schema = {{"type", "string"}};
  bool required = false;
};

struct RouteInfo {
  std::string summary;
  std::string tag;
  bool auth = true;  // needs a signed-in user
  // A state-changing call: needs the session's CSRF token. Router::add clears it on GET, HEAD and OPTIONS,
  // which must not change state, so what is stored is exactly what the middleware must check.
  bool csrf = true;
  nlohmann::json request_schema;   // JSON Schema of the body, or null: no body
  nlohmann::json response_schema;  // JSON Schema of the success answer, or null: no body
  int success_status = 200;
  std::vector<ParamInfo> query;  // documented query parameters
  std::vector<ParamInfo> path;   // path parameters whose schema is not the default (an integer id)
  // Further error answers the route gives besides the common ones (409 on a conflict, 429, 503), with
  // what each means, for the OpenAPI document.
  std::vector<std::pair<int, std::string>> errors;
};

// What a handler sees: the request, the path's {name} values (decoded), the query's (decoded, '+' is a
// space) and a slot the middleware fills (the signed-in user, ...).
struct RequestContext {
  net::HttpRequest request;
  std::vector<std::pair<std::string, std::string>> path_params;
  std::vector<std::pair<std::string, std::string>> query_params;
  const RouteInfo* route = nullptr;
  std::any user;

  // The path parameter `name` ("" when the pattern has none: a wiring mistake, not a client's).
  std::string_view param(std::string_view name) const;
  // The first query parameter `name`, or nullopt.
  std::optional<std::string_view> query(std::string_view name) const;
  // The user slot as a T, or nullptr when it holds nothing or something else.
  template <typename T>
  T* user_as() {
    return std::any_cast<T>(&user);
  }
};

using Handler = std::function<net::Task<net::HttpResponse>(RequestContext&)>;

struct Route : net::RoutePattern {
  Handler handler;
  RouteInfo info;
};

struct RouteMatch : net::PathMatch {
  const Route* route = nullptr;  // Found

  // 404 not_found or 405 method_not_allowed (with Allow); only for a match that was not found.
  ApiError error() const;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler, RouteInfo info = {});

  // target: the request target ("/api/v1/x/7?limit=3") or a bare path.
  RouteMatch match(std::string_view method, std::string_view target) const;

  // The handler's context for a found match; 400 when the query has a bad %-escape.
  static ApiResult<RequestContext> context(net::HttpRequest request, RouteMatch match);

  const std::vector<Route>& routes() const { return routes_; }  // in the order added
  Status status() const;                                        // the first wiring mistake, if any

 private:
  net::RouteTable table_;
  std::vector<Route> routes_;  // routes_[i] is table_.routes()[i]
  std::optional<Error> error_;
};

// A resource id from a path or query: a positive decimal integer of at most 19 digits that fits int64,
// with no sign, no leading zero, no spaces. Everything else is nullopt.
std::optional<int64_t> parse_id(std::string_view s);

}  // namespace tb::web
