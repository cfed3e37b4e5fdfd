#pragma once
#include "core/json_text.hpp"
// The pure side of Bitfinex's v2 protocol, testable without the engine: error answers (exchanges.md §4.6),
// currency and pair names (§4.5), price and amount precision (§4.5), signature verification on the raw
// bytes (§4.2, §5.1), JSON number text and the HTTP Date header.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "core/decimal.hpp"
#include "net/http.hpp"

namespace tb::exsim::bitfinex {

// Error codes the venue documents (§4.6).
inline constexpr int kErrUnknown = 10000;  // the venue's own failure
inline constexpr int kErrGeneric = 10001;
inline constexpr int kErrParam = 10020;
inline constexpr int kErrAuth = 10100;
inline constexpr int kErrNonce = 10114;
inline constexpr int kErrRateLimit = 11010;
inline constexpr int kErrMaintenance = 20060;

inline constexpr uint64_t kMaxNonce = 9'007'199'254'740'991ULL;  // JavaScript's MAX_SAFE_INTEGER (§4.2)
inline constexpr int64_t kMaxCid = (int64_t{1} << 45) - 1;       // cid is int45 (§4.8)
inline constexpr int kFlagReduceOnly = 1024;
inline constexpr int kFlagPostOnly = 4096;

// `["error",code,"text"]` with the venue's HTTP 500 (or `http` when given).
net::HttpResponse error_response(int code, std::string_view text, int http = 500);
net::HttpResponse json_ok(std::string body);

// Unified asset code <-> the venue's: USDT is UST; the others keep their names here.
std::string venue_currency(std::string_view unified);
std::string unified_currency(std::string_view venue);
// "tBTCUSD" -> "BTCUSD" (conf answers carry no `t`).
std::string pair_of(std::string_view market_id);

// Prices keep 5 significant digits, cut (not rounded) as the venue does, and at most 8 decimals.
Decimal truncate_price(const Decimal& price);
// Amounts keep 8 decimals.
Decimal truncate_amount(const Decimal& amount);

// A decimal as a JSON number token ("30000.5", "-0.001"): the venue sends numbers, not strings.
std::string number(const Decimal& d);

// A decimal from a JSON string ("0.001") or number; nullopt otherwise.
std::optional<Decimal> decimal_of(const nlohmann::json& v);
// A whole number from a JSON number or a string of digits; nullopt otherwise.
std::optional<int64_t> integer_of(const nlohmann::json& v);

// "/api/" + path without its leading slash + nonce + body, as the client signs it.
std::string signature_payload(std::string_view path, std::string_view nonce, std::string_view body);
// Lower-case hex HMAC-SHA384 of the payload under the secret's bytes, compared with the sent one ignoring
// case, in constant time.
bool signature_matches(std::string_view secret, std::string_view payload, std::string_view sent_hex);

// A nonce as the venue accepts it: decimal digits, 1..kMaxNonce.
std::optional<uint64_t> parse_nonce(std::string_view text);

// Candle widths by the venue's names: 1m 5m 15m 30m 1h 3h 4h 6h 12h 1D 1W 7D 14D 1M; nullopt otherwise.
std::optional<int64_t> timeframe_ms(std::string_view tf);

// RFC 7231 date: "Sun, 06 Nov 1994 08:49:37 GMT". The venue's clock for clients (no time endpoint).
std::string http_date(int64_t ms);
// UTC calendar day "YYYY-MM-DD" of a time (cid_date).
std::string utc_date(int64_t ms);

}  // namespace tb::exsim::bitfinex
