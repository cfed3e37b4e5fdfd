#include "accounts/valuation.hpp"

namespace tb::accounts {

bool is_usd_stablecoin(std::string_view asset) { return asset == "USD" || asset == "USDT" || asset == "USDC"; }

net::Task<std::vector<std::string>> value_in_usd(venues::Venue& venue, const Portfolio& portfolio, const std::vector<Market>& markets,
                                                 Decimal& total) {
  std::vector<std::string> unvalued;
  for (const auto& b : portfolio.balances) {
    if (b.total.is_zero()) continue;
    if (is_usd_stablecoin(b.asset)) {
      total += b.total;
      continue;
    }
    const Market* pricing = nullptr;
    for (const auto& m : markets)
      if (m.active && m.base == b.asset && is_usd_stablecoin(m.quote)) {
        pricing = &m;
        break;
      }
    if (!pricing) {
      unvalued.push_back(b.asset);
      continue;
    }
    auto t = co_await venue.ticker(pricing->id);  // kept out of ?:, where a co_await crashed under GCC 12
    if (!t) {
      unvalued.push_back(b.asset);
      continue;
    }
    total += b.total * t->last;  // a USD estimate; the quote stablecoin counts as 1
  }
  co_return unvalued;
}

}  // namespace tb::accounts
