#pragma once
// serve's log: the text lines it has always written on stderr, or with --log-format json one JSON object per
// line — {"ts":"2026-12-06T03:04:05.678Z","level":"info","msg":"...","fields":{...}} — for a log collector.
//
// Most of the process writes plain lines to std::cerr (warnings, core's failure log, a 500's request id, the
// simulator). In JSON mode JsonStderr puts a line-assembling buffer under std::cerr for its lifetime, so each
// such line becomes one JSON object (its level read from its words, "tradebridge: " taken off), and core's
// failure log writes at level error. Nothing here adds content to a line: what
// never carried a secret in text does not in JSON either.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <streambuf>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace tb::observability {

enum class LogFormat { Text, Json };
Result<LogFormat> parse_log_format(std::string_view text);  // "text" | "json"; errors name --log-format

enum class LogLevel { Debug, Info, Warn, Error };
std::string_view to_string(LogLevel level);

// The level a plain text line reads as: "warning" → warn; "failed", "error", "cannot", "refusing", "500 internal" → error;
// else info.
LogLevel level_of_text(std::string_view line);

// One JSON line, '\n' included. `ts_ms` as ISO-8601 UTC with milliseconds; fields an object (null: {}).
std::string json_log_line(int64_t ts_ms, LogLevel level, std::string_view msg, const nlohmann::json& fields);

// Writes JSON lines to one stream buffer, whole lines at a time, from any thread.
class JsonLog {
 public:
  JsonLog(std::streambuf* out, std::function<int64_t()> now_ms);
  void write(LogLevel level, std::string_view msg, const nlohmann::json& fields = nlohmann::json::object());
  // A plain text line (without its '\n'): its level from its words, "tradebridge: " taken off.
  void write_text(std::string_view line);

 private:
  std::mutex mu_;
  std::streambuf* out_;
  std::function<int64_t()> now_ms_;
};

// A stream buffer that hands each completed line written to it to a JsonLog.
class JsonLineBuf : public std::streambuf {
 public:
  explicit JsonLineBuf(JsonLog& log) : log_(log) {}
  ~JsonLineBuf() override;

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void take(std::string_view text);
  std::mutex mu_;
  JsonLog& log_;
  std::string pending_;  // the line being written
};

// For its lifetime: std::cerr and core's failure log write JSON lines to what std::cerr wrote to before.
class JsonStderr {
 public:
  explicit JsonStderr(std::function<int64_t()> now_ms);
  ~JsonStderr();
  JsonStderr(const JsonStderr&) = delete;
  JsonStderr& operator=(const JsonStderr&) = delete;
  JsonLog& log() { return *log_; }
  std::streambuf* lines() { return buf_.get(); }  // for an ostream of one's own (serve's `err`)

 private:
  std::streambuf* original_;
  std::unique_ptr<JsonLog> log_;
  std::unique_ptr<JsonLineBuf> buf_;
};

}  // namespace tb::observability
