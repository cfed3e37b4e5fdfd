#pragma once
// Binance USD-M account settings on the engine (exchanges.md §2.8-§2.9): position mode, leverage and
// margin type per symbol, with the venue's answers and refusals (-4046, -4059, -4028, ...).
#include <optional>

#include "exsim/binance_futures/protocol.hpp"
#include "exsim/engine/exchange.hpp"

namespace tb::exsim::binance_futures {

// The market the request's `symbol` names; otherwise nullopt with the venue's error (-1102, -1121) in *e.
std::optional<SimMarket> market_of(const Exchange& ex, const Params& p, VenueError* e);

net::HttpResponse get_position_mode(Exchange& ex, const ApiKey& key);                   // GET positionSide/dual
net::HttpResponse set_position_mode(Exchange& ex, const ApiKey& key, const Params& p);  // POST positionSide/dual
net::HttpResponse set_leverage(Exchange& ex, const ApiKey& key, const Params& p);       // POST leverage
net::HttpResponse set_margin_type(Exchange& ex, const ApiKey& key, const Params& p);    // POST marginType

// An order's positionSide against the account's mode: one-way takes BOTH (or none); hedge mode takes
// LONG or SHORT, which say whether the order opens or closes (a SELL on LONG closes: reduce-only for
// the engine), and refuses reduceOnly. -4061 when it does not fit.
std::optional<VenueError> read_position_side(const FuturesConfig& f, const Params& p, OrderSpec& spec);

}  // namespace tb::exsim::binance_futures
