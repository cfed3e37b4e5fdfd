#pragma once
// Kraken's error strings -> tb::ErrorKind, as a table (exchanges.md §3.6), the ccxt exact/broad idea:
// exact strings first, then prefixes ("EGeneral:Invalid arguments:volume", "EService: Throttled: <ts>"),
// then the category. The venue's string is kept as venue_code.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/core.hpp"
#include "net/http.hpp"

namespace tb::venues::kraken {

enum class Match { Exact, Prefix };

struct ErrorRow {
  std::string_view text;  // as Kraken writes it, spaces after ':' removed
  Match match;
  ErrorKind kind;
};

std::span<const ErrorRow> error_table();

// One error string -> Error (kind, our message, venue_code = the string).
Error error_from_string(std::string_view kraken_error, int http_status = 200);

// The `result` of a response, or the Error it carries: Kraken's {"error":[...]} envelope (normally
// HTTP 200), gateway pages and 5xx (generic handling), malformed or truncated JSON (BadResponse).
Result<nlohmann::json> unwrap_response(const net::HttpResponse& response);

}  // namespace tb::venues::kraken
