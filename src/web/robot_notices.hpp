#pragma once
// The user robots' events as the event stream and a linked chat get them: user_robot.updated,
// order.updated, position.opened, position.closed (data: the API's JSON of the thing), robot.signal, with
// the words a chat is told for trades and pauses (none for the rest).
#include "accounts/events.hpp"
#include "trading/desk.hpp"

namespace tb::web {

accounts::Notice notice_of(const trading::DeskEvent& event);
accounts::Notice user_robot_updated(const store::UserRobot& ur);
accounts::Notice robot_signal(int64_t robot_id, int64_t seq, std::string_view action);

}  // namespace tb::web
