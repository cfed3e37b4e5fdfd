#include "venues/binance_futures/ws_answers.hpp"

#include <charconv>
#include <cstring>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace tb::venues::binance_futures {

namespace {

// Where the JSON string opening at s[open] ends (its closing quote), npos when it does not. A quote is the
// string's own when an odd run of backslashes stands before it; the quotes are found with memchr, since the
// venue's answers are mostly strings.
size_t string_end(std::string_view s, size_t open) {
  for (size_t from = open + 1;;) {
    const void* q = std::memchr(s.data() + from, '"', s.size() - from);
    if (!q) return std::string_view::npos;
    const size_t quote = static_cast<size_t>(static_cast<const char*>(q) - s.data());
    size_t run = quote;
    while (run > open + 1 && s[run - 1] == '\\') --run;
    if ((quote - run) % 2 == 0) return quote;
    from = quote + 1;
  }
}

// Where the JSON value starting at s[i] ends (one past it), skipping strings; npos when it does not end.
size_t value_end(std::string_view s, size_t i) {
  int depth = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') {
      i = string_end(s, i);
      if (i == std::string_view::npos) return i;
      if (depth == 0) return i + 1;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
      if (depth < 0) return i;  // a scalar ended by its object's close
    } else if (depth == 0 && c == ',') {
      return i;
    }
  }
  return std::string_view::npos;
}

// The raw text of each top-level member of a JSON object, read in place: the answer's result is handed on
// as it came instead of parsed and written again. nullopt for what this does not read (the caller then
// parses the document).
std::optional<std::vector<std::pair<std::string_view, std::string_view>>> members(std::string_view s) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  size_t i = s.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || s[i] != '{') return std::nullopt;
  ++i;
  for (;;) {
    i = s.find_first_not_of(" \t\r\n,", i);
    if (i == std::string_view::npos) return std::nullopt;
    if (s[i] == '}') return out;
    if (s[i] != '"') return std::nullopt;
    const size_t key_end = s.find('"', i + 1);
    if (key_end == std::string_view::npos) return std::nullopt;
    // The API's keys hold no escapes; one that does ("\u0073tatus") is read by the document, which decodes it.
    if (s.substr(i + 1, key_end - i - 1).find('\\') != std::string_view::npos) return std::nullopt;
    const size_t colon = s.find_first_not_of(" \t\r\n", key_end + 1);
    if (colon == std::string_view::npos || s[colon] != ':') return std::nullopt;
    const size_t start = s.find_first_not_of(" \t\r\n", colon + 1);
    if (start == std::string_view::npos) return std::nullopt;
    const size_t end = value_end(s, start);
    if (end == std::string_view::npos) return std::nullopt;
    out.emplace_back(s.substr(i + 1, key_end - i - 1), s.substr(start, end - start));
    i = end;
  }
}

// The status when all of its text is an integer, as the document would read it ("200.0" and "2e2" are not).
bool whole_int(std::string_view text, int& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

}  // namespace

Result<net::HttpResponse> ws_answer_as_response(std::string_view answer) {
  if (auto fields = members(answer)) {
    std::optional<std::string_view> status, result, error;
    for (auto& [key, value] : *fields) {
      if (key == "status") status = value;
      else if (key == "result") result = value;
      else if (key == "error") error = value;
    }
    int code = 0;
    if (status && whole_int(*status, code)) {
      auto body = code == 200 ? result : error;
      if (body && (body->starts_with("{") || body->starts_with("["))) return net::HttpResponse{code, {}, std::string(*body)};
    }
  }
  auto j = nlohmann::json::parse(answer, nullptr, false);
  auto bad = [&] {
    return Error::make(ErrorKind::BadResponse, "binance_futures: not a WebSocket API answer: " + std::string(answer.substr(0, 200)));
  };
  if (!j.is_object()) return bad();
  auto status = j.find("status");
  if (status == j.end() || !status->is_number_integer()) return bad();
  net::HttpResponse r;
  r.status = status->get<int>();
  auto body = j.find(r.status == 200 ? "result" : "error");
  if (body == j.end()) return bad();
  r.body = body->dump();
  return r;
}

}  // namespace tb::venues::binance_futures
