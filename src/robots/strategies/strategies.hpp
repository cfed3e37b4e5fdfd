#pragma once
// Each strategy's entry for the registry, defined in its own file; and what several of them share.
#include <vector>

#include "robots/registry.hpp"

namespace tb::robots {

StrategyInfo ma_cross_info();
StrategyInfo breakout_info();
StrategyInfo parabolic_info();
StrategyInfo supertrend_info();
StrategyInfo trend_hold_info();

// A trend that turned: close the position against it, then open one with it (a short only where the
// market allows shorts), at market.
void follow_turn(bool up, const Holding& holding, bool shorts, std::vector<Signal>& out);

}  // namespace tb::robots
