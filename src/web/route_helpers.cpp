#include "web/route_helpers.hpp"

namespace tb::web::routes {

namespace {
net::Task<net::HttpResponse> run_sync(std::shared_ptr<SyncHandler> handler, RequestContext& ctx) { co_return (*handler)(ctx); }
}  // namespace

Handler sync(SyncHandler handler) {
  auto shared = std::make_shared<SyncHandler>(std::move(handler));
  return [shared](RequestContext& ctx) { return run_sync(shared, ctx); };
}

const Session& session(RequestContext& ctx) {
  static const Session none;
  const Session* s = ctx.user_as<Session>();
  return s ? *s : none;
}

accounts::Actor actor(RequestContext& ctx) {
  const Session& s = session(ctx);
  return {s.caller.user_id, s.ip, s.via_cookie ? "web" : "api", std::nullopt};
}

net::HttpResponse error_response(const Error& error) { return to_response(from_error(error)); }

ApiResult<int64_t> path_id(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"));
  if (!id) return not_found("no such exchange account");
  return *id;
}

std::optional<net::HttpResponse> second_factor(accounts::TwoFactorService& two_factor, accounts::Actor& actor,
                                               const std::optional<std::string>& code) {
  auto checked = two_factor.require(actor, code ? std::optional<std::string_view>(*code) : std::nullopt);
  if (!checked) return error_response(checked.error());
  actor.second_factor = true;  // the gate passed (off, or a current code): the service need not ask again
  return std::nullopt;
}

ApiResult<std::optional<std::string>> code_only_body(const net::HttpRequest& request) {
  if (request.body.empty()) return std::optional<std::string>();
  auto body = JsonBody::parse(request);
  if (!body) return body.error();
  auto code = body->optional_string("totp_code", kMaxTotpCode);
  if (auto e = body->finish()) return *e;
  return code;
}

nlohmann::json object_schema(const std::vector<std::string>& required, const std::vector<std::string>& optional) {
  nlohmann::json props = nlohmann::json::object();
  for (const auto& n : required) props[n] = {{"type", "string"}};
  for (const auto& n : optional) props[n] = {{"type", "string"}};
  return {{"type", "object"}, {"properties", props}, {"required", required}, {"additionalProperties", false}};
}

}  // namespace tb::web::routes
