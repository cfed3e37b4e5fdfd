// The API's JSON body reader (src/web/json_body.cpp, JsonBody::parse and its accessors). The input is the
// Content-Type value, a newline, then the body. The body is read as a handler does: the fields of the
// sign-in and key forms through their accessors, then finish(). Properties:
// - nothing throws; an accepted body is an object nested at most max_depth deep, and its serialisation
//   is accepted again as the same value;
// - what an accessor returns keeps its promise (a string is valid UTF-8, within its code-point limit and
//   free of control characters; an integer is within its bounds);
// - finish() is clean exactly when no accessor failed and every field was read;
// - no error message or field repeats more than 32 consecutive bytes of the request without a space
//   (accounts::kMaxEchoChars: a pasted secret is never repeated), and wipe() leaves no string behind.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "net/utf8.hpp"
#include "web/json_body.hpp"

using tb::web::ApiError;
using tb::web::JsonBody;
using tb::web::JsonBodyLimits;

namespace {

constexpr size_t kEcho = 32;  // accounts::kMaxEchoChars

size_t depth(const nlohmann::json& j) {
  if (!j.is_structured()) return 0;
  size_t d = 0;
  for (const auto& v : j) d = std::max(d, depth(v));
  return d + 1;
}

// Whether `text` holds a run of more than kEcho bytes copied from the request, without a space (the shape
// of a key or a secret; the messages' own words have spaces, and the fuzzer may copy them into a request).
bool echoes(std::string_view text, std::string_view request) {
  for (size_t i = 0; i + kEcho < text.size(); ++i) {
    auto run = text.substr(i, kEcho + 1);
    if (run.find(' ') == std::string_view::npos && request.find(run) != std::string_view::npos) return true;
  }
  return false;
}

void check_error(const ApiError& e, std::string_view request) {
  FUZZ_CHECK(e.status == 400 || e.status == 413 || e.status == 415, "status %d", e.status);
  FUZZ_CHECK(!echoes(e.message, request) && !echoes(e.field, request), "echoed: %s (field %s)", e.message.c_str(), e.field.c_str());
}

void check_string(const std::string& s, size_t max_chars) {
  size_t i = 0, chars = 0;
  uint32_t cp = 0;
  while (i < s.size()) {
    FUZZ_CHECK(tb::net::next_code_point(s, i, cp), "invalid UTF-8 returned");
    FUZZ_CHECK(!tb::net::is_control(cp), "control character U+%04X returned", cp);
    ++chars;
  }
  FUZZ_CHECK(chars <= max_chars, "%zu code points > %zu", chars, max_chars);
}

bool all_strings_empty(const nlohmann::json& j) {
  if (j.is_string()) return j.get_ref<const std::string&>().empty();
  if (j.is_structured())
    for (const auto& v : j)
      if (!all_strings_empty(v)) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto nl = in.find('\n');
  if (nl == std::string_view::npos) return -1;  // not a useful input
  std::string content_type(in.substr(0, nl));
  std::string_view body = in.substr(nl + 1);
  JsonBodyLimits limits;
  limits.max_bytes = 8192;  // small enough for the fuzzer to reach 413

  auto parsed = JsonBody::parse(&content_type, body, limits);
  if (!parsed) {
    check_error(parsed.error(), in);
    return 0;
  }
  JsonBody& b = *parsed;
  FUZZ_CHECK(b.json().is_object(), "accepted a body that is not an object");
  FUZZ_CHECK(depth(b.json()) <= static_cast<size_t>(limits.max_depth), "nested %zu deep", depth(b.json()));

  std::string again_type = "application/json";
  std::string dumped = b.json().dump();
  auto again = JsonBody::parse(&again_type, dumped, JsonBodyLimits{std::numeric_limits<size_t>::max(), limits.max_depth});
  FUZZ_CHECK(again && again->json() == b.json(), "re-serialised body not accepted as the same value: %s", dumped.substr(0, 200).c_str());

  // The fields of the sign-in and key forms, as their handlers read them.
  static const std::string_view kKnown[] = {"email", "password", "name", "key", "secret", "limit", "remember", "filters"};
  check_string(b.required_string("email", 254), 254);
  check_string(b.required_string("password", 1024), 1024);
  if (auto name = b.optional_string("name", 64)) check_string(*name, 64);
  check_string(b.required_string("key", 256), 256);
  check_string(b.required_string("secret", 256), 256);
  if (auto limit = b.optional_int("limit", 1, 1000))
    FUZZ_CHECK(*limit >= 1 && *limit <= 1000, "limit %lld", static_cast<long long>(*limit));
  (void)b.optional_bool("remember");
  (void)b.optional_value("filters");

  bool unknown = false;
  for (auto it = b.json().begin(); it != b.json().end(); ++it)
    unknown = unknown || std::find(std::begin(kKnown), std::end(kKnown), it.key()) == std::end(kKnown);
  auto finished = b.finish();
  FUZZ_CHECK(finished.has_value() == (b.has_error() || unknown), "finish() %s, accessor error %d, unknown field %d",
             finished ? finished->message.c_str() : "clean", b.has_error(), unknown);
  if (finished) check_error(*finished, in);

  b.wipe();
  FUZZ_CHECK(all_strings_empty(b.json()), "a string survived wipe()");
  return 0;
}
