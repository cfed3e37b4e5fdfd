#include "web/robot_notices.hpp"

#include <nlohmann/json.hpp>

#include "accounts/open_orders.hpp"
#include "web/user_robot_json.hpp"

namespace tb::web {

using nlohmann::json;

namespace {

std::string trade_text(const store::OrderRecord& o) {
  return "🤖 User robot " + std::to_string(o.user_robot_id.value_or(0)) + ": " + (o.side == "buy" ? "bought " : "sold ") +
         o.filled.to_plain_string() + " " + o.symbol + " at " + o.average_price.to_plain_string() +
         (o.fee_pending ? " (fee to follow)" : " (fee " + o.fee.to_plain_string() + ")");
}

}  // namespace

accounts::Notice user_robot_updated(const store::UserRobot& ur) {
  json data = user_robot_json(ur, {});
  data.erase("statistics");
  data.erase("position");
  std::string text = ur.status == store::UserRobotStatus::Paused && !ur.message.empty()
                         ? "⏸ User robot " + std::to_string(ur.id) + " paused: " + ur.message
                         : std::string();
  return {"user_robot.updated", data.dump(), text};
}

accounts::Notice notice_of(const trading::DeskEvent& e) {
  using K = trading::DeskEvent::Kind;
  switch (e.kind) {
    case K::UserRobotUpdated: return user_robot_updated(e.user_robot);
    case K::OrderUpdated: {
      json data = robot_order_json(*e.order);
      data["user_robot_id"] = e.user_robot.id;
      return {"order.updated", data.dump(), std::string()};
    }
    case K::PositionOpened:
    case K::PositionClosed: {
      json data = position_json(*e.position);
      data["user_robot_id"] = e.user_robot.id;
      std::string text = e.order ? trade_text(*e.order) : std::string();
      if (e.kind == K::PositionClosed && e.position->profit) text += "; position closed, profit " + e.position->profit->to_plain_string();
      return {e.kind == K::PositionOpened ? "position.opened" : "position.closed", data.dump(), text};
    }
    case K::ForeignOrder: {
      const Order& o = *e.foreign;
      json data = o;
      data["account_id"] = e.user_robot.account_id;
      data["description"] = accounts::order_terms(o);  // its real type, trigger and limit, as the account's order list says
      std::string text = "⚠️ An open order on your account " + std::to_string(e.user_robot.account_id) +
                         " that tradebridge did not place: " + std::string(to_string(o.side)) + " " +
                         o.amount.normalized().to_plain_string() + " " + o.symbol + ", " + accounts::order_terms(o) +
                         ". It is left untouched.";
      return {"foreign_order", data.dump(), text};
    }
  }
  return {};
}

accounts::Notice robot_signal(int64_t robot_id, int64_t seq, std::string_view action) {
  return {"robot.signal", json{{"robot_id", robot_id}, {"seq", seq}, {"action", action}}.dump(), std::string()};
}

}  // namespace tb::web
