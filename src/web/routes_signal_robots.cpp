// Signal robots (issue 13 part 2): a user's private robot fed by a TradingView-style webhook. Creating one
// answers its URL and token once; the webhook itself carries no session: the robot's token is its key.
#include <nlohmann/json.hpp>

#include "robots/time_text.hpp"
#include "web/route_helpers.hpp"

namespace tb::web {

namespace {

using nlohmann::json;
using routes::error_response;
using routes::path_id;
using routes::session;
using trading::UserRobotService;

std::string signal_path(int64_t id) { return "/api/v1/robots/" + std::to_string(id) + "/signals"; }

json signal_robot_json(const store::Robot& r) {
  return {{"id", r.id},          {"kind", r.kind},     {"name", r.name.substr(r.name.find(": ") + 2)},
          {"exchange", r.venue}, {"symbol", r.symbol}, {"signal_path", signal_path(r.id)}};
}

net::HttpResponse create(UserRobotService& s, RequestContext& c) {
  auto body = JsonBody::parse(c.request);
  if (!body) return to_response(body.error());
  auto kind = body->optional_string("kind", 16);
  auto name = body->optional_string("name", 64);
  auto exchange = body->optional_string("exchange", 32);
  auto symbol = body->optional_string("symbol", 32);
  if (auto e = body->finish()) return to_response(*e);
  if (kind.value_or("") != "signal")
    return to_response(invalid_argument("kind: \"signal\" (catalogue robots are made by the operator)", "kind"));
  auto made = s.create_signal_robot(session(c).caller.user_id, name.value_or(""), exchange.value_or(""), symbol.value_or(""));
  if (!made) return error_response(made.error());
  json out = signal_robot_json(made->robot);
  const std::string* host = c.request.header("Host");
  out["signal_url"] = (host ? "http://" + *host : std::string()) + signal_path(made->robot.id);
  out["signal_token"] = made->token;  // shown this once
  return json_response(201, out);
}

ApiResult<trading::IncomingSignal> incoming(RequestContext& c) {
  auto body = JsonBody::parse(c.request);
  if (!body) return body.error();
  trading::IncomingSignal in;
  auto id = body->optional_string("id", 128);
  auto action = body->optional_string("action", 16);
  const json* price = body->optional_value("price");
  const json* time = body->optional_value("time");
  if (auto e = body->finish()) return *e;
  if (!id || id->empty()) return invalid_argument("id: required, unique per signal", "id");
  if (!action) return invalid_argument("action: required: \"long\", \"short\" or \"close\"", "action");
  in.id = *id;
  in.action = *action;
  if (price) {
    auto p = price->is_string()   ? Decimal::parse(price->get<std::string>())
             : price->is_number() ? Decimal::parse(price->dump())
                                  : std::nullopt;
    if (!p) return invalid_argument("price: a decimal number", "price");
    in.price = *p;
  }
  if (time) {
    if (time->is_number_integer()) {
      in.time_ms = time->get<int64_t>();
    } else {
      auto t = time->is_string() ? robots::parse_utc(time->get<std::string>(), "time") : Result<int64_t>(Error::invalid("time", "bad"));
      if (!t) return invalid_argument("time: an ISO-8601 UTC time or milliseconds since the epoch", "time");
      in.time_ms = *t;
    }
  }
  return in;
}

net::HttpResponse take(UserRobotService& s, RequestContext& c) {
  auto id = path_id(c);
  if (!id) return to_response(id.error());
  std::string token;
  if (const std::string* h = c.request.header("Authorization"); h && h->size() > 7 && h->compare(0, 7, "Bearer ") == 0)
    token = h->substr(7);
  if (token.empty()) return to_response(unauthorized("signal token: send it as \"Authorization: Bearer <signal_token>\""));
  auto in = incoming(c);
  if (!in) return to_response(in.error());
  auto taken = s.take_signal(*id, token, *in);
  if (!taken) return error_response(taken.error());
  if (taken->duplicate) return json_response(200, {{"duplicate", true}, {"seq", taken->seq}});
  return json_response(202, {{"seq", taken->seq}});
}

}  // namespace

void Api::add_signal_robot_routes() {
  if (!deps_.user_robots) return;
  UserRobotService& s = *deps_.user_robots;
  RouteInfo make{"Create a signal robot: {\"kind\": \"signal\", name, exchange, symbol}; answers its signal URL and token (shown once)",
                 "robots"};
  make.success_status = 201;
  make.errors = {{409, "you have a signal robot by that name"}};
  make.request_schema = routes::object_schema({"kind", "name", "exchange", "symbol"});
  router_.add("POST", "/api/v1/robots", routes::sync([&s](RequestContext& c) { return create(s, c); }), make);
  RouteInfo mine{"Your signal robots", "robots"};
  router_.add("GET", "/api/v1/signal-robots", routes::sync([&s](RequestContext& c) {
                auto all = s.signal_robots(session(c).caller.user_id);
                if (!all) return error_response(all.error());
                json out = json::array();
                for (const auto& r : *all) out.push_back(signal_robot_json(r));
                return json_response(200, {{"robots", out}});
              }),
              mine);
  RouteInfo hook{
      "A signal for a signal robot (Authorization: Bearer <signal_token>): {id, action: long|short|close, price?, time?}; "
      "202 with its seq, 200 {duplicate: true} for an id seen before",
      "robots"};
  hook.auth = false;  // the robot's token is the credential
  hook.csrf = false;
  hook.success_status = 202;
  hook.request_schema = {{"type", "object"},
                         {"required", {"id", "action"}},
                         {"properties",
                          {{"id", {{"type", "string"}}},
                           {"action", {{"type", "string"}, {"enum", {"long", "short", "close"}}}},
                           {"price", {{"type", {"string", "number"}}}},
                           {"time", {{"type", {"string", "integer"}}}}}}};
  hook.errors = {{200, "a signal id seen before: {\"duplicate\": true, \"seq\": ...}, nothing traded"},
                 {401, "wrong or missing signal token"},
                 {409, "the signal is older than --signal-max-lag"}};
  router_.add("POST", "/api/v1/robots/{id}/signals", routes::sync([&s](RequestContext& c) { return take(s, c); }), hook);
}

}  // namespace tb::web
