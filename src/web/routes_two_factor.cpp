// Two-factor authentication: GET /api/v1/auth/2fa, POST .../setup, .../enable, .../disable and
// .../recovery-codes. Every change needs a current code; enabling and renewing show recovery codes once.
#include "accounts/account_view.hpp"
#include "web/route_helpers.hpp"

namespace tb::web {

namespace {

nlohmann::json state_json(const accounts::TwoFactorState& s) {
  return {{"enabled", s.enabled},
          {"pending", s.pending},
          {"recovery_codes_left", s.recovery_codes_left},
          {"enabled_at", s.enabled_ms ? nlohmann::json(accounts::iso_time(*s.enabled_ms)) : nlohmann::json(nullptr)}};
}

// Recovery codes leave the server once, in this answer; Cache-Control: no-store comes with every JSON answer.
net::HttpResponse codes_response(const std::vector<std::string>& codes) {
  return json_response(200, {{"enabled", true}, {"recovery_codes", codes}});
}

// Reading the state and starting a setup.
void add_setup_routes(Router& router, accounts::TwoFactorService& tf, users::UserService& users) {
  using routes::sync;

  RouteInfo get{
      "Whether two-factor authentication (TOTP) is on, set up and waiting for a first code, and how many "
      "recovery codes are left",
      "auth"};
  get.response_schema = {{"type", "object"}};
  router.add("GET", "/api/v1/auth/2fa", sync([&tf](RequestContext& c) {
               auto s = tf.state(routes::actor(c).user_id);
               if (!s) return routes::error_response(s.error());
               return json_response(200, state_json(*s));
             }),
             get);

  RouteInfo setup{
      "A new TOTP secret for an authenticator app (the base32 secret and the otpauth:// URI of its QR code); "
      "nothing changes until enable confirms it with a code",
      "auth"};
  setup.response_schema = {{"type", "object"}, {"properties", {{"secret", {{"type", "string"}}}, {"otpauth_uri", {{"type", "string"}}}}}};
  setup.errors = {{409, "two-factor authentication is on already: disable it first"}};
  router.add("POST", "/api/v1/auth/2fa/setup", sync([&tf, &users](RequestContext& c) {
               accounts::Actor a = routes::actor(c);
               auto user = users.user(a.user_id);
               if (!user) return routes::error_response(user.error());
               auto e = tf.setup(a, user->email);
               if (!e) return routes::error_response(e.error());
               return json_response(200, {{"secret", e->secret_base32}, {"otpauth_uri", e->otpauth_uri}});
             }),
             setup);
}

// The changes, each with a current code: enable (the first code of the new secret), disable, renew codes.
void add_change_routes(Router& router, accounts::TwoFactorService& tf) {
  using routes::object_schema;
  using routes::sync;
  const nlohmann::json code_schema = object_schema({"totp_code"});

  RouteInfo enable{
      "Turn two-factor authentication on with a current code of the new secret; answers the 10 recovery "
      "codes, shown this once",
      "auth"};
  enable.request_schema = code_schema;
  enable.response_schema = {{"type", "object"}, {"properties", {{"recovery_codes", {{"type", "array"}}}}}};
  enable.errors = {{400, "totp_code: not the current code of the new secret"},
                   {409, "nothing set up, or on already"},
                   {429, "too many wrong codes: wait Retry-After seconds"}};
  router.add("POST", "/api/v1/auth/2fa/enable", sync([&tf](RequestContext& c) {
               auto body = JsonBody::parse(c.request);
               if (!body) return to_response(body.error());
               std::string code = body->required_string("totp_code", routes::kMaxTotpCode);
               if (auto e = body->finish()) return to_response(*e);
               auto codes = tf.enable(routes::actor(c), code);
               if (!codes) return routes::error_response(codes.error());
               return codes_response(*codes);
             }),
             enable);

  RouteInfo disable{"Turn two-factor authentication off with a current code or a recovery code", "auth"};
  disable.request_schema = code_schema;
  disable.response_schema = {{"type", "object"}};
  disable.errors = {
      {403, "totp_required: the code is missing or wrong"}, {409, "off already"}, {429, "too many wrong codes: wait Retry-After seconds"}};
  router.add("POST", "/api/v1/auth/2fa/disable", sync([&tf](RequestContext& c) {
               auto code = routes::code_only_body(c.request);
               if (!code) return to_response(code.error());
               auto st = tf.disable(routes::actor(c), *code);
               if (!st) return routes::error_response(st.error());
               return json_response(200, {{"enabled", false}});
             }),
             disable);

  RouteInfo renew{"New recovery codes with a current code; the old ones stop working. Shown this once", "auth"};
  renew.request_schema = code_schema;
  renew.response_schema = enable.response_schema;
  renew.errors = disable.errors;
  router.add("POST", "/api/v1/auth/2fa/recovery-codes", sync([&tf](RequestContext& c) {
               auto code = routes::code_only_body(c.request);
               if (!code) return to_response(code.error());
               auto codes = tf.renew_recovery_codes(routes::actor(c), *code);
               if (!codes) return routes::error_response(codes.error());
               return codes_response(*codes);
             }),
             renew);
}

}  // namespace

void Api::add_two_factor_routes() {
  add_setup_routes(router_, deps_.two_factor, deps_.users);
  add_change_routes(router_, deps_.two_factor);
}

}  // namespace tb::web
