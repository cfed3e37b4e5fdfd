#pragma once
// Binance USD-M Futures: base URLs, paths, request weights and the documented limits (exchanges.md §2).
#include <cstdint>
#include <string_view>

namespace tb::venues::binance_futures {

inline constexpr std::string_view kVenueId = "binance_futures";
inline constexpr std::string_view kDisplayName = "Binance USD-M Futures";

// Two hosts: fapi for everything futures, the spot host only for the key's own restrictions.
enum class Host { Fapi, Sapi };
inline constexpr std::string_view kFapiBase = "https://fapi.binance.com";
inline constexpr std::string_view kSapiBase = "https://api.binance.com";

struct Endpoint {
  std::string_view method;
  Host host;
  std::string_view path;
  int weight;       // IP request weight (REQUEST_WEIGHT per minute)
  bool is_signed;   // TRADE / USER_DATA: timestamp, recvWindow, signature, X-MBX-APIKEY
  bool is_order;    // counts on the per-account ORDERS limiters
  bool repeatable;  // safe to send again after a failure (reads); never create/cancel
};

inline constexpr Endpoint kServerTime{"GET", Host::Fapi, "/fapi/v1/time", 1, false, false, true};
inline constexpr Endpoint kExchangeInfo{"GET", Host::Fapi, "/fapi/v1/exchangeInfo", 1, false, false, true};
inline constexpr Endpoint kTicker24h{"GET", Host::Fapi, "/fapi/v1/ticker/24hr", 1, false, false, true};
inline constexpr Endpoint kKlines{"GET", Host::Fapi, "/fapi/v1/klines", 0 /* by limit */, false, false, true};
inline constexpr Endpoint kAccount{"GET", Host::Fapi, "/fapi/v2/account", 5, true, false, true};
inline constexpr Endpoint kNewOrder{"POST", Host::Fapi, "/fapi/v1/order", 0, true, true, false};
inline constexpr Endpoint kCancelOrder{"DELETE", Host::Fapi, "/fapi/v1/order", 1, true, false, false};
inline constexpr Endpoint kQueryOrder{"GET", Host::Fapi, "/fapi/v1/order", 1, true, false, true};
// The fills of one order (orderId with symbol): their commission, which order answers lack.
inline constexpr Endpoint kUserTrades{"GET", Host::Fapi, "/fapi/v1/userTrades", 5, true, false, true};
inline constexpr Endpoint kOpenOrders{"GET", Host::Fapi, "/fapi/v1/openOrders", 0 /* 1 with symbol, 40 without */, true, false, true};
// Account settings (§2.8, §2.9). Setting one twice sets the same: safe to send again.
inline constexpr Endpoint kPositionSideDual{"GET", Host::Fapi, "/fapi/v1/positionSide/dual", 30, true, false, true};
inline constexpr Endpoint kPositionRisk{"GET", Host::Fapi, "/fapi/v2/positionRisk", 5, true, false, true};
inline constexpr Endpoint kLeverage{"POST", Host::Fapi, "/fapi/v1/leverage", 1, true, false, true};
inline constexpr Endpoint kMarginType{"POST", Host::Fapi, "/fapi/v1/marginType", 1, true, false, true};
inline constexpr int kMaxLeverage = 125;
inline constexpr Endpoint kApiRestrictions{"GET", Host::Sapi, "/sapi/v1/account/apiRestrictions", 1, true, false, true};

inline constexpr int kOpenOrdersWeightOneSymbol = 1;
inline constexpr int kOpenOrdersWeightAll = 40;

// klines weight by limit: [1,100) 1, [100,500) 2, [500,1000] 5, above 10. The venue's default limit is 500.
constexpr int klines_weight(int limit) { return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10; }
inline constexpr int kKlinesDefaultLimit = 500;
inline constexpr int kKlinesMaxLimit = 1500;

// Limits from exchangeInfo.rateLimits in the docs. Weight is per IP, order counts per account.
inline constexpr int64_t kWeightPerMinute = 2400;
inline constexpr int64_t kOrdersPerMinute = 1200;
inline constexpr int64_t kOrdersPer10s = 300;  // not in the stored docs; the commonly seen value
// The spot host counts its own weight; its limit is not in the reference, so stay at the fapi value.
inline constexpr int64_t kSapiWeightPerMinute = 2400;

inline constexpr std::string_view kUsedWeightHeader = "X-MBX-USED-WEIGHT-1M";
inline constexpr std::string_view kOrderCount1mHeader = "X-MBX-ORDER-COUNT-1M";
inline constexpr std::string_view kOrderCount10sHeader = "X-MBX-ORDER-COUNT-10S";

}  // namespace tb::venues::binance_futures
