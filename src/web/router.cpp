#include "web/router.hpp"

#include <algorithm>
#include <charconv>

namespace tb::web {

std::optional<int64_t> parse_id(std::string_view s) {
  if (s.empty() || s.size() > 19 || s[0] == '0') return std::nullopt;
  if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;  // overflow
  return v;
}

std::string_view RequestContext::param(std::string_view name) const {
  for (auto& [k, v] : path_params)
    if (k == name) return v;
  return {};
}

std::optional<std::string_view> RequestContext::query(std::string_view name) const {
  for (auto& [k, v] : query_params)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

ApiError RouteMatch::error() const {
  if (outcome == Outcome::MethodNotAllowed) return method_not_allowed(allowed);
  return not_found("no such API path");
}

void Router::add(std::string method, std::string pattern, Handler handler, RouteInfo info) {
  auto refuse = [&](const std::string& why) {
    if (!error_) error_ = Error::make(ErrorKind::InvalidArgument, "route " + method + " " + pattern + ": " + why);
  };
  if (!handler) return refuse("no handler");
  if (info.success_status < 100 || info.success_status > 599) return refuse("success status out of range");
  if (auto added = table_.add(method, pattern); !added) {
    if (!error_) error_ = added.error();
    return;
  }
  if (method == "GET" || method == "HEAD" || method == "OPTIONS") info.csrf = false;
  routes_.push_back(Route{table_.routes().back(), std::move(handler), std::move(info)});
}

RouteMatch Router::match(std::string_view method, std::string_view target) const {
  RouteMatch m{table_.match(method, target)};
  if (m.found()) m.route = &routes_[m.index];
  return m;
}

ApiResult<RequestContext> Router::context(net::HttpRequest request, RouteMatch match) {
  RequestContext ctx;
  auto q = request.url.find('?');
  if (q != std::string::npos) {
    auto query = std::string_view(request.url).substr(q + 1);
    query = query.substr(0, query.find('#'));
    auto decoded = net::form_decode(query);
    if (!decoded) return invalid_argument("the query string has a bad %-escape");
    ctx.query_params = std::move(*decoded);
  }
  ctx.request = std::move(request);
  ctx.path_params = std::move(match.path_params);
  ctx.route = match.route ? &match.route->info : nullptr;
  return ctx;
}

Status Router::status() const {
  if (error_) return *error_;
  return ok_status();
}

}  // namespace tb::web
