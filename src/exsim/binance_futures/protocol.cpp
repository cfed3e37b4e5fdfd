#include "exsim/binance_futures/protocol.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"

namespace tb::exsim::binance_futures {

VenueError invalid_key_ip_or_permission(std::string_view peer_ip) {
  // Real answers append the caller's address, which helps a user find the IP to whitelist.
  return {401, -2015, "Invalid API-key, IP, or permissions for action, request ip: " + std::string(peer_ip)};
}
VenueError api_key_format_invalid() { return {401, -2014, "API-key format invalid."}; }
VenueError signature_invalid() { return {400, -1022, "Signature for this request is not valid."}; }
VenueError timestamp_outside_window() { return {400, -1021, "Timestamp for this request is outside of the recvWindow."}; }
VenueError timestamp_ahead() { return {400, -1021, "Timestamp for this request was 1000ms ahead of the server's time."}; }
VenueError not_authorized() { return {401, -1002, "You are not authorized to execute this request."}; }
VenueError mandatory_param(std::string_view name) {
  return {400, -1102, "Mandatory parameter '" + std::string(name) + "' was not sent, was empty/null, or malformed."};
}
VenueError param_not_valid(std::string_view name) {
  return {400, -1130, "Data sent for parameter '" + std::string(name) + "' is not valid."};
}
VenueError invalid_symbol() { return {400, -1121, "Invalid symbol."}; }
VenueError too_many_requests(int64_t limit) {
  return {429, -1003,
          "Too many requests; current limit is " + std::to_string(limit) +
              " requests per minute. Please use the websocket for live updates to avoid polling the API."};
}
VenueError ip_banned(int64_t until_ms) {
  return {
      418, -1003,
      "Way too many requests; IP banned until " + std::to_string(until_ms) + ". Please use the websocket for live updates to avoid bans."};
}
VenueError too_many_orders(int64_t limit, std::string_view interval) {
  return {429, -1015, "Too many new orders; current limit is " + std::to_string(limit) + " orders per " + std::string(interval) + "."};
}
VenueError unknown_path(std::string_view method, std::string_view path) {
  return {404, -5000, "Path " + std::string(path) + ", Method " + std::string(method) + " is invalid"};
}

net::HttpResponse json_ok(std::string body) {
  net::HttpResponse r;
  r.status = 200;
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = std::move(body);
  return r;
}

net::HttpResponse error_response(const VenueError& e) {
  // The text can echo what the client sent (a path); bytes that are not UTF-8 are replaced, not thrown on.
  net::HttpResponse r =
      json_ok(nlohmann::json{{"code", e.code}, {"msg", e.msg}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  r.status = e.http;
  return r;
}

std::optional<Params> Params::parse(std::string_view query, std::string_view body) {
  auto q = net::form_decode(query);
  auto b = net::form_decode(body);
  if (!q || !b) return std::nullopt;
  Params p;
  p.query_ = std::move(*q);
  p.body_ = std::move(*b);
  return p;
}

const std::string* Params::get(std::string_view name) const {
  for (auto* part : {&query_, &body_})
    for (auto& [k, v] : *part)
      if (k == name) return &v;
  return nullptr;
}

namespace {

// Cuts "signature=..." out of one part of the request; the '&' before it goes too (or after it, when it
// comes first), so the rest is exactly what the client signed.
std::optional<std::string> cut_signature(std::string& part) {
  size_t pos = 0;
  while (pos <= part.size()) {
    size_t end = part.find('&', pos);
    if (end == std::string::npos) end = part.size();
    std::string_view field(part.data() + pos, end - pos);
    if (field.starts_with("signature=")) {
      std::string sig(field.substr(10));
      if (pos > 0) part.erase(pos - 1, end - pos + 1);
      else part.erase(0, end < part.size() ? end + 1 : end);
      return sig;
    }
    pos = end + 1;
  }
  return std::nullopt;
}

}  // namespace

std::optional<SignedPayload> signed_payload(std::string_view query, std::string_view body) {
  std::string q(query), b(body);
  auto sig = cut_signature(q);
  if (!sig) sig = cut_signature(b);
  if (!sig) return std::nullopt;
  return SignedPayload{std::move(*sig), q + b};
}

bool signature_matches(std::string_view secret, const SignedPayload& payload) {
  std::string expected = crypto::hex(crypto::hmac_sha256(secret, payload.total_params));
  std::string sent = payload.signature;
  for (auto& c : sent)
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  return sent.size() == expected.size() && crypto::constant_time_equal(sent, expected);
}

bool key_format_valid(std::string_view key) {
  if (key.size() != 64) return false;
  for (char c : key)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

std::optional<VenueError> check_timestamp(int64_t timestamp_ms, int64_t recv_window_ms, int64_t server_ms) {
  if (timestamp_ms >= server_ms + 1000) return timestamp_ahead();
  if (server_ms - timestamp_ms > recv_window_ms) return timestamp_outside_window();
  return std::nullopt;
}

std::optional<int64_t> parse_int(std::string_view s) {
  int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace tb::exsim::binance_futures
