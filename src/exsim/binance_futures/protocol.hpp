#pragma once
// The request side of Binance's protocol, pure and testable without the engine: parameters from the raw
// query and body, signature verification on the raw bytes (exchanges.md §2.3, §5.1), the timestamp window
// (§2.4), and the venue's error answers (§2.12).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http.hpp"

namespace tb::exsim::binance_futures {

// The venue's codes and texts (exchanges.md §2.12); "%s" parts are filled by the caller.
struct VenueError {
  int http;
  int code;
  std::string msg;
};

VenueError invalid_key_ip_or_permission(std::string_view peer_ip);        // 401 -2015
VenueError api_key_format_invalid();                                      // 401 -2014
VenueError signature_invalid();                                           // 400 -1022
VenueError timestamp_outside_window();                                    // 400 -1021
VenueError timestamp_ahead();                                             // 400 -1021
VenueError not_authorized();                                              // 401 -1002
VenueError mandatory_param(std::string_view name);                        // 400 -1102
VenueError param_not_valid(std::string_view name);                        // 400 -1130
VenueError invalid_symbol();                                              // 400 -1121
VenueError too_many_requests(int64_t limit);                              // 429 -1003
VenueError ip_banned(int64_t until_ms);                                   // 418 -1003
VenueError too_many_orders(int64_t limit, std::string_view interval);     // 429 -1015
VenueError unknown_path(std::string_view method, std::string_view path);  // 404 -5000

// A Binance error answer: the status and {"code":N,"msg":"..."}.
net::HttpResponse error_response(const VenueError& e);
net::HttpResponse json_ok(std::string body);

// Parameters of one request: the query's first, then the body's; a name in both takes the query's value.
class Params {
 public:
  // nullopt when either part is not valid form encoding.
  static std::optional<Params> parse(std::string_view query, std::string_view body);
  const std::string* get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name) != nullptr; }

 private:
  std::vector<std::pair<std::string, std::string>> query_, body_;
};

// The raw request split for verification: the signature sent and the exact bytes it must cover
// (query without '?' immediately followed by the body, the `signature` parameter cut from whichever
// carries it). nullopt when no signature parameter was sent.
struct SignedPayload {
  std::string signature;
  std::string total_params;
};
std::optional<SignedPayload> signed_payload(std::string_view query, std::string_view body);

// Lower-case hex HMAC-SHA256 of total_params under the secret, compared with the sent one ignoring case,
// in constant time.
bool signature_matches(std::string_view secret, const SignedPayload& payload);

// Binance keys and secrets are 64 letters and digits.
bool key_format_valid(std::string_view key);

// The timestamp rule of §2.4: nullopt when accepted.
std::optional<VenueError> check_timestamp(int64_t timestamp_ms, int64_t recv_window_ms, int64_t server_ms);

std::optional<int64_t> parse_int(std::string_view s);

}  // namespace tb::exsim::binance_futures
