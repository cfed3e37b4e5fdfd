#pragma once
// The USD value of a portfolio and confirmed cancels: shared by the key test, the periodic re-check and
// the background cancel of a test order.
#include <chrono>
#include <string>
#include <vector>

#include "core/core.hpp"
#include "crypto/signer.hpp"
#include "net/transport.hpp"
#include "venues/venue.hpp"

namespace tb::accounts {

bool is_usd_stablecoin(std::string_view asset);  // USD, USDT, USDC: counted at 1 USD

// Adds each balance's USD value (stablecoins at 1, others at the last price of their stablecoin market)
// to `total`; returns the assets it found no price for.
net::Task<std::vector<std::string>> value_in_usd(venues::Venue& venue, const Portfolio& portfolio,
                                                 const std::vector<Market>& markets, Decimal& total);

// Cancels with backoff between tries (doubled each time) and reads the order back; true only when the
// venue reports it cancelled. An order the venue no longer knows counts as not confirmed.
net::Task<bool> cancel_and_confirm(venues::Venue& venue, const crypto::Signer& signer, net::Sleeper& sleeper,
                                   const OrderRef& ref, int attempts, std::chrono::milliseconds backoff);

}  // namespace tb::accounts
