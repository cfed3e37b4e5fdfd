#pragma once
// Step 4's order, as a pure function of the market's rules and the last price: a limit buy far below the
// market at the smallest size the rules allow. Decimal all the way; never a double.
#include <string>

#include "core/core.hpp"

namespace tb::accounts {

// 30% under `last`: rounded down to the tick, or to the market's significant digits where it sets them.
Decimal test_order_price(const Market& m, const Decimal& last);
// The smallest quantity with qty >= min_qty and price * qty >= min_notional, rounded up to the step.
Decimal test_order_amount(const Market& m, const Decimal& price);
// InvalidArgument when the last price is not positive or the price rounds to zero.
Result<OrderRequest> plan_test_order(const Market& m, const Decimal& last, std::string client_order_id);
// The first active market with base BTC and quote USD or USDT; otherwise the first active BTC market.
const Market* pick_test_market(const std::vector<Market>& markets);

}  // namespace tb::accounts
