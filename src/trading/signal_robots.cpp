// Signal robots: a user's private robot whose signals come from outside (a TradingView-style alert) with
// a token shown once and kept hashed; each signal id is taken once, so a repeated delivery never trades.
#include "auth/tokens.hpp"
#include "trading/user_robots.hpp"
#include "venues/registry.hpp"

namespace tb::trading {

namespace {

std::optional<store::SignalAction> action_of(std::string_view text) {
  if (text == "long") return store::SignalAction::Long;
  if (text == "short") return store::SignalAction::Short;
  if (text == "close") return store::SignalAction::Close;
  return std::nullopt;
}

Status check_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return Error::invalid("name", "1 to 64 characters");
  return ok_status();
}

}  // namespace

Result<SignalRobotCreated> UserRobotService::create_signal_robot(std::optional<int64_t> user_id, std::string name, std::string venue,
                                                                 std::string symbol) {
  if (auto st = check_name(name); !st) return st.error();
  if (!venues::find_venue(venue)) return Error::invalid("exchange", "unknown exchange; one of: " + venues::venue_ids());
  if (symbol.empty() || symbol.size() > 32) return Error::invalid("symbol", "the exchange's market id, such as BTCUSDT");
  SignalRobotCreated out;
  out.token = auth::new_session_token();
  store::Robot r;
  // Names are unique platform-wide: a user's own never clash with another's.
  r.name = user_id ? "u" + std::to_string(*user_id) + ": " + name : name;
  r.strategy = "signal";
  r.kind = "signal";
  r.venue = std::move(venue);
  r.symbol = std::move(symbol);
  r.owner_id = user_id;
  r.signal_token_hash = auth::token_hash(out.token);
  auto made = store_.create_robot(r);
  if (!made && made.error().field == "name")
    return Error::about(ErrorKind::Conflict, "name", user_id ? "you have a signal robot by that name" : "a robot has that name");
  if (!made) return made.error();
  out.robot = *made;
  return out;
}

Result<std::vector<store::Robot>> UserRobotService::signal_robots(int64_t user_id) {
  auto all = store_.list_robots();
  if (!all) return all.error();
  std::vector<store::Robot> mine;
  for (auto& r : *all)
    if (r.kind == "signal" && r.owner_id == user_id) mine.push_back(r);
  return mine;
}

Result<SignalTaken> UserRobotService::take_signal(int64_t robot_id, std::string_view token, const IncomingSignal& in) {
  auto r = store_.find_robot(robot_id);
  if (!r) return r.error();
  // An unknown robot and a wrong token answer alike: the webhook tells a stranger nothing.
  if (!*r || (*r)->kind != "signal" || token.empty() || !auth::token_matches(token, (*r)->signal_token_hash))
    return Error::make(ErrorKind::Unauthenticated, "signal token: wrong or missing");
  if (in.id.empty() || in.id.size() > 128) return Error::invalid("id", "1 to 128 characters, unique per signal");
  auto action = action_of(in.action);
  if (!action) return Error::invalid("action", "\"long\", \"short\" or \"close\"");
  if (in.price && !in.price->is_positive()) return Error::invalid("price", "must be more than 0");
  if (auto seen = store_.signal_seq_of(robot_id, in.id); !seen) return seen.error();
  else if (*seen) return SignalTaken{**seen, true};
  if (in.time_ms && clock_.now_ms() - *in.time_ms > options_.signal_max_lag_ms)
    return Error::about(ErrorKind::Conflict, "time",
                        "the signal is older than " + std::to_string(options_.signal_max_lag_ms / 1000) + " s");
  SignalTaken taken;
  auto st = store_.with_transaction([&](store::Store& s) -> Status {
    auto last = s.last_signal_seq(robot_id);
    if (!last) return last.error();
    taken.seq = *last + 1;
    store::RobotSignal g{robot_id, taken.seq, *action, store::SignalOrder::Market, in.price, in.time_ms.value_or(clock_.now_ms()), 0};
    if (auto a = s.append_signal(g); !a) return a;
    return s.record_signal_id(robot_id, in.id, taken.seq);
  });
  if (!st) return st.error();
  if (on_signal) on_signal(**r, taken.seq, in.action);
  return taken;
}

}  // namespace tb::trading
