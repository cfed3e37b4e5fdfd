#pragma once
// Bitfinex v2 REST (`/v2/...`) spoken on top of the simulator's engine, as exchanges.md §4 describes the
// venue and as ccxt's bitfinex reads it: conf lists, tickers, candles, platform status; wallets, orders,
// permissions behind bfx-apikey / bfx-nonce / bfx-signature.
#include <memory>

#include "exsim/venue_sim.hpp"

namespace tb::exsim {

struct BitfinexSimOptions {
  // The venue's per-IP, per-endpoint budgets (10-90 a minute). Off for benchmarks that must never be
  // answered "ratelimit: error".
  bool enforce_rate_limits = true;
};

std::unique_ptr<VenueSim> make_bitfinex_sim(Exchange& exchange);
std::unique_ptr<VenueSim> make_bitfinex_sim(Exchange& exchange, BitfinexSimOptions options);

}  // namespace tb::exsim
