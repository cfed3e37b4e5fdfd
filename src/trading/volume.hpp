#pragma once
// How much a user robot buys or sells on entering a position: its volume setting made into an amount of
// the market's base asset, rounded down to the market's step, and refused below the market's minimum.
#include <string>

#include "core/core.hpp"
#include "store/user_robot_store.hpp"

namespace tb::trading {

// A volume a user may set: positive; a balance share is 1 to 100 %. InvalidArgument "volume: ...".
Status check_volume(store::VolumeType type, const Decimal& value);

// The market's minimum in words, at a price: "0.001 BTC (5 USDT at 50000)".
std::string minimum_of(const Market& market, const Decimal& price);

// The entry's base amount: asset_fixed as given, quote_fixed the quote amount divided by the price, and
// balance_percent that share of the free quote balance divided by the price; each rounded down to the
// step. InvalidArgument "volume: ... below the market minimum ..." (naming the minimum) when it is less
// than the market's least amount or order value.
Result<Decimal> entry_amount(store::VolumeType type, const Decimal& value, const Market& market, const Decimal& price,
                             const Decimal& free_quote);

}  // namespace tb::trading
