#pragma once
// Binance error answers -> unified ErrorKind. Body is always {"code": <negative int>, "msg": "..."}; codes
// are stable, messages may vary, so the table is matched by code first (exact), then by message text
// (broad), then falls back to the generic HTTP reading (HTML pages, 5xx, 429/418).
#include <span>
#include <string_view>

#include "core/core.hpp"
#include "net/http.hpp"

namespace tb::venues::binance_futures {

struct CodeRow {
  int code;
  ErrorKind kind;
  std::string_view meaning;  // ours, for Error::message
};
struct MessageRow {
  std::string_view contains;  // a substring of msg
  ErrorKind kind;
  bool outcome_unknown;  // the venue says the request may or may not have been executed
  std::string_view meaning;
};

std::span<const CodeRow> code_table();
std::span<const MessageRow> message_table();

// Any non-2xx answer (or a 2xx carrying an error body) as an Error keeping the venue's code and msg.
Error map_error(const net::HttpResponse& response);
// A 418 ban names its end ("IP banned until 1700000120000") even where no Retry-After header comes: the
// wait it leaves, set on a RateLimited error that has none.
void read_ban_end(Error& e, int64_t now_ms);
// The same from an already parsed code/msg pair, for tests and batch answers.
Error map_error_code(int code, std::string_view msg, int http_status);

// The venue documents these answers as "failed, nothing executed" even on 5xx (-1001, -1008,
// "Service Unavailable."); any other 5xx/408 to a create or cancel leaves the outcome unknown.
bool is_documented_failure(const Error& e);

// -2015 means one of three things the venue will not tell apart.
inline constexpr int kInvalidKeyIpOrPermission = -2015;
inline constexpr int kTimestampOutsideWindow = -1021;
// "Order's position side does not match user's setting.": refused, nothing placed.
inline constexpr int kPositionSideMismatch = -4061;
inline constexpr int kNoNeedToChangeMarginType = -4046;

}  // namespace tb::venues::binance_futures
