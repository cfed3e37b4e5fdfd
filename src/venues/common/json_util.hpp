#pragma once
// Reading venue JSON at the edge: decimals from strings or numbers, and errors that say what was wrong.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/core.hpp"
#include "core/json_text.hpp"

namespace tb::venues {

using json = nlohmann::json;

// Parses a body; BadResponse (with the start of the body, for HTML error pages) when it is not JSON.
Result<json> parse_json_body(std::string_view body, int http_status);
// A decimal from a JSON string ("0.001") or number; nullopt for null, missing or malformed.
std::optional<Decimal> decimal_of(const json& v);
std::optional<Decimal> decimal_at(const json& obj, std::string_view key);
// An integer from a JSON integer or a string of decimal digits ("1707212775174", "-1"): venues document
// numbers, and recordings (ccxt's) carry some as strings. nullopt for anything else, or beyond int64.
std::optional<int64_t> integer_of(const json& v);
std::optional<int64_t> integer_at(const json& obj, std::string_view key);
// A boolean from true/false or the strings "true"/"false".
std::optional<bool> boolean_of(const json& v);
Error bad_response(std::string message, int http_status = 0);
using tb::append_json_string;  // core/json_text.hpp
// At most `max` characters of a body for an error message, on one line.
std::string snippet(std::string_view body, size_t max = 120);

}  // namespace tb::venues
