#include "venues/binance_futures/ws_requests.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "venues/binance_futures/auth.hpp"
#include "venues/binance_futures/endpoints.hpp"

namespace tb::venues::binance_futures {

namespace {

// Text that a signature payload carries as it is: the venue signs the values unescaped (`k=v&...`), so a
// value that would need escaping in a query is refused here rather than signed one way and read another.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 0x21; c < 0x7f; ++c) t[c] = c != '&' && c != '=' && c != '"' && c != '\\';
  return t;
}();
bool plain(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return kPlain[c]; });
}

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
    const size_t key_end = s.find('"', i + 1);  // the API's keys hold no escapes
    if (key_end == std::string_view::npos) return std::nullopt;
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

}  // namespace

std::optional<std::string_view> ws_method(const Endpoint& ep) {
  if (&ep == &kNewOrder) return "order.place";
  if (&ep == &kCancelOrder) return "order.cancel";
  return std::nullopt;
}

Result<std::string> ws_request(const Call& call, std::string_view method, const crypto::Signer& signer, int64_t timestamp_ms,
                               int64_t recv_window_ms, uint64_t id) {
  if (!plain(signer.api_key()))
    return Error::make(ErrorKind::InvalidArgument, "binance_futures: the API key is empty or contains spaces or control characters");
  // Names and values are read where they lie; only the two numbers are written out, into buffers here.
  std::vector<std::pair<std::string_view, std::string_view>> params;  // the numbers unquoted, as the API asks
  params.reserve(call.params.size() + 3);
  for (auto& [name, value] : call.params) {
    if (!plain(name) || !plain(value))
      return Error::make(ErrorKind::InvalidArgument,
                         "binance_futures: parameter '" + name + "' holds characters the WebSocket API cannot sign");
    params.emplace_back(name, value);
  }
  char window[24], stamp[24];
  auto digits = [](char(&buf)[24], int64_t v) { return std::string_view(buf, std::to_chars(buf, buf + sizeof buf, v).ptr - buf); };
  params.emplace_back("apiKey", signer.api_key());
  params.emplace_back("recvWindow", digits(window, recv_window_ms));
  params.emplace_back("timestamp", digits(stamp, timestamp_ms));
  std::sort(params.begin(), params.end());
  size_t size = 0;
  for (auto& [name, value] : params) size += name.size() + value.size() + 6;
  std::string payload;
  payload.reserve(size);
  for (auto& [name, value] : params) payload.append(payload.empty() ? "" : "&").append(name).append("=").append(value);
  std::string sig = signature(signer, payload);
  if (sig.empty()) return Error::make(ErrorKind::InvalidArgument, "binance_futures: the secret cannot be used to sign");
  std::string out;
  out.reserve(size + sig.size() + method.size() + 64);
  out.append("{\"id\":").append(std::to_string(id)).append(",\"method\":\"").append(method).append("\",\"params\":{");
  for (auto& [name, value] : params) {
    const bool number = name == "recvWindow" || name == "timestamp";
    out.append("\"").append(name).append(number ? "\":" : "\":\"").append(value).append(number ? "," : "\",");
  }
  out.append("\"signature\":\"").append(sig).append("\"}}");
  return out;
}

Result<net::HttpResponse> ws_answer_as_response(std::string_view answer) {
  if (auto fields = members(answer)) {
    std::optional<std::string_view> status, result, error;
    for (auto& [key, value] : *fields) {
      if (key == "status") status = value;
      else if (key == "result") result = value;
      else if (key == "error") error = value;
    }
    int code = 0;
    if (status && std::from_chars(status->data(), status->data() + status->size(), code).ec == std::errc{}) {
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
