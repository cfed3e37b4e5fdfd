#include "web/api.hpp"

#include "net/http_server.hpp"

#include <chrono>

#include "crypto/secret.hpp"
#include "web/openapi.hpp"
#include "web/route_helpers.hpp"

namespace tb::web {

namespace {

std::optional<std::string> bearer_token(const net::HttpRequest& r) {
  const std::string* h = r.header("Authorization");
  if (!h) return std::nullopt;
  std::string_view v = *h;
  if (v.size() < 7 || !net::iequals(v.substr(0, 7), "Bearer ")) return std::nullopt;
  v.remove_prefix(7);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  return std::string(v);
}

// Headers every answer carries: nothing here is meant to be framed, sniffed or cached by a proxy.
void harden(net::HttpResponse& r) {
  auto add = [&](const char* name, const char* value) {
    if (!r.header(name)) r.headers.push_back({name, value});
  };
  add("X-Content-Type-Options", "nosniff");
  add("X-Frame-Options", "DENY");
  add("Referrer-Policy", "no-referrer");
  add("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

}  // namespace

Api::Api(ApiDeps deps, ApiOptions options)
    : deps_(std::move(deps)),
      options_(std::move(options)),
      requests_(observability::PlatformMetrics(deps_.metrics).http_requests),
      durations_(observability::PlatformMetrics(deps_.metrics).http_request_duration),
      streams_(std::make_shared<EventStreams>(options_.max_streams_per_user)) {
  // A session ended through this server takes its event streams with it at once.
  deps_.users.on_session_end([this](const std::string& token_hash) { streams_->end_session(token_hash, "signed_out"); });
  add_auth_routes();
  add_account_routes();
  add_event_routes();
  add_session_routes();
  add_two_factor_routes();
  add_system_routes();
  add_telegram_routes();
  add_robot_routes();
  add_user_robot_routes();
  add_signal_robot_routes();
}

Api::~Api() { deps_.users.on_session_end({}); }

std::string Api::peer_ip(const net::HttpRequest& request) {
  const std::string* h = request.header(net::kPeerAddrHeader);
  if (!h) return "";
  std::string_view v = *h;
  if (!v.empty() && v.front() == '[') {
    auto end = v.find(']');
    return std::string(v.substr(1, end == std::string_view::npos ? v.npos : end - 1));
  }
  auto colon = v.rfind(':');
  return std::string(colon == std::string_view::npos ? v : v.substr(0, colon));
}

std::optional<ApiError> Api::authenticate(RequestContext& ctx) {
  const net::HttpRequest& r = ctx.request;
  Session s;
  s.ip = peer_ip(r);
  std::optional<std::string> token = bearer_token(r);
  if (!token) {
    if (const std::string* cookies = r.header("Cookie")) token = auth::find_cookie(*cookies, options_.cookie.name);
    s.via_cookie = token.has_value();
  }
  if (!token) return unauthorized("sign in first: send the token as \"Authorization: Bearer <token>\" or the session cookie");
  auto caller = deps_.users.authenticate(*token);
  if (!caller) return unauthorized(caller.error().message);
  s.caller = std::move(*caller);
  // A browser sends cookies on its own; only a page of ours can read the CSRF token and send it back.
  if (s.via_cookie && ctx.route->csrf) {
    const std::string* csrf = r.header(kCsrfHeader);
    if (!csrf || !users::UserService::csrf_matches(s.caller, *csrf))
      return csrf_required("this request changes state: send the X-CSRF-Token header (from login or GET /api/v1/me)");
  }
  ctx.user = std::move(s);
  return std::nullopt;
}

void Api::observe(const std::string& method, const std::string& route, int status, double seconds) {
  std::string code = std::to_string(status);
  requests_.with({observability::method_label(method), route, code}).inc();
  durations_.with({route}).observe(seconds);
}

net::Task<net::HttpResponse> Api::handle(net::HttpRequest request) {
  const auto started = std::chrono::steady_clock::now();
  const std::string method = request.method;
  std::string route_label = "unmatched";
  net::HttpResponse response;
  RouteMatch match = router_.match(request.method, request.url);
  std::optional<net::HttpResponse> page;
  if (!match.found() && options_.static_files && (method == "GET" || method == "HEAD") && !net::path_of(request.url).starts_with("/api/"))
    page = options_.static_files->serve(net::path_of(request.url), method == "HEAD", request.header("If-None-Match"));
  if (page) {
    route_label = "static";
    response = std::move(*page);
  } else if (!match.found()) {
    response = to_response(match.error());
  } else {
    const Route* route = match.route;
    route_label = route->pattern;
    auto ctx = Router::context(std::move(request), std::move(match));
    if (!ctx) {
      response = to_response(ctx.error());
    } else if (auto denied = route->info.auth ? authenticate(*ctx) : std::nullopt) {
      response = to_response(*denied);
    } else {
      bool failed = false;
      try {
        response = co_await route->handler(*ctx);
      } catch (...) {
        failed = true;  // nothing of the exception goes out: it may name internals
      }
      if (failed) response = to_response(internal_error(route->pattern + ": the handler threw"));
      crypto::secure_zero(ctx->request.body);  // it may have carried an API secret (the routes' JsonBody wipes its copy)
    }
  }
  harden(response);
  observe(method, route_label, response.status, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  co_return response;
}

nlohmann::json Api::openapi() const {
  OpenApiOptions o;
  o.title = "tradebridge";
  o.version = options_.version;
  o.description =
      "Connect exchange API keys (tested by placing and cancelling an order, stored encrypted, never shown "
      "again), read the portfolio and the audit log, follow changes as server-sent events.";
  o.session_cookie = options_.cookie.name;
  o.schemas["Account"] = {{"type", "object"}};
  return openapi_document(router_, o);
}

net::HttpResponse Api::healthz() const {
  bool ok = deps_.health ? deps_.health().ok() : true;
  nlohmann::json body = {{"status", "ok"}, {"version", options_.version}};
  if (deps_.database) {
    DatabaseHealth db = deps_.database();
    ok = ok && db.ok;
    body["database"] = {{"backend", db.backend}, {"schema_version", db.schema_version}, {"ok", db.ok}};
  }
  if (deps_.process) {
    ProcessHealth p = deps_.process();
    body["process"] = {{"id", p.id}, {"roles", p.roles}, {"jobs", p.jobs}};
  }
  if (ok) return json_response(200, body);
  body.erase("version");
  body["status"] = "unavailable";
  return json_response(503, body);
}

void Api::add_system_routes() {
  using routes::sync;
  RouteInfo health{
      "Liveness and readiness: the store answers; the database's backend and schema version; under PostgreSQL, this process's id, "
      "the work it owns and the jobs it runs",
      "system", false, false};
  health.errors = {{503, "the store does not answer"}};
  router_.add("GET", "/healthz", sync([this](RequestContext&) { return healthz(); }), health);
  RouteInfo metrics{"Prometheus metrics: requests, latencies, key tests and venue calls by outcome", "system", false, false};
  // Guarded by serve (app/metrics_guard.hpp) before the request reaches the API.
  metrics.errors = {{401, "serve runs with --metrics-token: send it as a Bearer token"},
                    {404, "served elsewhere (--metrics-listen), or beyond loopback without --metrics-token"}};
  router_.add("GET", "/metrics", sync([this](RequestContext&) {
                net::HttpResponse r;
                r.status = 200;
                r.headers.push_back({"Content-Type", std::string(observability::kMetricsContentType)});
                r.headers.push_back({"Cache-Control", "no-store"});
                r.body = deps_.metrics.render();
                return r;
              }),
              metrics);
  RouteInfo doc{"This API's OpenAPI 3 description", "system", false, false};
  doc.response_schema = {{"type", "object"}};
  auto openapi = sync([this](RequestContext&) { return json_response(200, this->openapi()); });
  router_.add("GET", "/api/openapi.json", openapi, doc);
  router_.add("GET", "/api/v1/openapi.json", openapi, doc);
}

}  // namespace tb::web
