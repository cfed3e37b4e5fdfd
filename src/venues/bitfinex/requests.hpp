#pragma once
// Building Bitfinex requests, pure: base URLs, paths and JSON bodies from typed inputs, validated before
// anything is sent. Shared by the connector and prepare() (--dry-run), so both send the same bytes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/core.hpp"
#include "crypto/signer.hpp"
#include "net/http.hpp"
#include "venues/venue.hpp"

namespace tb::venues::bitfinex {

struct BaseUrls {
  std::string pub;   // market data
  std::string auth;  // authenticated endpoints
};
// VenueConfig::base_url, when set, replaces both.
BaseUrls base_urls(const VenueConfig& config);

net::HttpRequest public_get(const BaseUrls& urls, std::string_view path_and_query);
// POST urls.auth/path with the signed headers; path has no leading slash. Fails if the nonce is above the
// venue's maximum or the signer cannot sign.
Result<net::HttpRequest> signed_post(const BaseUrls& urls, const crypto::Signer& signer, std::string_view path, std::string body,
                                     uint64_t nonce);

Result<std::string> checked_symbol(std::string_view symbol);  // InvalidArgument naming 'symbol'
Result<std::string> ticker_path(std::string_view symbol);
Result<std::string> candles_path(const CandleQuery& query);
Result<std::string> open_orders_path(const std::optional<std::string>& symbol);

// A client order id: the venue's cid (a positive int45) and the UTC day it belongs to. Text is "12345",
// or "12345@2024-01-31" to name another day than today's.
struct ClientOrderId {
  int64_t cid = 0;
  std::string date;  // YYYY-MM-DD
};
Result<ClientOrderId> parse_client_order_id(std::string_view text, int64_t now_ms);
Result<int64_t> parse_order_id(std::string_view text);

// {"type":..,"symbol":..,"amount":..,"price":..,"flags":..,"cid":..}, amount negative for a sell.
Result<std::string> submit_body(const OrderRequest& request, int64_t now_ms);
// {"id":N} or {"cid":N,"cid_date":"YYYY-MM-DD"}
Result<std::string> cancel_body(const OrderRef& ref, int64_t now_ms);
std::string orders_by_id_body(int64_t id);                 // {"id":[N]}
std::string orders_by_cid_body(const ClientOrderId& cid);  // {"cid":N,"cid_date":"..."}
std::string history_since_body(int64_t start_ms);          // {"start":MS,"limit":2500}

}  // namespace tb::venues::bitfinex
