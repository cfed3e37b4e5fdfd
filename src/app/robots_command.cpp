#include "app/robots_command.hpp"

#include <filesystem>
#include <limits>
#include <ostream>

#include <nlohmann/json.hpp>

#include "app/data_dir.hpp"
#include "exsim/venues.hpp"
#include "robots/time_text.hpp"
#include "trading/user_robots.hpp"

namespace tb::app {

namespace {

nlohmann::json robot_json(const store::Robot& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"strategy", r.strategy},
          {"params", nlohmann::json::parse(r.params_json, nullptr, false)},
          {"exchange", r.venue},
          {"symbol", r.symbol},
          {"timeframe", to_string(r.timeframe)},
          {"status", to_string(r.status)},
          {"starts_at", robots::iso_utc(r.starts_ms)}};
}

std::string robot_line(const store::Robot& r) {
  return std::to_string(r.id) + "  " + r.name + "  [" + std::string(to_string(r.status)) + "]  " + r.strategy + " " + r.params_json +
         " on " + r.venue + " " + r.symbol + " " + std::string(to_string(r.timeframe));
}

int fail(const Error& e, std::ostream& err) {
  err << nlohmann::json{{"error", {{"kind", to_string(e.kind)}, {"message", e.message}}}}.dump(2) << "\n";
  return e.kind == ErrorKind::Internal ? 1 : 2;
}

void print(const store::Robot& r, bool json, std::ostream& out) { out << (json ? robot_json(r).dump(2) : robot_line(r)) << "\n"; }

int signals(store::Store& s, const RobotsOptions& o, std::ostream& out, std::ostream& err) {
  auto r = robots::find_robot(s, o.robot);
  if (!r) return fail(r.error(), err);
  auto all = s.robot_signals(r->id, 0, std::numeric_limits<int64_t>::max());
  if (!all) return fail(all.error(), err);
  nlohmann::json array = nlohmann::json::array();
  for (const auto& g : *all)
    array.push_back({{"seq", g.seq},
                     {"action", to_string(g.action)},
                     {"order_type", to_string(g.order)},
                     {"price", g.price ? nlohmann::json(g.price->to_string()) : nlohmann::json(nullptr)},
                     {"candle_time", robots::iso_utc(g.candle_ms)}});
  out << array.dump(o.json ? 2 : -1) << "\n";
  return 0;
}

// add --strategy signal: the operator's signal robot, fed by POST /api/v1/robots/{id}/signals with the token
// printed here once (only its hash is kept); any user may follow it.
int add_signal_robot(store::Store& s, const RobotsOptions& o, std::ostream& out, std::ostream& err) {
  if (o.spec.name.empty()) return fail(Error::invalid("name", "a signal robot needs a --name"), err);
  trading::UserRobotService service(s, SystemClock::instance());
  auto made = service.create_signal_robot(std::nullopt, o.spec.name, o.spec.venue, o.spec.symbol);
  if (!made) return fail(made.error(), err);
  const std::string path = "/api/v1/robots/" + std::to_string(made->robot.id) + "/signals";
  if (o.json) {
    out << nlohmann::json{{"id", made->robot.id},         {"name", made->robot.name}, {"exchange", made->robot.venue},
                          {"symbol", made->robot.symbol}, {"signal_path", path},      {"signal_token", made->token}}
               .dump(2)
        << "\n";
  } else {
    out << made->robot.id << "  " << made->robot.name << "  signal robot on " << made->robot.venue << " " << made->robot.symbol << "\n"
        << "signals: POST " << path << " with Authorization: Bearer " << made->token << "  (the token is shown this once)\n";
  }
  return 0;
}

// add: --since as the robot's start.
int add(store::Store& s, const RobotsOptions& o, std::ostream& out, std::ostream& err) {
  if (o.spec.strategy == "signal") return add_signal_robot(s, o, out, err);
  robots::RobotSpec spec = o.spec;
  if (!o.since.empty()) {
    auto t = robots::parse_utc(o.since, "since");
    if (!t) return fail(t.error(), err);
    if (*t > SystemClock::instance().now_ms()) return fail(Error::invalid("since", "is in the future"), err);
    spec.starts_ms = *t;
  }
  auto r = robots::add_robot(s, spec, known_markets());
  if (!r) return fail(r.error(), err);
  print(*r, o.json, out);
  return 0;
}

int list(store::Store& s, bool json, std::ostream& out, std::ostream& err) {
  auto all = s.list_robots();
  if (!all) return fail(all.error(), err);
  nlohmann::json array = nlohmann::json::array();
  for (const auto& r : *all)
    if (json) array.push_back(robot_json(r));
    else out << robot_line(r) << "\n";
  if (json) out << array.dump(2) << "\n";
  return 0;
}

// pause, resume, remove: on one robot, which is printed as it is after.
int change(store::Store& s, const RobotsOptions& o, std::ostream& out, std::ostream& err) {
  auto r = robots::find_robot(s, o.robot);
  if (!r) return fail(r.error(), err);
  Status st = o.action == "remove"
                  ? s.delete_robot(r->id)
                  : s.set_robot_status(r->id, o.action == "pause" ? store::RobotStatus::Paused : store::RobotStatus::Active);
  if (!st) return fail(st.error(), err);
  if (o.action == "remove") {
    out << (o.json ? nlohmann::json{{"removed", r->id}}.dump() : "removed " + std::to_string(r->id) + "  " + r->name) << "\n";
    return 0;
  }
  auto now = s.find_robot(r->id);
  if (!now || !now->has_value()) return fail(now ? Error::make(ErrorKind::Internal, "store: the robot vanished") : now.error(), err);
  print(**now, o.json, out);
  return 0;
}

}  // namespace

std::vector<robots::KnownMarket> known_markets() {
  std::vector<robots::KnownMarket> out;
  for (const auto& v : exsim::default_sim_venues())
    for (const auto& m : v.markets)
      out.push_back({v.id, m.id, m.base, m.perpetual, robots::MarketRules{m.step, m.min_qty, m.min_notional, m.perpetual}, m.taker_fee});
  return out;
}

int run_robots(const RobotsOptions& o, std::ostream& out, std::ostream& err) {
  const bool needs_robot =
      o.action == "show" || o.action == "signals" || o.action == "pause" || o.action == "resume" || o.action == "remove";
  if (o.action != "add" && o.action != "list" && !needs_robot)
    return fail(Error::invalid("action", "'" + o.action + "' is none of add, list, show, signals, pause, resume, remove"), err);
  if (needs_robot && o.robot.empty()) return fail(Error::invalid("robot", o.action + " needs a robot: its id or name"), err);
  if (o.database.empty() && !std::filesystem::is_directory(o.data_dir))
    return fail(Error::invalid("data-dir", "no directory " + o.data_dir + ": start `tradebridge serve` on it once, or pass --data-dir"),
                err);
  auto store = open_database(o.database, o.data_dir, SystemClock::instance());
  if (!store) return fail(store.error(), err);
  store::Store& s = **store;
  // The catalogue a new database starts with, as `serve` would seed it on its first start.
  if (auto seeded = robots::seed_catalogue(s, known_markets()); !seeded) return fail(seeded.error(), err);
  if (o.action == "list") return list(s, o.json, out, err);
  if (o.action == "add") return add(s, o, out, err);
  if (o.action == "signals") return signals(s, o, out, err);
  if (o.action == "show") {
    auto r = robots::find_robot(s, o.robot);
    if (!r) return fail(r.error(), err);
    print(*r, true, out);
    return 0;
  }
  return change(s, o, out, err);
}

}  // namespace tb::app
