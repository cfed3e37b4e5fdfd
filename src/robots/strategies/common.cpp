#include "robots/strategies/strategies.hpp"

namespace tb::robots {

void follow_turn(bool up, const Holding& holding, bool shorts, std::vector<Signal>& out) {
  if (up) {
    if (holding.side == Exposure::Short) out.push_back({Action::CloseShort});
    if (holding.side != Exposure::Long) out.push_back({Action::Long});
  } else {
    if (holding.side == Exposure::Long) out.push_back({Action::CloseLong});
    if (shorts && holding.side != Exposure::Short) out.push_back({Action::Short});
  }
}

}  // namespace tb::robots
