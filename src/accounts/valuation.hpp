#pragma once
// The USD value of a portfolio: shared by the key test and the periodic re-check.
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
net::Task<std::vector<std::string>> value_in_usd(venues::Venue& venue, const Portfolio& portfolio, const std::vector<Market>& markets,
                                                 Decimal& total);

}  // namespace tb::accounts
