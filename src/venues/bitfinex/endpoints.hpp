#pragma once
// Bitfinex v2 REST: base URLs, paths and the per-endpoint request budgets (exchanges.md §4.1, §4.4).
#include <array>
#include <cstdint>
#include <string_view>

namespace tb::venues::bitfinex {

inline constexpr std::string_view kVenueId = "bitfinex";
inline constexpr std::string_view kDisplayName = "Bitfinex";

inline constexpr std::string_view kPublicBase = "https://api-pub.bitfinex.com";
inline constexpr std::string_view kAuthBase = "https://api.bitfinex.com";

// The venue limits each endpoint separately, between 10 and 90 requests a minute; exceeding one blocks
// the IP for 60 s. `family` names the budget an endpoint draws from.
struct Endpoint {
  std::string_view family;
  std::string_view path;  // without the leading slash: it is signed that way
  int64_t per_minute;
};

inline constexpr Endpoint kPlatformStatus{"platform_status", "v2/platform/status", 30};
inline constexpr Endpoint kConfPairs{"conf", "v2/conf/pub:info:pair", 90};
inline constexpr Endpoint kTicker{"ticker", "v2/ticker/", 90};           // + symbol
inline constexpr Endpoint kCandles{"candles", "v2/candles/trade:", 90};  // + tf:symbol/hist
inline constexpr Endpoint kWallets{"wallets", "v2/auth/r/wallets", 90};
inline constexpr Endpoint kOrderSubmit{"order_submit", "v2/auth/w/order/submit", 90};
inline constexpr Endpoint kOrderCancel{"order_cancel", "v2/auth/w/order/cancel", 90};
inline constexpr Endpoint kOrders{"orders", "v2/auth/r/orders", 90};  // [/symbol]
inline constexpr Endpoint kOrdersHist{"orders_hist", "v2/auth/r/orders/hist", 90};
inline constexpr Endpoint kPermissions{"permissions", "v2/auth/r/permissions", 90};
// The fills of one order, each with its fee (order answers carry none): + "{SYMBOL}:{ID}/trades".
inline constexpr Endpoint kOrderTrades{"order_trades", "v2/auth/r/order/", 90};

inline constexpr std::array kAllEndpoints{kPlatformStatus, kConfPairs, kTicker,     kCandles,     kWallets,    kOrderSubmit,
                                          kOrderCancel,    kOrders,    kOrdersHist, kPermissions, kOrderTrades};

// ERR_RATE_LIMIT blocks the IP for this long.
inline constexpr int64_t kRateLimitBlockMs = 60'000;

// Order flags (sum), §4.8.
inline constexpr int kFlagReduceOnly = 1024;
inline constexpr int kFlagPostOnly = 4096;

// Nonces must stay below JavaScript's MAX_SAFE_INTEGER (§4.2).
inline constexpr uint64_t kMaxNonce = 9'007'199'254'740'991ULL;
// Client order ids are int45.
inline constexpr int64_t kMaxClientOrderId = (int64_t{1} << 45) - 1;
// Orders history answers at most this many rows.
inline constexpr int kHistoryLimit = 2500;

}  // namespace tb::venues::bitfinex
