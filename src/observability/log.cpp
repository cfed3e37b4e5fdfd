#include "observability/log.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <iostream>

#include "core/failure_log.hpp"

namespace tb::observability {

namespace {

std::string iso_ms(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 96> buf{};  // room for any int the compiler imagines
  std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf.data();
}

bool contains_word(std::string_view lower, std::string_view word) { return lower.find(word) != std::string_view::npos; }

}  // namespace

Result<LogFormat> parse_log_format(std::string_view text) {
  if (text == "text") return LogFormat::Text;
  if (text == "json") return LogFormat::Json;
  return Error::make(ErrorKind::InvalidArgument, "--log-format takes text or json, got '" + std::string(text) + "'");
}

std::string_view to_string(LogLevel level) {
  switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warn: return "warn";
    case LogLevel::Error: return "error";
  }
  return "info";
}

LogLevel level_of_text(std::string_view line) {
  std::string lower(line);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (contains_word(lower, "warning")) return LogLevel::Warn;
  for (std::string_view w : {"failed", "error", "cannot", "refusing", "500 internal"})
    if (contains_word(lower, w)) return LogLevel::Error;
  return LogLevel::Info;
}

std::string json_log_line(int64_t ts_ms, LogLevel level, std::string_view msg, const nlohmann::json& fields) {
  nlohmann::ordered_json line = {
      {"ts", iso_ms(ts_ms)}, {"level", to_string(level)}, {"msg", msg}, {"fields", fields.is_object() ? fields : nlohmann::json::object()}};
  // Invalid UTF-8 (a venue's bytes in a message) is replaced, never a throw that loses the line.
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

JsonLog::JsonLog(std::streambuf* out, std::function<int64_t()> now_ms) : out_(out), now_ms_(std::move(now_ms)) {}

void JsonLog::write(LogLevel level, std::string_view msg, const nlohmann::json& fields) {
  std::string line = json_log_line(now_ms_(), level, msg, fields);
  std::lock_guard lock(mu_);
  out_->sputn(line.data(), static_cast<std::streamsize>(line.size()));
  out_->pubsync();
}

void JsonLog::write_text(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  if (line.empty()) return;
  constexpr std::string_view kPrefix = "tradebridge: ";
  std::string_view msg = line.substr(0, kPrefix.size()) == kPrefix ? line.substr(kPrefix.size()) : line;
  write(level_of_text(line), msg);
}

JsonLineBuf::~JsonLineBuf() {
  if (!pending_.empty()) log_.write_text(pending_);
}

void JsonLineBuf::take(std::string_view text) {
  std::lock_guard lock(mu_);
  for (;;) {
    auto nl = text.find('\n');
    if (nl == std::string_view::npos) break;
    pending_.append(text.substr(0, nl));
    log_.write_text(pending_);
    pending_.clear();
    text.remove_prefix(nl + 1);
  }
  pending_.append(text);
}

JsonLineBuf::int_type JsonLineBuf::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  char ch = traits_type::to_char_type(c);
  take(std::string_view(&ch, 1));
  return c;
}

std::streamsize JsonLineBuf::xsputn(const char* s, std::streamsize n) {
  take(std::string_view(s, static_cast<size_t>(n)));
  return n;
}

int JsonLineBuf::sync() { return 0; }  // a line goes out when it ends, never in pieces

JsonStderr::JsonStderr(std::function<int64_t()> now_ms)
    : original_(std::cerr.rdbuf()),
      log_(std::make_unique<JsonLog>(original_, std::move(now_ms))),
      buf_(std::make_unique<JsonLineBuf>(*log_)) {
  std::cerr.rdbuf(buf_.get());
  JsonLog* log = log_.get();
  // Core's failure log: "tradebridge: <where>: <kind>: <message>\n", always an error.
  set_failure_sink([log](std::string_view line) {
    constexpr std::string_view kPrefix = "tradebridge: ";
    if (line.substr(0, kPrefix.size()) == kPrefix) line.remove_prefix(kPrefix.size());
    while (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    log->write(LogLevel::Error, line, {{"source", "failure_log"}});
  });
}

JsonStderr::~JsonStderr() {
  set_failure_sink({});
  std::cerr.rdbuf(original_);
}

}  // namespace tb::observability
