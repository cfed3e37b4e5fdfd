#pragma once
// UTC calendar arithmetic the venue needs: the HTTP Date header (its only clock), and the "YYYY-MM-DD"
// day a client order id belongs to.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tb::venues::bitfinex {

// RFC 1123 "Sun, 06 Nov 1994 08:49:37 GMT" -> ms since the epoch; nullopt if malformed.
std::optional<int64_t> parse_http_date(std::string_view text);
// ms since the epoch -> "YYYY-MM-DD" (UTC).
std::string utc_date(int64_t ms);
// "YYYY-MM-DD" -> ms at 00:00:00 UTC of that day; nullopt if malformed.
std::optional<int64_t> day_start_ms(std::string_view date);

}  // namespace tb::venues::bitfinex
