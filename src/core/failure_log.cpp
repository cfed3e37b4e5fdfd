#include "core/failure_log.hpp"

#include <iostream>
#include <mutex>
#include <string>

namespace tb {
namespace {

std::mutex& sink_mutex() {
  static std::mutex mu;
  return mu;
}
std::function<void(std::string_view)>& sink() {
  static std::function<void(std::string_view)> s;
  return s;
}

}  // namespace

void log_failure(std::string_view where, const Error& error) {
  std::string line = "tradebridge: " + std::string(where) + ": " + error.describe() + "\n";
  std::lock_guard lock(sink_mutex());
  if (sink()) sink()(line);
  else std::cerr << line << std::flush;  // one write of one line, so concurrent lines do not interleave
}

void set_failure_sink(std::function<void(std::string_view line)> s) {
  std::lock_guard lock(sink_mutex());
  sink() = std::move(s);
}

}  // namespace tb
