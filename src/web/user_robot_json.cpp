#include "web/user_robot_json.hpp"

#include "robots/time_text.hpp"
#include "trading/position.hpp"

namespace tb::web {

using nlohmann::json;

namespace {

json time_or_null(const std::optional<int64_t>& ms) { return ms ? json(robots::iso_utc(*ms)) : json(nullptr); }

json statistics_json(const std::vector<store::RobotPosition>& positions) {
  const trading::Statistics s = trading::statistics_of(positions);
  const auto rate = s.win_rate(2);
  return {{"positions", s.closed},
          {"wins", s.wins},
          {"win_rate", rate ? json(rate->to_string()) : json(nullptr)},
          {"net_profit", s.net_profit.to_string()},
          {"fees", s.fees.to_string()}};
}

}  // namespace

json position_json(const store::RobotPosition& p) {
  return {{"id", p.id},
          {"side", p.side},
          {"amount", (p.entered - p.exited).normalized().to_string()},
          {"entered", p.entered.to_string()},
          {"entry_price", p.entry_price.to_string()},
          {"exited", p.exited.to_string()},
          {"exit_price", p.exit_price.to_string()},
          {"fees", p.fees.to_string()},
          {"profit", p.profit ? json(p.profit->to_string()) : json(nullptr)},
          {"opened_at", robots::iso_utc(p.opened_ms)},
          {"closed_at", time_or_null(p.closed_ms)}};
}

json robot_order_json(const store::OrderRecord& o) {
  return {{"id", o.id},
          {"client_order_id", o.client_order_id},
          {"venue_order_id", o.venue_order_id},
          {"signal_seq", o.signal_seq},
          {"leg", o.leg},
          {"attempt", o.attempt},  // a limit order placed again one slippage step further: 1, 2, ...
          {"side", o.side},
          {"type", o.type},
          {"price", o.type == "limit" ? json(o.price.to_string()) : json(nullptr)},
          {"amount", o.amount.to_string()},
          {"reduce_only", o.reduce_only},
          {"state", o.state},
          {"filled", o.filled.to_string()},
          {"average_price", o.average_price.to_string()},
          {"fee", o.fee.to_string()},
          {"fee_pending", o.fee_pending},  // the venue tells it apart: asked after the fill
          {"note", o.note},
          {"created_at", robots::iso_utc(o.created_ms)},
          {"settled_at", time_or_null(o.settled_ms)}};
}

json user_robot_json(const store::UserRobot& ur, const std::vector<store::RobotPosition>& positions) {
  json open = nullptr;
  for (const auto& p : positions)
    if (!p.closed_ms) open = position_json(p);
  return {{"id", ur.id},
          {"robot_id", ur.robot_id},
          {"account_id", ur.account_id},
          {"status", to_string(ur.status)},
          {"message", ur.message},
          {"handled_seq", ur.handled_seq},  // the robot's signals up to this one are traded or skipped
          {"volume", {{"type", to_string(ur.volume_type)}, {"value", ur.volume.to_string()}}},
          {"leverage", ur.leverage ? json(*ur.leverage) : json(nullptr)},
          {"position", open},
          {"statistics", statistics_json(positions)},
          {"created_at", robots::iso_utc(ur.created_ms)},
          {"updated_at", robots::iso_utc(ur.updated_ms)}};
}

}  // namespace tb::web
