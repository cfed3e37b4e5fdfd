#include "venues/kraken/errors.hpp"

#include <array>
#include <chrono>

#include "venues/common/http_errors.hpp"
#include "venues/common/json_util.hpp"
#include "venues/kraken/endpoints.hpp"

namespace tb::venues::kraken {
namespace {

using K = ErrorKind;
constexpr std::array kTable{
    // Authentication
    ErrorRow{"EAPI:Invalid key", Match::Exact, K::InvalidKey},
    ErrorRow{"ESession:Invalid session", Match::Exact, K::InvalidKey},
    ErrorRow{"EAPI:Invalid signature", Match::Exact, K::InvalidSignature},
    ErrorRow{"EAPI:Invalid nonce", Match::Exact, K::InvalidNonce},
    ErrorRow{"EGeneral:Permission denied", Match::Exact, K::PermissionDenied},
    ErrorRow{"ETrade:User Locked", Match::Exact, K::PermissionDenied},
    // Funds and orders
    ErrorRow{"EOrder:Insufficient funds", Match::Exact, K::InsufficientFunds},
    ErrorRow{"EFunding:Invalid amount", Match::Exact, K::InsufficientFunds},
    ErrorRow{"EOrder:Insufficient margin", Match::Exact, K::InsufficientFunds},
    ErrorRow{"EOrder:Margin level too low", Match::Exact, K::InsufficientFunds},
    ErrorRow{"EOrder:Cannot open position", Match::Exact, K::InvalidOrder},
    ErrorRow{"EOrder:Order minimum not met", Match::Exact, K::InvalidOrder},
    ErrorRow{"EOrder:Cost minimum not met", Match::Exact, K::InvalidOrder},
    ErrorRow{"EOrder:Invalid price", Match::Exact, K::InvalidOrder},
    ErrorRow{"EOrder:Orders limit exceeded", Match::Exact, K::InvalidOrder},
    ErrorRow{"EOrder:Unknown order", Match::Exact, K::OrderNotFound},
    ErrorRow{"EOrder:Invalid order", Match::Exact, K::OrderNotFound},        // malformed id: no such order
    ErrorRow{"EGeneral:Invalid arguments", Match::Prefix, K::InvalidOrder},  // also ":volume", ":price"...
    // The caller named something Kraken does not list.
    ErrorRow{"EQuery:Unknown asset pair", Match::Exact, K::InvalidArgument},
    ErrorRow{"EQuery:Invalid asset pair", Match::Exact, K::InvalidArgument},
    ErrorRow{"EQuery:Unknown asset", Match::Exact, K::InvalidArgument},
    ErrorRow{"EGeneral:Unknown method", Match::Exact, K::BadResponse},  // an endpoint this key/venue lacks
    // Throttling
    ErrorRow{"EAPI:Rate limit exceeded", Match::Exact, K::RateLimited},
    ErrorRow{"EOrder:Rate limit exceeded", Match::Exact, K::RateLimited},
    ErrorRow{"EGeneral:Too many requests", Match::Exact, K::RateLimited},
    ErrorRow{"EGeneral:Temporary lockout", Match::Exact, K::RateLimited},
    ErrorRow{"EService:Throttled", Match::Prefix, K::RateLimited},  // "EService: Throttled: <ts>"
    // Venue side
    ErrorRow{"EService:Unavailable", Match::Exact, K::ExchangeUnavailable},
    ErrorRow{"EService:Busy", Match::Exact, K::ExchangeUnavailable},
    ErrorRow{"EService:Market in cancel_only mode", Match::Exact, K::ExchangeUnavailable},
    ErrorRow{"EService:Market in post_only mode", Match::Exact, K::ExchangeUnavailable},
    ErrorRow{"EService:Deadline elapsed", Match::Exact, K::ExchangeUnavailable},
    ErrorRow{"EGeneral:Internal error", Match::Exact, K::ExchangeUnavailable},
    ErrorRow{"EDatabase:Internal error", Match::Exact, K::ExchangeUnavailable},
};

// A category's default when no row matches.
struct CategoryRow {
  std::string_view prefix;
  ErrorKind kind;
};
constexpr std::array kCategories{
    CategoryRow{"EAPI:", K::InvalidKey},          CategoryRow{"EOrder:", K::InvalidOrder},
    CategoryRow{"ETrade:", K::InvalidOrder},      CategoryRow{"EQuery:", K::InvalidArgument},
    CategoryRow{"EFunding:", K::InvalidArgument}, CategoryRow{"EService:", K::ExchangeUnavailable},
};

// "EService: Throttled: 1688..." -> "EService:Throttled:1688...": Kraken is not consistent with spaces.
std::string canonical(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    out += s[i];
    if (s[i] == ':')
      while (i + 1 < s.size() && s[i + 1] == ' ') ++i;
  }
  return out;
}

std::string_view plain_words(ErrorKind k) {
  switch (k) {
    case K::InvalidKey: return "kraken rejected the API key (unknown, revoked, or the secret does not match)";
    case K::InvalidSignature: return "kraken rejected the request signature (check the API secret)";
    case K::InvalidNonce: return "kraken rejected the nonce (another process may be using this key)";
    case K::PermissionDenied: return "the kraken API key lacks the permission for this call";
    case K::InsufficientFunds: return "not enough funds on kraken for this order";
    case K::InvalidOrder: return "kraken refused the order's parameters";
    case K::OrderNotFound: return "kraken does not know this order";
    case K::RateLimited: return "kraken is limiting our requests";
    case K::ExchangeUnavailable: return "kraken is unavailable or in maintenance; try later";
    case K::InvalidArgument: return "kraken does not know the market or asset asked for";
    default: return "kraken answered with an error";
  }
}

}  // namespace

std::span<const ErrorRow> error_table() { return kTable; }

Error error_from_string(std::string_view kraken_error, int http_status) {
  auto text = canonical(kraken_error);
  std::optional<ErrorKind> kind;
  for (auto& row : kTable) {
    bool hit = row.match == Match::Exact ? text == row.text : text.starts_with(row.text);
    if (hit) {
      kind = row.kind;
      break;
    }
  }
  if (!kind)
    for (auto& c : kCategories)
      if (text.starts_with(c.prefix)) {
        kind = c.kind;
        break;
      }
  Error e = Error::make(kind.value_or(K::BadResponse), std::string(plain_words(kind.value_or(K::BadResponse))));
  e.venue_code = std::string(kraken_error);
  auto colon = text.find(':');
  e.venue_message = colon == std::string::npos ? text : text.substr(colon + 1);
  e.http_status = http_status;
  if (text == "EGeneral:Temporary lockout") e.retry_after = std::chrono::milliseconds(kLockoutMs);
  return e;
}

namespace {

// First E-string of an {"error":[...]} array; W-strings are warnings and do not fail a call.
std::optional<std::string> first_error(const nlohmann::json& body) {
  if (!body.is_object()) return std::nullopt;
  auto it = body.find("error");
  if (it == body.end() || !it->is_array()) return std::nullopt;
  for (auto& e : *it)
    if (e.is_string() && !e.get_ref<const std::string&>().empty() && e.get_ref<const std::string&>()[0] == 'E') return e.get<std::string>();
  return std::nullopt;
}

// The OpenAPI spec's 401 shape: {"errors":[{"type":"Invalid key","errorClass":"API","severity":"E"}]}.
std::optional<std::string> spec_error(const nlohmann::json& body) {
  if (!body.is_object() || !body.contains("errors") || !body["errors"].is_array() || body["errors"].empty()) return std::nullopt;
  auto& e = body["errors"][0];
  if (!e.is_object() || !e.contains("type") || !e["type"].is_string()) return std::nullopt;
  std::string cls = e.contains("errorClass") && e["errorClass"].is_string() ? e["errorClass"].get<std::string>() : "API";
  return "E" + cls + ":" + e["type"].get<std::string>();
}

}  // namespace

Result<nlohmann::json> unwrap_response(const net::HttpResponse& r) {
  auto body = nlohmann::json::parse(r.body.begin(), r.body.end(), nullptr, /*allow_exceptions=*/false);
  if (r.status != 200) {
    // Kraken answers its API errors with 200; anything else did not reach the API properly (Cloudflare),
    // unless it still carries Kraken's own words.
    if (!body.is_discarded()) {
      if (auto e = first_error(body)) return error_from_string(*e, r.status);
      if (auto e = spec_error(body)) return error_from_string(*e, r.status);
    }
    Error e = generic_http_error(r, kVenueId);
    if (r.status == 404) {
      // The method is not there (an older API or a simulator without it): retrying will not help.
      e.kind = ErrorKind::BadResponse;
      e.message = "kraken has no such method (HTTP 404)";
    } else if (e.kind == ErrorKind::BadResponse) {
      e.kind = ErrorKind::ExchangeUnavailable;
      e.message = "kraken is unavailable (HTTP " + std::to_string(r.status) + ")";
    }
    return e;
  }
  if (body.is_discarded()) return bad_response("kraken answered something that is not JSON: " + snippet(r.body), r.status);
  if (auto e = first_error(body)) return error_from_string(*e, r.status);
  if (!body.is_object() || !body.contains("result")) return bad_response("kraken answered without a result: " + snippet(r.body), r.status);
  return body["result"];
}

}  // namespace tb::venues::kraken
