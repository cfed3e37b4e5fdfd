// User robots (issue 13): a user's account following a robot at a volume — create, read, change the
// volume, start, stop (close or keep), resume, delete, positions and orders. The id is checked before the
// body: another user's id answers 404 whatever the body says.
#include <nlohmann/json.hpp>

#include "trading/volume.hpp"
#include "web/route_helpers.hpp"
#include "web/user_robot_json.hpp"

namespace tb::web {

namespace {

using nlohmann::json;
using routes::error_response;
using routes::path_id;
using routes::session;
using trading::UserRobotService;

struct Volume {
  store::VolumeType type;
  Decimal value;
};

// {"type": "asset_fixed|quote_fixed|balance_percent", "value": "100.5" or 100.5}
ApiResult<Volume> volume_of(const json* v) {
  if (!v || !v->is_object()) return invalid_argument("volume: required, as {\"type\": ..., \"value\": ...}", "volume");
  for (const auto& [k, _] : v->items())
    if (k != "type" && k != "value") return invalid_argument("volume: unknown field: " + k, "volume");
  auto t = v->find("type");
  auto type = t != v->end() && t->is_string() ? store::parse_volume_type(t->get<std::string>()) : std::nullopt;
  if (!type) return invalid_argument("volume.type: one of asset_fixed, quote_fixed, balance_percent", "volume");
  auto x = v->find("value");
  std::optional<Decimal> value;
  if (x != v->end() && x->is_string()) value = Decimal::parse(x->get<std::string>());
  if (x != v->end() && x->is_number()) value = Decimal::parse(x->dump());
  if (!value) return invalid_argument("volume.value: a decimal number such as \"100.5\"", "volume");
  if (auto st = trading::check_volume(*type, *value); !st) return invalid_argument(st.error().message, "volume");
  return Volume{*type, *value};
}

json with_positions(UserRobotService& s, const store::UserRobot& ur) {
  auto p = s.positions(ur.user_id, ur.id, 1000);
  return user_robot_json(ur, p ? *p : std::vector<store::RobotPosition>{});
}

// The market minimum at today's price, checked when the volume is a fixed amount (a share of the balance
// is sized at the signal).
net::Task<std::optional<ApiError>> below_minimum(const trading::VenueFor& venues, const store::Robot& robot, Volume v) {
  if (v.type == store::VolumeType::BalancePercent || !venues) co_return std::nullopt;
  venues::Venue* venue = venues(robot.venue);
  if (!venue) co_return std::nullopt;
  auto markets = co_await venue->markets();
  auto ticker = co_await venue->ticker(robot.symbol);
  if (!markets || !ticker) co_return std::nullopt;  // the venue's trouble: checked again at the signal
  for (const auto& m : *markets) {
    if (m.id != robot.symbol) continue;
    auto sized = trading::entry_amount(v.type, v.value, m, ticker->last, Decimal());
    if (!sized) co_return invalid_argument(sized.error().message, "volume");
  }
  co_return std::nullopt;
}

net::Task<net::HttpResponse> create(ApiDeps& d, RequestContext& c) {
  auto body = JsonBody::parse(c.request);
  if (!body) co_return to_response(body.error());
  auto robot_id = body->optional_int("robot_id", 1);
  auto account_id = body->optional_int("account_id", 1);
  const json* vol = body->optional_value("volume");
  if (auto e = body->finish()) co_return to_response(*e);
  if (!robot_id) co_return to_response(invalid_argument("robot_id: required", "robot_id"));
  if (!account_id) co_return to_response(invalid_argument("account_id: required", "account_id"));
  auto v = volume_of(vol);
  if (!v) co_return to_response(v.error());
  const int64_t user = session(c).caller.user_id;
  auto robot = d.user_robots->followable(user, *robot_id);
  if (!robot) co_return error_response(robot.error());
  auto low = co_await below_minimum(d.venues, *robot, *v);
  if (low) co_return to_response(*low);
  auto made = d.user_robots->create(user, {*robot_id, *account_id, v->type, v->value});
  if (!made) co_return error_response(made.error());
  co_return json_response(201, with_positions(*d.user_robots, *made));
}

net::Task<net::HttpResponse> change(ApiDeps& d, RequestContext& c) {
  auto id = path_id(c);
  if (!id) co_return to_response(id.error());
  const int64_t user = session(c).caller.user_id;
  auto ur = d.user_robots->get(user, *id);
  if (!ur) co_return error_response(ur.error());
  auto body = JsonBody::parse(c.request);
  if (!body) co_return to_response(body.error());
  const json* vol = body->optional_value("volume");
  if (auto e = body->finish()) co_return to_response(*e);
  auto v = volume_of(vol);
  if (!v) co_return to_response(v.error());
  auto robot = d.user_robots->followable(user, ur->robot_id);
  if (!robot) co_return error_response(robot.error());
  auto low = co_await below_minimum(d.venues, *robot, *v);
  if (low) co_return to_response(*low);
  auto changed = d.user_robots->change_volume(user, *id, v->type, v->value);
  if (!changed) co_return error_response(changed.error());
  co_return json_response(200, with_positions(*d.user_robots, *changed));
}

// What a start or a stop was asked with.
struct Confirmed {
  std::optional<std::string> position;  // a stop's
  std::optional<int> leverage;          // a start's, on futures
};

// A body {"confirm": true, ...}: starting and stopping trade with real money, so the client must say so.
ApiResult<Confirmed> confirmed(RequestContext& c, bool stopping) {
  auto body = JsonBody::parse(c.request);
  if (!body) return body.error();
  auto yes = body->optional_bool("confirm");
  Confirmed out;
  if (stopping) out.position = body->optional_string("position", 8);
  else if (auto lev = body->optional_int("leverage", 1, trading::kMaxLeverage)) out.leverage = static_cast<int>(*lev);
  if (auto e = body->finish()) return *e;
  if (!yes || !*yes) return invalid_argument("confirm: must be true (this trades on your exchange account)", "confirm");
  if (stopping && !out.position) return invalid_argument("position: \"close\" or \"keep\"", "position");
  return out;
}

// POST .../{id}/start: the id first (404 for another's), then the body; on futures the venue is asked for the
// leverage (set when given) before the start.
net::Task<net::HttpResponse> start_robot(UserRobotService& s, RequestContext& c) {
  auto id = path_id(c);
  if (!id) co_return to_response(id.error());
  const int64_t user = session(c).caller.user_id;
  if (auto ur = s.get(user, *id); !ur) co_return error_response(ur.error());
  auto ok = confirmed(c, false);
  if (!ok) co_return to_response(ok.error());
  auto done = co_await s.start_trading(user, *id, ok->leverage);
  if (!done) co_return error_response(done.error());
  co_return json_response(200, with_positions(s, *done));
}

// POST .../{id}/stop|resume and DELETE: the id first (404 for another's), then the body.
routes::SyncHandler action(UserRobotService& s, const char* what) {
  return [&s, what](RequestContext& c) -> net::HttpResponse {
    auto id = path_id(c);
    if (!id) return to_response(id.error());
    const int64_t user = session(c).caller.user_id;
    if (auto ur = s.get(user, *id); !ur) return error_response(ur.error());
    const std::string_view w = what;
    if (w == "delete") {
      if (auto st = s.remove(user, *id); !st) return error_response(st.error());
      return net::HttpResponse{204, {}, ""};
    }
    Result<store::UserRobot> done = Error::make(ErrorKind::Internal, "unknown action");
    if (w == "resume") {
      done = s.resume(user, *id);
    } else {
      auto ok = confirmed(c, true);
      if (!ok) return to_response(ok.error());
      done = s.stop(user, *id, *ok->position);
    }
    if (!done) return error_response(done.error());
    return json_response(200, with_positions(s, *done));
  };
}

routes::SyncHandler reads(UserRobotService& s, const char* what) {
  return [&s, what](RequestContext& c) -> net::HttpResponse {
    auto id = path_id(c);
    if (!id) return to_response(id.error());
    const int64_t user = session(c).caller.user_id;
    json out = json::array();
    if (std::string_view(what) == "positions") {
      auto got = s.positions(user, *id);
      if (!got) return error_response(got.error());
      for (const auto& p : *got) out.push_back(position_json(p));
    } else {
      auto got = s.orders(user, *id);
      if (!got) return error_response(got.error());
      for (const auto& o : *got) out.push_back(robot_order_json(o));
    }
    return json_response(200, {{what, out}});
  };
}

const json kVolumeSchema = {{"type", "object"},
                            {"required", {"type", "value"}},
                            {"properties",
                             {{"type", {{"type", "string"}, {"enum", {"asset_fixed", "quote_fixed", "balance_percent"}}}},
                              {"value", {{"type", {"string", "number"}}}}}}};

json body_schema(std::vector<std::string> required, json properties) {
  return {{"type", "object"}, {"required", std::move(required)}, {"properties", std::move(properties)}, {"additionalProperties", false}};
}

}  // namespace

void Api::add_user_robot_routes() {
  if (!deps_.user_robots) return;
  UserRobotService& s = *deps_.user_robots;
  RouteInfo create_info{"Follow a robot with an exchange account at a volume (status stopped)", "user-robots"};
  create_info.success_status = 201;
  create_info.errors = {{409, "this account follows this robot already"}};
  create_info.request_schema =
      body_schema({"robot_id", "account_id", "volume"},
                  {{"robot_id", {{"type", "integer"}}}, {"account_id", {{"type", "integer"}}}, {"volume", kVolumeSchema}});
  router_.add(
      "POST", "/api/v1/user-robots", [this](RequestContext& c) { return create(deps_, c); }, create_info);
  RouteInfo list{"Your user robots: status, message, volume, position, statistics of real fills", "user-robots"};
  router_.add("GET", "/api/v1/user-robots", routes::sync([&s](RequestContext& c) {
                auto all = s.list(session(c).caller.user_id);
                if (!all) return error_response(all.error());
                json out = json::array();
                for (const auto& ur : *all) out.push_back(with_positions(s, ur));
                return json_response(200, {{"user_robots", out}});
              }),
              list);
  RouteInfo one{"One user robot", "user-robots"};
  router_.add("GET", "/api/v1/user-robots/{id}", routes::sync([&s](RequestContext& c) {
                auto id = path_id(c);
                if (!id) return to_response(id.error());
                auto ur = s.get(session(c).caller.user_id, *id);
                if (!ur) return error_response(ur.error());
                return json_response(200, with_positions(s, *ur));
              }),
              one);
  RouteInfo patch{"Change a user robot's volume", "user-robots"};
  patch.request_schema = body_schema({"volume"}, {{"volume", kVolumeSchema}});
  router_.add(
      "PATCH", "/api/v1/user-robots/{id}", [this](RequestContext& c) { return change(deps_, c); }, patch);
  RouteInfo start{
      "Start trading (the account must be enabled): {\"confirm\": true}; on a futures account \"leverage\" (1-125) is set on "
      "the exchange first, and the leverage in effect is read and shown as the user robot's leverage",
      "user-robots"};
  start.errors = {{400, "leverage given for a spot account (field leverage)"},
                  {409, "the account is not enabled, or the exchange refused the leverage (field leverage, in its words)"}};
  start.request_schema =
      body_schema({"confirm"}, {{"confirm", {{"type", "boolean"}, {"const", true}}},
                                {"leverage", {{"type", "integer"}, {"minimum", 1}, {"maximum", trading::kMaxLeverage}}}});
  router_.add(
      "POST", "/api/v1/user-robots/{id}/start", [&s](RequestContext& c) { return start_robot(s, c); }, start);
  RouteInfo stop{"Stop: {\"confirm\": true, \"position\": \"close\"|\"keep\"}", "user-robots"};
  stop.request_schema = body_schema({"confirm", "position"}, {{"confirm", {{"type", "boolean"}, {"const", true}}},
                                                              {"position", {{"type", "string"}, {"enum", {"close", "keep"}}}}});
  router_.add("POST", "/api/v1/user-robots/{id}/stop", routes::sync(action(s, "stop")), stop);
  RouteInfo resume{"Resume a paused user robot from the robot's next signal", "user-robots"};
  resume.errors = {{409, "it is not paused, or its account is not enabled"}};
  router_.add("POST", "/api/v1/user-robots/{id}/resume", routes::sync(action(s, "resume")), resume);
  RouteInfo del{"Delete a stopped user robot that holds no position", "user-robots"};
  del.success_status = 204;
  del.errors = {{409, "it runs or holds a position"}};
  router_.add("DELETE", "/api/v1/user-robots/{id}", routes::sync(action(s, "delete")), del);
  RouteInfo pos{"A user robot's positions, newest first", "user-robots"};
  router_.add("GET", "/api/v1/user-robots/{id}/positions", routes::sync(reads(s, "positions")), pos);
  RouteInfo ord{"A user robot's orders, newest first", "user-robots"};
  router_.add("GET", "/api/v1/user-robots/{id}/orders", routes::sync(reads(s, "orders")), ord);
}

}  // namespace tb::web
