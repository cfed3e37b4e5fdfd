// The robots, read-only (issue 12 part 6): the strategies with their parameter schemas, the catalogue with
// each robot's statistics (filters: exchange, symbol, timeframe, strategy), one robot's report, candles,
// signals, trades and equity curve.
#include <limits>

#include <nlohmann/json.hpp>

#include "robots/board.hpp"
#include "robots/candles.hpp"
#include "robots/registry.hpp"
#include "robots/report.hpp"
#include "robots/time_text.hpp"
#include "web/route_helpers.hpp"

namespace tb::web {

namespace {

using nlohmann::json;
using routes::error_response;
using routes::path_id;

// The robot and its run as the backtest command prints it (stats, trades, open position, equity).
json report_json(const robots::RobotReport& r) {
  json j = robots::backtest_json(r.run, {r.robot.strategy, r.robot.venue, r.robot.symbol, std::string(to_string(r.robot.timeframe))},
                                 json::parse(r.robot.params_json, nullptr, false), r.from_ms, r.to_ms);
  j["id"] = r.robot.id;
  j["name"] = r.robot.name;
  j["exchange"] = r.robot.venue;
  j["status"] = to_string(r.robot.status);
  return j;
}

// The catalogue's line of a robot: its report without the trade list and the equity curve.
json summary_json(const robots::RobotReport& r) {
  json j = report_json(r);
  j.erase("trades");
  j.erase("equity");
  return j;
}

ApiResult<robots::RobotFilter> filter_of(RequestContext& c) {
  robots::RobotFilter f;
  f.venue = c.query("exchange").value_or("");
  f.symbol = c.query("symbol").value_or("");
  f.timeframe = c.query("timeframe").value_or("");
  f.strategy = c.query("strategy").value_or("");
  if (!f.timeframe.empty())
    if (auto tf = robots::parse_robot_timeframe(f.timeframe); !tf) return invalid_argument(tf.error().message, "timeframe");
  if (!f.strategy.empty() && !robots::find_strategy(f.strategy))
    return invalid_argument("strategy: unknown strategy '" + f.strategy + "'; one of: " + robots::strategy_ids(), "strategy");
  return f;
}

ApiResult<int64_t> time_query(RequestContext& c, const std::string& name, int64_t otherwise) {
  auto q = c.query(name);
  if (!q) return otherwise;
  auto t = robots::parse_utc(*q, name);
  if (!t) return invalid_argument(t.error().message, name);
  return *t;
}

net::HttpResponse candles(robots::RobotBoard& b, RequestContext& c) {
  auto id = path_id(c);
  if (!id) return to_response(id.error());
  auto from = time_query(c, "from", 0);
  if (!from) return to_response(from.error());
  auto to = time_query(c, "to", std::numeric_limits<int64_t>::max());
  if (!to) return to_response(to.error());
  auto got = b.candles(*id, *from, *to);
  if (!got) return error_response(got.error());
  json out = json::array();
  for (const auto& k : *got)
    out.push_back({robots::iso_utc(k.open_time_ms), k.open.to_string(), k.high.to_string(), k.low.to_string(), k.close.to_string(),
                   k.volume.to_string()});
  return json_response(200, {{"columns", {"open_time", "open", "high", "low", "close", "volume"}}, {"candles", out}});
}

net::HttpResponse signals(robots::RobotBoard& b, RequestContext& c) {
  auto id = path_id(c);
  if (!id) return to_response(id.error());
  auto got = b.signals(*id, 0, 100'000);
  if (!got) return error_response(got.error());
  json out = json::array();
  for (const auto& s : *got)
    out.push_back({{"seq", s.seq},
                   {"action", to_string(s.action)},
                   {"order_type", to_string(s.order)},
                   {"price", s.price ? json(s.price->to_string()) : json(nullptr)},
                   {"candle_time", robots::iso_utc(s.candle_ms)},
                   {"created_at", robots::iso_utc(s.created_ms)}});
  return json_response(200, {{"signals", out}});
}

// GET /api/v1/robots/{id}[/trades|/equity]: the report, or one of its parts.
Handler report_part(robots::RobotBoard& b, const char* part) {
  return routes::sync([&b, part](RequestContext& c) {
    auto id = path_id(c);
    if (!id) return to_response(id.error());
    auto r = b.report(*id);
    if (!r) return error_response(r.error());
    json j = report_json(*r);
    return json_response(200, part ? json{{part, j[part]}} : j);
  });
}

}  // namespace

void Api::add_robot_routes() {
  robots::RobotBoard& b = deps_.robots;
  RouteInfo strategies{"The strategies robots run, with their parameter schemas", "robots"};
  router_.add("GET", "/api/v1/strategies", routes::sync([](RequestContext&) {
                return json_response(200, {{"strategies", robots::strategies_json()}});
              }),
              strategies);

  RouteInfo list{"The robots' catalogue with each robot's statistics (all, long, short) over its backtest and live run", "robots"};
  list.query = {{"exchange", "only this venue's robots"},
                {"symbol", "only this market's"},
                {"timeframe", "only this timeframe's"},
                {"strategy", "only this strategy's"}};
  router_.add("GET", "/api/v1/robots", routes::sync([&b](RequestContext& c) {
                auto f = filter_of(c);
                if (!f) return to_response(f.error());
                auto all = b.list(*f);
                if (!all) return error_response(all.error());
                json out = json::array();
                for (const auto& r : *all) out.push_back(summary_json(r));
                return json_response(200, {{"robots", out}});
              }),
              list);

  RouteInfo one{"One robot: parameters, statistics, trades, open position, equity curve", "robots"};
  router_.add("GET", "/api/v1/robots/{id}", report_part(b, nullptr), one);
  RouteInfo trades{"One robot's trades", "robots"};
  router_.add("GET", "/api/v1/robots/{id}/trades", report_part(b, "trades"), trades);
  RouteInfo equity{"One robot's equity curve: [time, equity] after each trade", "robots"};
  router_.add("GET", "/api/v1/robots/{id}/equity", report_part(b, "equity"), equity);
  RouteInfo cs{"The candles of a robot's market and timeframe the platform keeps", "robots"};
  cs.query = {{"from", "first open time, ISO-8601 UTC"}, {"to", "end, not included"}};
  router_.add("GET", "/api/v1/robots/{id}/candles", routes::sync([&b](RequestContext& c) { return candles(b, c); }), cs);
  RouteInfo sg{"A robot's signals, in order: action, order type, price, candle time", "robots"};
  router_.add("GET", "/api/v1/robots/{id}/signals", routes::sync([&b](RequestContext& c) { return signals(b, c); }), sg);
}

}  // namespace tb::web
