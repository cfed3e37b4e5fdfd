#pragma once
// What every venue does with an answer its own error table does not explain: gateways' HTML pages,
// 429/418 throttling, 5xx. Used by each venue's errors module as the fallback.
#include <chrono>
#include <optional>

#include "core/core.hpp"
#include "net/http.hpp"

namespace tb::venues {

// Retry-After in seconds (the only form venues send), as a duration.
std::optional<std::chrono::milliseconds> retry_after(const net::HttpResponse& r);
// 429/418 -> RateLimited, 5xx and 403/408 gateway answers -> ExchangeUnavailable, else BadResponse.
Error generic_http_error(const net::HttpResponse& r, std::string_view venue_name);

}  // namespace tb::venues
