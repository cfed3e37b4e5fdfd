// The key's restrictions as the spot host's /sapi/v1/account/apiRestrictions shows them (exchanges.md §2.11).
#include "exsim/binance_futures/render.hpp"

namespace tb::exsim::binance_futures {

ojson api_restrictions(const ApiKey& key) {
  const auto& p = key.permissions;
  bool ip_restrict = !key.ip_whitelist.empty();
  ojson j = {{"ipRestrict", ip_restrict},
             {"createTime", key.created_ms},
             {"enableReading", p.read},
             {"enableWithdrawals", p.withdraw},
             {"enableInternalTransfer", false},
             {"enableMargin", false},
             {"enableFutures", p.futures},
             {"permitsUniversalTransfer", false},
             {"enableVanillaOptions", false},
             {"enableFixApiTrade", false},
             {"enableFixReadOnly", false},
             {"enableSpotAndMarginTrading", p.trade},
             {"enablePortfolioMarginTrading", false}};
  // An unrestricted key keeps its trading right for a limited time (the date the key test warns about).
  if (!ip_restrict && (p.trade || p.futures)) j["tradingAuthorityExpirationTime"] = key.created_ms + 90LL * 86'400'000;
  return j;
}

}  // namespace tb::exsim::binance_futures
