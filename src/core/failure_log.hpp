#pragma once
// Failures with no caller to hand them to — a background job's bookkeeping write, a best-effort cleanup —
// are written to the log, never dropped: one line "tradebridge: <where>: <kind>: <message>" on stderr (or
// the sink a test installs). Errors never carry secrets, so the line is safe to keep.
#include <functional>
#include <string_view>

#include "core/error.hpp"

namespace tb {

void log_failure(std::string_view where, const Error& error);

// Logs the failure of r, if it failed; returns whether r is ok.
template <typename T>
bool logged(std::string_view where, const Result<T>& r) {
  if (!r) log_failure(where, r.error());
  return r.ok();
}

// Where the lines go instead of stderr (an empty function: stderr again). For tests.
void set_failure_sink(std::function<void(std::string_view line)> sink);

}  // namespace tb
