#include "venues/binance_futures/ws_requests.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>
#include <vector>

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

}  // namespace tb::venues::binance_futures
