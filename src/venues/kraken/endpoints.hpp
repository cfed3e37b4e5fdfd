#pragma once
// Kraken Spot REST: base URL, method paths and what each call costs on the per-key counter
// (exchanges.md §3.1, §3.4). Public methods are GET /0/public/<Method>; private ones POST /0/private/<Method>.
#include <string_view>

namespace tb::venues::kraken {

inline constexpr std::string_view kVenueId = "kraken";
inline constexpr std::string_view kDisplayName = "Kraken";
inline constexpr std::string_view kBaseUrl = "https://api.kraken.com";
inline constexpr std::string_view kPublicPrefix = "/0/public/";
inline constexpr std::string_view kPrivatePrefix = "/0/private/";

struct Endpoint {
  std::string_view method;  // "Time", "AddOrder"
  bool is_private;
  // Cost on the per-key REST counter. Order entry (AddOrder/CancelOrder) is counted by the trading
  // engine's per-pair limiter instead, so it costs 0 here; ledger/trade-history calls cost 2.
  double cost;
};

namespace endpoint {
inline constexpr Endpoint kTime{"Time", false, 1};
inline constexpr Endpoint kAssets{"Assets", false, 1};
inline constexpr Endpoint kAssetPairs{"AssetPairs", false, 1};
inline constexpr Endpoint kTicker{"Ticker", false, 1};
inline constexpr Endpoint kOhlc{"OHLC", false, 1};
inline constexpr Endpoint kBalanceEx{"BalanceEx", true, 1};
inline constexpr Endpoint kAddOrder{"AddOrder", true, 0};
inline constexpr Endpoint kCancelOrder{"CancelOrder", true, 0};
inline constexpr Endpoint kQueryOrders{"QueryOrders", true, 1};
inline constexpr Endpoint kOpenOrders{"OpenOrders", true, 1};
inline constexpr Endpoint kClosedOrders{"ClosedOrders", true, 1};
inline constexpr Endpoint kGetApiKeyInfo{"GetApiKeyInfo", true, 1};
inline constexpr Endpoint kWithdrawMethods{"WithdrawMethods", true, 1};
inline constexpr Endpoint kLedgers{"Ledgers", true, 2};
}  // namespace endpoint

// Per-key counter, Starter tier (the most restrictive): max 15, decays 0.33 per second.
inline constexpr double kKeyCounterMax = 15;
inline constexpr double kKeyCounterDecayPerSecond = 0.33;
// Public calls are limited per IP at roughly one per second, not formally specified [UNCERTAIN]:
// allow a burst, then about one per second.
inline constexpr double kPublicCounterMax = 20;
inline constexpr double kPublicCounterDecayPerSecond = 1.0;

// A lockout lasts about 15 minutes; reported as retry_after so nobody retries into it.
inline constexpr long long kLockoutMs = 15 * 60 * 1000;

}  // namespace tb::venues::kraken
