// GET /api/v1/sessions (the caller's sessions), DELETE /api/v1/sessions (sign out everywhere else) and
// DELETE /api/v1/sessions/{id} (one of them). A session is shown by an opaque id, never by its token or the
// token's hash; ending one ends its event streams at once.
#include <utility>

#include "accounts/account_view.hpp"
#include "web/route_helpers.hpp"

namespace tb::web {

namespace {

nlohmann::json session_json(const users::SessionView& s) {
  return {{"id", s.id},
          {"created_at", accounts::iso_time(s.created_ms)},
          {"last_seen_at", accounts::iso_time(s.last_seen_ms)},
          {"expires_at", accounts::iso_time(s.expires_ms)},
          {"ip", s.ip},
          {"user_agent", s.user_agent},
          {"current", s.current}};
}

nlohmann::json session_schema() {
  nlohmann::json text = {{"type", "string"}};
  nlohmann::json time = {{"type", "string"}, {"format", "date-time"}};
  return {{"type", "object"},
          {"properties",
           {{"id", text},
            {"created_at", time},
            {"last_seen_at", time},
            {"expires_at", time},
            {"ip", text},
            {"user_agent", text},
            {"current", {{"type", "boolean"}}}}}};
}

}  // namespace

void Api::add_session_routes() {
  using routes::sync;

  RouteInfo list{"The caller's sessions: where and when each signed in, last use, expiry; `current` marks this one", "sessions"};
  list.response_schema = {{"type", "object"}, {"properties", {{"sessions", {{"type", "array"}, {"items", session_schema()}}}}}};
  router_.add("GET", "/api/v1/sessions", sync([this](RequestContext& c) {
                auto sessions = deps_.users.sessions(routes::session(c).caller);
                if (!sessions) return routes::error_response(sessions.error());
                nlohmann::json items = nlohmann::json::array();
                for (const auto& s : *sessions) items.push_back(session_json(s));
                return json_response(200, {{"sessions", std::move(items)}});
              }),
              list);

  RouteInfo others{"Sign out everywhere else: every session of the caller but this one ends, with its event streams", "sessions"};
  others.response_schema = {{"type", "object"}, {"properties", {{"ended", {{"type", "integer"}}}}}};
  router_.add("DELETE", "/api/v1/sessions", sync([this](RequestContext& c) {
                const Session& s = routes::session(c);
                auto ended = deps_.users.end_other_sessions(s.caller, s.ip);
                if (!ended) return routes::error_response(ended.error());
                return json_response(200, {{"ended", *ended}});
              }),
              others);

  RouteInfo one{"End one of the caller's sessions (this one too: then the cookie is cleared)", "sessions"};
  one.success_status = 204;
  one.path = {{"id", "the session's id from GET /api/v1/sessions", {{"type", "string"}}}};
  router_.add("DELETE", "/api/v1/sessions/{id}", sync([this](RequestContext& c) {
                const Session& s = routes::session(c);
                auto current = deps_.users.end_session(s.caller, c.param("id"), s.ip);
                if (!current) return routes::error_response(current.error());
                net::HttpResponse r = no_content();
                if (*current) r.headers.push_back({"Set-Cookie", auth::clear_session_cookie(options_.cookie)});
                return r;
              }),
              one);
}

}  // namespace tb::web
