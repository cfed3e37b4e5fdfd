#include "venues/bitfinex/errors.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "venues/bitfinex/endpoints.hpp"
#include "venues/common/http_errors.hpp"
#include "venues/common/json_util.hpp"

namespace tb::venues::bitfinex {
namespace {

// Order matters: the first matching text wins. Insufficient-funds texts start with "Invalid order:",
// so they come before the generic "Invalid order"; "apikey: digest invalid" before "apikey: invalid".
constexpr TextRule kTextRules[] = {
    {"not enough exchange balance", ErrorKind::InsufficientFunds},
    {"not enough margin", ErrorKind::InsufficientFunds},
    {"available balance is only", ErrorKind::InsufficientFunds},
    {"Order not found", ErrorKind::OrderNotFound},
    {"apikey: digest invalid", ErrorKind::InvalidSignature},
    {"apikey: invalid", ErrorKind::InvalidKey},
    {"api_key: permission invalid", ErrorKind::PermissionDenied},
    {"permission", ErrorKind::PermissionDenied},
    {"nonce: small", ErrorKind::InvalidNonce},
    {"symbol: invalid", ErrorKind::InvalidArgument},
    {"minimum size", ErrorKind::InvalidOrder},
    {"Invalid order", ErrorKind::InvalidOrder},
    {"ratelimit", ErrorKind::RateLimited},
    {"maintenance", ErrorKind::ExchangeUnavailable},
};

constexpr CodeRule kCodeRules[] = {
    {10000, ErrorKind::ExchangeUnavailable},  // "unknown error": the venue's own failure
    {10001, ErrorKind::InvalidOrder},         // generic validation / business rule
    {10020, ErrorKind::InvalidOrder},         // request parameter error
    {10100, ErrorKind::InvalidKey},           // authentication failure
    {10114, ErrorKind::InvalidNonce},        {11010, ErrorKind::RateLimited}, {20060, ErrorKind::ExchangeUnavailable},  // maintenance
};

constexpr NamedRule kNamedRules[] = {
    {"ERR_RATE_LIMIT", ErrorKind::RateLimited},
    {"temporarily_unavailable", ErrorKind::ExchangeUnavailable},
};

bool icontains(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != haystack.end();
}

std::string plain_words(ErrorKind kind) {
  std::string v(kVenueId);
  switch (kind) {
    case ErrorKind::InvalidKey: return v + " rejected the API key";
    case ErrorKind::InvalidSignature: return v + " rejected the signature (wrong secret?)";
    case ErrorKind::PermissionDenied: return v + " says the API key lacks the permission for this call";
    case ErrorKind::InsufficientFunds: return v + " says the balance is too small for this order";
    case ErrorKind::InvalidOrder: return v + " refused the request's parameters";
    case ErrorKind::OrderNotFound: return v + " does not know this order";
    case ErrorKind::RateLimited: return v + " is limiting our requests";
    case ErrorKind::InvalidNonce: return v + " rejected the nonce (another client using this key with larger nonces?)";
    case ErrorKind::ExchangeUnavailable: return v + " is unavailable, try later";
    case ErrorKind::InvalidArgument: return v + " rejected an argument";
    default: return v + " answered an error";
  }
}

Error make_error(ErrorKind kind, std::string code, std::string text, int http_status) {
  Error e = Error::make(kind, plain_words(kind));
  e.venue_code = std::move(code);
  e.venue_message = std::move(text);
  e.http_status = http_status;
  // The venue blocks the IP for 60 s once a budget is exceeded.
  if (kind == ErrorKind::RateLimited) e.retry_after = std::chrono::milliseconds(kRateLimitBlockMs);
  return e;
}

}  // namespace

std::span<const TextRule> text_rules() { return kTextRules; }
std::span<const CodeRule> code_rules() { return kCodeRules; }
std::span<const NamedRule> named_rules() { return kNamedRules; }

std::optional<ErrorKind> classify(std::optional<int> code, std::string_view text) {
  if (!text.empty())
    for (auto& r : kTextRules)
      if (icontains(text, r.text)) return r.kind;
  if (code)
    for (auto& r : kCodeRules)
      if (r.code == *code) return r.kind;
  return std::nullopt;
}

std::optional<Error> error_from_body(const nlohmann::json& body, int http_status) {
  if (body.is_array() && !body.empty() && body[0].is_string() && body[0].get_ref<const std::string&>() == "error") {
    std::optional<int> code;
    if (body.size() > 1 && body[1].is_number_integer()) code = body[1].get<int>();
    std::string text = body.size() > 2 && body[2].is_string() ? body[2].get<std::string>() : std::string();
    std::string code_text = code ? std::to_string(*code) : std::string();
    if (auto kind = classify(code, text)) return make_error(*kind, code_text, text, http_status);
    // An error code the table does not know: the venue failed us somehow; say so with its words.
    return make_error(ErrorKind::ExchangeUnavailable, code_text, text, http_status);
  }
  if (body.is_object() && body.contains("error") && body["error"].is_string()) {
    const auto& name = body["error"].get_ref<const std::string&>();
    std::string text = name;
    if (auto d = body.find("error_description"); d != body.end() && d->is_string()) text += ": " + d->get<std::string>();
    for (auto& r : kNamedRules)
      if (r.error == name) return make_error(r.kind, name, text, http_status);
    if (auto kind = classify(std::nullopt, name)) return make_error(*kind, name, text, http_status);
    return make_error(ErrorKind::ExchangeUnavailable, name, text, http_status);
  }
  return std::nullopt;
}

std::optional<Error> error_from_response(const net::HttpResponse& response) {
  auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_discarded())
    if (auto e = error_from_body(body, response.status)) return e;
  if (response.status >= 200 && response.status < 300) return std::nullopt;
  return generic_http_error(response, kVenueId);
}

}  // namespace tb::venues::bitfinex
