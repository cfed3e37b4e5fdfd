#pragma once
// Times as robots print and read them: ISO-8601 in UTC, the form of the backtest's JSON and the CLI's
// --from/--to.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace tb::robots {

// "2024-03-01T12:00:00Z"; milliseconds appear only when there are some ("...:00.250Z").
std::string iso_utc(int64_t ms);

// "2024-03-01", "2024-03-01T12:00", "2024-03-01T12:00:00" or "2024-03-01T12:00:00Z" (UTC) to ms since the
// epoch; InvalidArgument naming `field` otherwise.
Result<int64_t> parse_utc(std::string_view text, const std::string& field);

// The month of a time as a number that grows by one a month (year * 12 + month - 1), for monthly returns.
int64_t month_index(int64_t ms);

}  // namespace tb::robots
