#include "venues/bitfinex/requests.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "venues/bitfinex/auth.hpp"
#include "venues/bitfinex/dates.hpp"
#include "venues/bitfinex/endpoints.hpp"
#include "venues/bitfinex/symbols.hpp"
#include "venues/common/json_util.hpp"
#include "venues/common/params.hpp"

namespace tb::venues::bitfinex {
namespace {

using ojson = nlohmann::ordered_json;

std::string venue_prefix() { return std::string(kVenueId) + ": "; }

std::optional<std::string_view> timeframe_key(Timeframe tf) {
  switch (tf) {
    case Timeframe::M1: return "1m";
    case Timeframe::M5: return "5m";
    case Timeframe::M15: return "15m";
    case Timeframe::M30: return "30m";
    case Timeframe::H1: return "1h";
    case Timeframe::D1: return "1D";
    case Timeframe::W1: return "1W";
    case Timeframe::H4: return std::nullopt;  // the venue documents 3h and 6h, not 4h
  }
  return std::nullopt;
}

// Digits that carry information: 30000 has 1, 30000.5 has 6, 0.00012345 has 5.
int significant_digits(const Decimal& d) {
  std::string s = d.abs().to_plain_string();
  std::string digits;
  for (char c : s)
    if (c >= '0' && c <= '9') digits += c;
  auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 0;
  auto last = digits.find_last_not_of('0');
  return static_cast<int>(last - first + 1);
}

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

}  // namespace

BaseUrls base_urls(const VenueConfig& config) {
  if (config.base_url) {
    auto u = trim_slash(*config.base_url);
    return {u, u};
  }
  return {std::string(kPublicBase), std::string(kAuthBase)};
}

net::HttpRequest public_get(const BaseUrls& urls, std::string_view path_and_query) {
  net::HttpRequest r;
  r.method = "GET";
  r.url = urls.pub + "/" + std::string(path_and_query);
  return r;
}

Result<net::HttpRequest> signed_post(const BaseUrls& urls, const crypto::Signer& signer, std::string_view path, std::string body,
                                     uint64_t nonce) {
  if (nonce > kMaxNonce)
    return Error::make(ErrorKind::InvalidNonce,
                       venue_prefix() + "nonce " + std::to_string(nonce) + " is above the venue's maximum 9007199254740991");
  auto headers = auth_headers(signer, path, nonce, body);
  if (headers.empty()) return invalid_argument(venue_prefix() + "the signer could not sign the request");
  net::HttpRequest r;
  r.method = "POST";
  r.url = urls.auth + "/" + std::string(path);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

Result<std::string> checked_symbol(std::string_view symbol) {
  if (!is_market_id(symbol))
    return invalid_argument(venue_prefix() + "parameter 'symbol' must be a trading pair id like tBTCUSD or tAAVE:USD, got '" +
                            std::string(symbol) + "'");
  return std::string(symbol);
}

Result<std::string> ticker_path(std::string_view symbol) {
  auto s = checked_symbol(symbol);
  if (!s) return s.error();
  return std::string(kTicker.path) + *s;
}

Result<std::string> candles_path(const CandleQuery& q) {
  auto s = checked_symbol(q.symbol);
  if (!s) return s.error();
  auto tf = timeframe_key(q.timeframe);
  if (!tf)
    return invalid_argument(venue_prefix() + "parameter 'timeframe': " + std::string(to_string(q.timeframe)) +
                            " is not offered (1m 5m 15m 30m 1h 1d 1w are)");
  std::string p = std::string(kCandles.path) + std::string(*tf) + ":" + *s + "/hist";
  std::string query;
  // Oldest first from `since`; without it the venue's default (newest first) gives the latest candles.
  if (q.since_ms) query = "sort=1&start=" + std::to_string(*q.since_ms);
  if (q.limit) query += (query.empty() ? "" : "&") + std::string("limit=") + std::to_string(*q.limit);
  if (!query.empty()) p += "?" + query;
  return p;
}

Result<std::string> open_orders_path(const std::optional<std::string>& symbol) {
  if (!symbol || symbol->empty()) return std::string(kOrders.path);
  auto s = checked_symbol(*symbol);
  if (!s) return s.error();
  return std::string(kOrders.path) + "/" + *s;
}

Result<int64_t> parse_order_id(std::string_view text) {
  int64_t v = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc{} || r.ptr != text.data() + text.size() || v <= 0)
    return invalid_argument(venue_prefix() + "parameter 'order_id' must be a positive whole number, got '" + std::string(text) + "'");
  return v;
}

Result<ClientOrderId> parse_client_order_id(std::string_view text, int64_t now_ms) {
  auto fail = [&] {
    return invalid_argument(
        venue_prefix() +
        "parameter 'client_order_id' must be a whole number from 1 to 35184372088831 (int45), optionally followed by @YYYY-MM-DD; got '" +
        std::string(text) + "'");
  };
  ClientOrderId out;
  std::string_view number = text;
  if (auto at = text.find('@'); at != std::string_view::npos) {
    number = text.substr(0, at);
    auto date = text.substr(at + 1);
    if (!day_start_ms(date)) return fail();
    out.date = std::string(date);
  } else {
    out.date = utc_date(now_ms);
  }
  if (number.empty() || number.size() > 14 || number.find_first_not_of("0123456789") != std::string_view::npos) return fail();
  auto r = std::from_chars(number.data(), number.data() + number.size(), out.cid);
  if (r.ec != std::errc{} || out.cid < 1 || out.cid > kMaxClientOrderId) return fail();
  return out;
}

Result<std::string> submit_body(const OrderRequest& req, int64_t now_ms) {
  auto symbol = checked_symbol(req.symbol);
  if (!symbol) return symbol.error();
  bool derivative = is_derivative(req.symbol);
  if (req.reduce_only && !derivative) return invalid_argument(venue_prefix() + "parameter 'reduce_only' applies to derivatives pairs only");
  if (!req.amount.is_positive()) return invalid_argument(venue_prefix() + "parameter 'amount' must be greater than zero");
  if (auto placeable = placeable_type(req); !placeable) return placeable.error();
  if (req.amount.normalized().scale() > 8) return invalid_argument(venue_prefix() + "parameter 'amount' has more than 8 decimals");
  if (req.type == OrderType::Limit) {
    if (!req.price || !req.price->is_positive())
      return invalid_argument(venue_prefix() + "missing parameter 'price' (required for limit orders)");
    if (significant_digits(*req.price) > 5)
      return invalid_argument(venue_prefix() + "parameter 'price' has more than 5 significant digits (" + req.price->to_plain_string() +
                              "); the venue would truncate it");
  }
  if (req.type == OrderType::Market && req.post_only)
    return invalid_argument(venue_prefix() + "parameter 'post_only' applies to limit orders only");
  std::optional<ClientOrderId> cid;
  if (!req.client_order_id.empty()) {
    auto c = parse_client_order_id(req.client_order_id, now_ms);
    if (!c) return c.error();
    cid = *c;
  }
  std::string type = derivative ? "" : "EXCHANGE ";
  type += req.type == OrderType::Limit ? "LIMIT" : "MARKET";
  std::string amount = req.amount.to_plain_string();
  if (req.side == Side::Sell) amount = "-" + amount;
  // Written directly rather than through a json object: this is the body of every order we send.
  std::string b;
  b.reserve(160);
  b += "{\"type\":";
  append_json_string(b, type);
  b += ",\"symbol\":";
  append_json_string(b, *symbol);
  b += ",\"amount\":";
  append_json_string(b, amount);
  if (req.type == OrderType::Limit) {
    b += ",\"price\":";
    append_json_string(b, req.price->to_plain_string());
  }
  int flags = (req.post_only ? kFlagPostOnly : 0) | (req.reduce_only ? kFlagReduceOnly : 0);
  if (flags) b += ",\"flags\":" + std::to_string(flags);
  if (cid) b += ",\"cid\":" + std::to_string(cid->cid);
  b += '}';
  return b;
}

Result<std::string> cancel_body(const OrderRef& ref, int64_t now_ms) {
  ojson b;
  if (!ref.order_id.empty()) {
    auto id = parse_order_id(ref.order_id);
    if (!id) return id.error();
    b["id"] = *id;
  } else {
    auto cid = parse_client_order_id(ref.client_order_id, now_ms);
    if (!cid) return cid.error();
    b["cid"] = cid->cid;
    b["cid_date"] = cid->date;
  }
  return b.dump();
}

std::string orders_by_id_body(int64_t id) {
  ojson b;
  b["id"] = ojson::array({id});
  return b.dump();
}

std::string orders_by_cid_body(const ClientOrderId& cid) {
  ojson b;
  b["cid"] = cid.cid;
  b["cid_date"] = cid.date;
  return b.dump();
}

std::string history_since_body(int64_t start_ms) {
  ojson b;
  b["start"] = start_ms;
  b["limit"] = kHistoryLimit;
  return b.dump();
}

}  // namespace tb::venues::bitfinex
