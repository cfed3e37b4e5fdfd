#pragma once
// Candles as robots read them: the simulator's `--candles` CSV (open_time_ms,open,high,low,close,volume),
// checked once at the edge so every later step may trust the series (sorted, no duplicate times, high and
// low around open and close), and the robots' timeframes with larger ones built from smaller ones.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/types.hpp"

namespace tb::robots {

// The timeframes a robot runs on: 1m 5m 15m 30m 1h 4h 1d (core's 1w is not one of them).
const std::vector<Timeframe>& robot_timeframes();
// "1h" -> H1; InvalidArgument naming the field (`timeframe`) and the choices for anything else.
Result<Timeframe> parse_robot_timeframe(std::string_view text);

// Parses the CSV text. A first line that does not start with a number is a header and skipped; blank
// lines are skipped. Errors (InvalidArgument, field "candles") name the line: an empty file, a line
// without six fields, a field that is not a decimal, high below max(open, close) or low above
// min(open, close), a negative price or volume or one of 10^15 or more, a time not after the line before
// (unsorted, duplicate).
Result<std::vector<Candle>> parse_candles_csv(std::string_view text);
// The same format, with a header line; parse_candles_csv(write_candles_csv(c)) == c.
std::string write_candles_csv(const std::vector<Candle>& candles);

// The distance between candles of this series: the smallest gap between two open times (nullopt for
// fewer than two candles). A series with gaps still has its timeframe's spacing somewhere.
std::optional<int64_t> candle_spacing_ms(const std::vector<Candle>& candles);

// Builds candles of `target` from a series of a smaller timeframe: each bucket (open times aligned to the
// target's width from the epoch, so days start at 00:00 UTC) opens at its first candle's open, closes at
// its last close, spans their highs and lows and sums their volumes. Buckets with missing candles are kept
// (a venue's gap is no reason to drop an hour). InvalidArgument when `source_ms` does not divide the
// target's width.
Result<std::vector<Candle>> build_timeframe(const std::vector<Candle>& candles, int64_t source_ms, Timeframe target);

// The series as a robot on `tf` reads it: as is when spaced by tf, built from a smaller spacing, an error
// naming `candles` when the series is coarser than tf or its spacing is no divisor of it.
Result<std::vector<Candle>> candles_for_timeframe(std::vector<Candle> candles, Timeframe tf);

}  // namespace tb::robots
