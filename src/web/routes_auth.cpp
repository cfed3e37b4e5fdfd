// POST /api/v1/auth/register, /login, /logout and GET /api/v1/me.
#include <utility>

#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include "accounts/account_view.hpp"
#include "web/blocking.hpp"
#include "web/route_helpers.hpp"

namespace tb::web {

namespace {

constexpr size_t kMaxEmail = 254;
constexpr size_t kMaxPassword = 1024;

nlohmann::json user_json(const store::User& u) {
  return {{"id", u.id}, {"email", u.email}, {"created_at", accounts::iso_time(u.created_ms)}};
}

struct Credentials {
  std::string email;
  std::string password;
  std::optional<std::string> totp_code;  // sign-in only, when two-factor authentication is on
};

ApiResult<Credentials> read_credentials(const net::HttpRequest& request, bool sign_in) {
  auto body = JsonBody::parse(request);
  if (!body) return body.error();
  Credentials c;
  c.email = body->required_string("email", kMaxEmail);
  c.password = body->required_string("password", kMaxPassword);
  if (sign_in) c.totp_code = body->optional_string("totp_code", routes::kMaxTotpCode);
  if (auto e = body->finish()) return *e;
  return c;
}

// Registrations hash one at a time on the password pool (the rest wait here, holding no thread), so however
// many arrive at once a sign-in always finds a free worker: argon2 cannot be turned against logins.
using Registrations = boost::asio::strand<boost::asio::thread_pool::executor_type>;

net::Task<net::HttpResponse> register_user(ApiDeps& d, Registrations& queue, RequestContext& ctx) {
  auto in = read_credentials(ctx.request, false);
  if (!in) co_return to_response(in.error());
  std::string ip = Api::peer_ip(ctx.request);
  users::UserService* users = &d.users;
  Credentials c = std::move(*in);
  // Named, not a temporary inside the co_await expression: GCC 12 destroys such temporaries twice.
  std::function<Result<store::User>()> work = [users, c, ip] { return users->register_user(c.email, c.password, ip); };
  std::optional<Result<store::User>> user = co_await run_blocking<Result<store::User>>(queue, std::move(work));
  if (!*user) co_return routes::error_response(user->error());
  co_return json_response(201, {{"user", user_json(**user)}});
}

net::Task<net::HttpResponse> login(ApiDeps& d, const auth::CookieOptions& cookie, RequestContext& ctx) {
  auto in = read_credentials(ctx.request, true);
  if (!in) co_return to_response(in.error());
  std::string ip = Api::peer_ip(ctx.request);
  const std::string* ua = ctx.request.header("User-Agent");
  std::string agent = ua ? *ua : "";
  users::UserService* users = &d.users;
  Credentials c = std::move(*in);
  std::function<Result<users::SignedIn>()> work = [users, c, ip, agent] {
    return users->login(c.email, c.password, ip, agent, c.totp_code ? std::optional<std::string_view>(*c.totp_code) : std::nullopt);
  };
  std::optional<Result<users::SignedIn>> result = co_await run_blocking<Result<users::SignedIn>>(d.blocking, std::move(work));
  const Result<users::SignedIn>& signed_in = *result;
  if (!signed_in) co_return routes::error_response(signed_in.error());
  net::HttpResponse r = json_response(200, {{"token", signed_in->token},
                                            {"csrf_token", signed_in->csrf_token},
                                            {"expires_at", accounts::iso_time(signed_in->expires_ms)},
                                            {"user", user_json(signed_in->user)}});
  r.headers.push_back({"Set-Cookie", auth::session_cookie(signed_in->token, cookie)});
  co_return r;
}

// POST /api/v1/auth/password: the caller's password changes and every other session of theirs ends.
net::Task<net::HttpResponse> change_password(ApiDeps& d, RequestContext& ctx) {
  auto body = JsonBody::parse(ctx.request);
  if (!body) co_return to_response(body.error());
  std::string current = body->required_string("current_password", kMaxPassword);
  std::string next = body->required_string("new_password", kMaxPassword);
  if (auto e = body->finish()) co_return to_response(*e);
  const Session& s = routes::session(ctx);
  users::UserService* users = &d.users;
  std::function<Result<int64_t>()> work = [users, caller = s.caller, current, next, ip = s.ip] {
    return users->change_password(caller, current, next, ip);
  };
  std::optional<Result<int64_t>> ended = co_await run_blocking<Result<int64_t>>(d.blocking, std::move(work));
  if (!*ended) co_return routes::error_response(ended->error());
  co_return json_response(200, {{"sessions_ended", **ended}});
}

}  // namespace

void Api::add_auth_routes() {
  using routes::object_schema;
  using routes::sync;
  const nlohmann::json credentials = object_schema({"email", "password"});

  RouteInfo reg{"Create a user (argon2id password hash)", "auth", false, false};
  reg.request_schema = credentials;
  reg.response_schema = {{"type", "object"}};
  reg.success_status = 201;
  reg.errors = {{409, "an account with this email exists"},
                {429, "too many new accounts from this IP (serve --register-limit): wait Retry-After seconds"}};
  auto registrations = std::make_shared<Registrations>(deps_.blocking.get_executor());
  router_.add(
      "POST", "/api/v1/auth/register", [this, registrations](RequestContext& c) { return register_user(deps_, *registrations, c); }, reg);

  RouteInfo in{
      "Sign in: a token for Authorization: Bearer, and an HttpOnly SameSite=Strict session cookie; with "
      "two-factor authentication on, totp_code too (the current code, or a recovery code)",
      "auth", false, false};
  in.request_schema = routes::object_schema({"email", "password"}, {"totp_code"});
  in.errors = {{400, "not an address anyone can have (bad form, reserved domain such as .invalid)"},
               {401, "wrong email or password"},
               {403, "totp_required: two-factor authentication is on and the code is missing or wrong"},
               {429, "too many failed attempts: wait Retry-After seconds"}};
  in.response_schema = {{"type", "object"}, {"properties", {{"token", {{"type", "string"}}}, {"csrf_token", {{"type", "string"}}}}}};
  router_.add(
      "POST", "/api/v1/auth/login", [this](RequestContext& c) { return login(deps_, options_.cookie, c); }, in);

  RouteInfo out{"Sign out: the session ends on the server and the cookie is cleared", "auth"};
  out.success_status = 204;
  router_.add("POST", "/api/v1/auth/logout", sync([this](RequestContext& c) {
                // A session the store could not end is not reported as ended.
                if (auto ended = deps_.users.logout_hash(routes::session(c).caller.token_hash); !ended)
                  return to_response(from_error(ended.error()));
                net::HttpResponse r = no_content();
                r.headers.push_back({"Set-Cookie", auth::clear_session_cookie(options_.cookie)});
                return r;
              }),
              out);

  RouteInfo password{"Change the password (the password policy applies); every other session of the user ends", "auth"};
  password.request_schema = object_schema({"current_password", "new_password"});
  password.response_schema = {{"type", "object"}, {"properties", {{"sessions_ended", {{"type", "integer"}}}}}};
  password.errors = {{429, "too many wrong current passwords: wait Retry-After seconds"}};
  router_.add(
      "POST", "/api/v1/auth/password", [this](RequestContext& c) { return change_password(deps_, c); }, password);

  RouteInfo me{"The signed-in user, and the CSRF token for cookie requests", "auth"};
  me.response_schema = {{"type", "object"}};
  router_.add("GET", "/api/v1/me", sync([this](RequestContext& c) {
                const Session& s = routes::session(c);
                auto user = deps_.users.user(s.caller.user_id);
                if (!user) return routes::error_response(user.error());
                return json_response(200, {{"user", user_json(*user)}, {"csrf_token", s.caller.csrf_token}});
              }),
              me);
}

}  // namespace tb::web
