#include "venues/common/http_errors.hpp"

#include <charconv>
#include <string>

#include "venues/common/json_util.hpp"

namespace tb::venues {

std::optional<std::chrono::milliseconds> retry_after(const net::HttpResponse& r) {
  auto h = r.header("Retry-After");
  if (!h) return std::nullopt;
  int64_t seconds = 0;
  auto res = std::from_chars(h->data(), h->data() + h->size(), seconds);
  // Beyond a year is no wait a venue means (the longest IP ban a venue documents is days), and its milliseconds, added to
  // the clock, would overflow: taken as no Retry-After at all.
  constexpr int64_t kMaxSeconds = 365LL * 24 * 3600;
  if (res.ec != std::errc{} || seconds < 0 || seconds > kMaxSeconds) return std::nullopt;
  return std::chrono::milliseconds(seconds * 1000);
}

Error generic_http_error(const net::HttpResponse& r, std::string_view venue_name) {
  std::string venue(venue_name);
  Error e;
  e.http_status = r.status;
  e.venue_message = snippet(r.body);
  if (r.status == 429 || r.status == 418) {
    e.kind = ErrorKind::RateLimited;
    e.message = venue + " is limiting our requests";
    e.retry_after = retry_after(r);
  } else if (r.status >= 500 || r.status == 403 || r.status == 408) {
    e.kind = ErrorKind::ExchangeUnavailable;
    e.message = venue + " is unavailable (HTTP " + std::to_string(r.status) + ")";
  } else {
    e.kind = ErrorKind::BadResponse;
    e.message = venue + " answered HTTP " + std::to_string(r.status) + " with an unexpected body";
  }
  return e;
}

}  // namespace tb::venues
