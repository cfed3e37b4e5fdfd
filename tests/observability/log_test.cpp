// --log-format json: one JSON object per line with ts, level, msg and fields; std::cerr's plain lines turned
// into such objects whole (a line written in pieces, several lines in one write), their level read from
// their words; core's failure log at level error; std::cerr as it was afterwards.
#include "observability/log.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <sstream>
#include <vector>

#include "core/failure_log.hpp"

namespace tb::observability {
namespace {

std::vector<nlohmann::json> lines_of(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << line;
    out.push_back(j);
  }
  return out;
}

TEST(Log, ParsesTheFormatNamingTheFlag) {
  EXPECT_EQ(*parse_log_format("json"), LogFormat::Json);
  EXPECT_EQ(*parse_log_format("text"), LogFormat::Text);
  auto bad = parse_log_format("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("--log-format takes text or json"), std::string::npos);
}

TEST(Log, AJsonLineHasTsLevelMsgAndFields) {
  std::string line = json_log_line(1'765'000'000'123, LogLevel::Warn, "a \"quoted\"\nmessage", {{"n", 3}});
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // one line, whatever the message holds
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["ts"], "2025-12-06T05:46:40.123Z");
  EXPECT_EQ(j["level"], "warn");
  EXPECT_EQ(j["msg"], "a \"quoted\"\nmessage");
  EXPECT_EQ(j["fields"]["n"], 3);
  EXPECT_TRUE(nlohmann::json::parse(json_log_line(0, LogLevel::Info, "x", nullptr))["fields"].is_object());
  // Bytes that are no UTF-8 are replaced, the line kept.
  EXPECT_TRUE(nlohmann::json::accept(json_log_line(0, LogLevel::Info, std::string("bad \xff byte"), {})));
}

TEST(Log, TheLevelOfAPlainLineComesFromItsWords) {
  EXPECT_EQ(level_of_text("tradebridge: warning: the master key file is inside"), LogLevel::Warn);
  EXPECT_EQ(level_of_text("tradebridge: purging expired sessions failed: x"), LogLevel::Error);
  EXPECT_EQ(level_of_text("tradebridge: 500 internal, request id ab12"), LogLevel::Error);
  EXPECT_EQ(level_of_text("tradebridge: refusing to serve plain HTTP"), LogLevel::Error);
  EXPECT_EQ(level_of_text("tradebridge: stopped"), LogLevel::Info);
}

TEST(Log, StderrLinesBecomeJsonObjectsWholeAndStderrIsRestoredAfter) {
  std::ostringstream captured;
  auto* before = std::cerr.rdbuf(captured.rdbuf());
  {
    JsonStderr json([] { return int64_t{0}; });
    std::cerr << "tradebridge: warning: " << 42 << " pieces";
    std::cerr << " of one line\nsecond line\n" << std::flush;
    log_failure("re-check", Error::make(ErrorKind::Internal, "store: locked"));
    json.log().write(LogLevel::Info, "serve started", {{"url", "http://127.0.0.1:1"}});
    std::cerr << "unterminated at the end";
  }
  std::cerr << "plain again\n";
  std::cerr.rdbuf(before);
  std::string text = captured.str();
  ASSERT_NE(text.find("plain again\n"), std::string::npos);
  auto lines = lines_of(text.substr(0, text.find("plain again\n")));
  ASSERT_EQ(lines.size(), 5u) << text;
  EXPECT_EQ(lines[0]["msg"], "warning: 42 pieces of one line");
  EXPECT_EQ(lines[0]["level"], "warn");
  EXPECT_EQ(lines[1]["msg"], "second line");
  EXPECT_EQ(lines[1]["level"], "info");
  EXPECT_EQ(lines[2]["level"], "error");
  EXPECT_EQ(lines[2]["msg"], "re-check: internal: store: locked");
  EXPECT_EQ(lines[3]["fields"]["url"], "http://127.0.0.1:1");
  EXPECT_EQ(lines[4]["msg"], "unterminated at the end");
  for (const auto& l : lines) {
    EXPECT_EQ(l["ts"], "1970-01-01T00:00:00.000Z");
    EXPECT_TRUE(l["fields"].is_object());
  }
}

}  // namespace
}  // namespace tb::observability
