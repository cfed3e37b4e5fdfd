#include "venues/binance_futures/errors.hpp"

#include <charconv>

#include "venues/binance_futures/endpoints.hpp"
#include "venues/common/http_errors.hpp"
#include "venues/common/json_util.hpp"

namespace tb::venues::binance_futures {
namespace {

using K = ErrorKind;

// Every code of exchanges.md §2.4, §2.5 and §2.12.
constexpr CodeRow kCodes[] = {
    {-2015, K::InvalidKey, "API key rejected: invalid key, IP not whitelisted, or the key lacks the permission (futures) for this call"},
    {-2014, K::InvalidKey, "API key format invalid"},
    {-1022, K::InvalidSignature, "signature rejected (wrong secret?)"},
    {-1021, K::InvalidNonce, "timestamp outside the recvWindow (clock out of sync)"},
    {-5028, K::InvalidNonce, "timestamp outside the matching engine's recvWindow"},
    {-1002, K::PermissionDenied, "not authorized to execute this request"},
    {-1003, K::RateLimited, "too many requests (rate limit or IP ban)"},
    {-1015, K::RateLimited, "too many new orders"},
    {-1121, K::InvalidArgument, "invalid symbol"},
    {-1102, K::InvalidArgument, "a mandatory parameter was missing or malformed"},
    {-1125, K::InvalidArgument, "listenKey does not exist"},
    {-2019, K::InsufficientFunds, "margin is insufficient"},
    {-2018, K::InsufficientFunds, "balance is insufficient"},
    {-2011, K::OrderNotFound, "unknown order (or already final)"},
    {-2013, K::OrderNotFound, "order does not exist"},
    {-2021, K::InvalidOrder, "order would immediately trigger"},
    {-2022, K::InvalidOrder, "reduce-only order rejected"},
    {-5022, K::InvalidOrder, "post-only order would have taken liquidity"},
    {-5021, K::InvalidOrder, "FOK order could not be filled at once"},
    {-4164, K::InvalidOrder, "order notional below the market's minimum"},
    {-4014, K::InvalidOrder, "price is not a multiple of the tick size"},
    {-4023, K::InvalidOrder, "quantity is not a multiple of the step size"},
    {-4004, K::InvalidOrder, "quantity below the minimum"},
    {-4005, K::InvalidOrder, "quantity above the maximum"},
    {-4013, K::InvalidOrder, "price below the minimum"},
    {-4002, K::InvalidOrder, "price above the maximum"},
    {-1111, K::InvalidOrder, "too many decimals for this market"},
    {-4015, K::InvalidOrder, "client order id is not valid"},
    {-4116, K::InvalidOrder, "client order id is already used by an open order"},
    {-4061, K::InvalidOrder, "position side does not match the account's position mode"},
    {-4046, K::InvalidArgument, "the margin type is already the one asked for"},
    {-4028, K::InvalidArgument, "leverage is not valid"},
    {-2025, K::InvalidOrder, "maximum number of open orders reached"},
    {-1001, K::ExchangeUnavailable, "internal error at the venue; the request failed"},
    {-1008, K::ExchangeUnavailable, "the venue is overloaded; the request failed"},
};

// Message rows win over code rows: the 503 texts decide whether an order may exist.
constexpr MessageRow kMessages[] = {
    {"Unknown error, please check your request or try again later", K::ExchangeUnavailable, true,
     "the venue does not know whether the request was executed"},
    {"status unknown", K::ExchangeUnavailable, true, "the venue timed out; execution status unknown"},
    {"Service Unavailable", K::ExchangeUnavailable, false, "the venue is unavailable; the request failed"},
    {"Internal error; unable to process your request", K::ExchangeUnavailable, false, "internal error at the venue; the request failed"},
    {"LOT_SIZE", K::InvalidOrder, false, "quantity violates the LOT_SIZE filter"},
    {"PRICE_FILTER", K::InvalidOrder, false, "price violates the PRICE_FILTER filter"},
};

const MessageRow* find_message(std::string_view msg) {
  for (auto& row : kMessages)
    if (msg.find(row.contains) != std::string_view::npos) return &row;
  return nullptr;
}

const CodeRow* find_code(int code) {
  for (auto& row : kCodes)
    if (row.code == code) return &row;
  return nullptr;
}

}  // namespace

std::span<const CodeRow> code_table() { return kCodes; }
std::span<const MessageRow> message_table() { return kMessages; }

Error map_error_code(int code, std::string_view msg, int http_status) {
  Error e;
  e.http_status = http_status;
  e.venue_code = std::to_string(code);
  e.venue_message = std::string(msg);
  std::string prefix = std::string(kVenueId) + ": ";
  if (auto* row = find_message(msg)) {
    e.kind = row->kind;
    e.outcome_unknown = row->outcome_unknown;
    e.message = prefix + std::string(row->meaning);
  } else if (auto* row = find_code(code)) {
    e.kind = row->kind;
    e.message = prefix + std::string(row->meaning);
  } else if (http_status == 429 || http_status == 418) {
    e.kind = K::RateLimited;
    e.message = prefix + "too many requests";
  } else if (http_status >= 500) {
    e.kind = K::ExchangeUnavailable;
    e.message = prefix + "the venue failed (HTTP " + std::to_string(http_status) + ")";
  } else {
    e.kind = K::BadResponse;
    e.message = prefix + "unexpected error code " + std::to_string(code);
  }
  return e;
}

bool is_documented_failure(const Error& e) {
  if (e.outcome_unknown) return false;
  if (e.venue_code == "-1001" || e.venue_code == "-1008") return true;
  auto* row = find_message(e.venue_message);
  return row && !row->outcome_unknown && row->kind == K::ExchangeUnavailable;
}

Error map_error(const net::HttpResponse& r) {
  auto body = json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  auto code = body.is_object() ? body.find("code") : body.end();
  if (!body.is_discarded() && body.is_object() && code != body.end() && code->is_number_integer()) {
    auto msg_it = body.find("msg");
    std::string msg = msg_it != body.end() && msg_it->is_string() ? msg_it->get<std::string>() : std::string();
    Error e = map_error_code(code->get<int>(), msg, r.status);
    if (e.kind == K::RateLimited) e.retry_after = retry_after(r);
    return e;
  }
  Error e = generic_http_error(r, kVenueId);
  // A 503 page without JSON can still carry the documented plain-text messages.
  if (auto* row = find_message(r.body); row && r.status >= 500) {
    e.kind = row->kind;
    e.outcome_unknown = row->outcome_unknown;
  }
  return e;
}

void read_ban_end(Error& e, int64_t now_ms) {
  if (e.kind != ErrorKind::RateLimited || e.retry_after) return;
  auto at = e.venue_message.find("banned until ");
  if (at == std::string::npos) return;
  const char* begin = e.venue_message.data() + at + 13;
  int64_t until = 0;
  auto res = std::from_chars(begin, e.venue_message.data() + e.venue_message.size(), until);
  if (res.ec == std::errc{} && until > now_ms) e.retry_after = std::chrono::milliseconds(until - now_ms);
}

}  // namespace tb::venues::binance_futures
