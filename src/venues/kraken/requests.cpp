#include "venues/kraken/requests.hpp"

#include <cctype>

#include "venues/common/params.hpp"

namespace tb::venues::kraken {
namespace {

bool all_hex(std::string_view s) {
  for (unsigned char c : s)
    if (!std::isxdigit(c)) return false;
  return true;
}

bool long_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash_slot = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_slot ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace

bool valid_client_order_id(std::string_view id) {
  if (long_uuid(id)) return true;
  if (id.size() == 32 && all_hex(id)) return true;
  if (id.empty() || id.size() > 18) return false;
  for (unsigned char c : id)
    if (c < 0x21 || c > 0x7e) return false;  // printable ASCII, no spaces
  return true;
}

int interval_minutes(Timeframe tf) {
  switch (tf) {
    case Timeframe::M1: return 1;
    case Timeframe::M5: return 5;
    case Timeframe::M15: return 15;
    case Timeframe::M30: return 30;
    case Timeframe::H1: return 60;
    case Timeframe::H4: return 240;
    case Timeframe::D1: return 1440;
    case Timeframe::W1: return 10080;
  }
  return 1;
}

Result<Call> add_order_call(const OrderRequest& r) {
  if (r.symbol.empty()) return invalid_argument("missing parameter 'symbol'");
  if (!r.amount.is_positive()) return invalid_argument("parameter 'amount' must be greater than zero");
  if (auto placeable = placeable_type(r); !placeable) return placeable.error();
  if (r.type == OrderType::Limit && (!r.price || !r.price->is_positive()))
    return invalid_argument("missing parameter 'price' (required for limit orders)");
  if (r.post_only && r.type == OrderType::Market) return invalid_argument("parameter 'post_only' applies to limit orders only");
  if (!r.client_order_id.empty() && !valid_client_order_id(r.client_order_id))
    return invalid_argument(
        "parameter 'client_order_id' is not accepted by kraken: use a UUID, 32 hex digits, or at most 18 "
        "printable ASCII characters");
  // The order of the official signing example (ordertype, pair, price, type, volume), then the flags.
  Call c{endpoint::kAddOrder, {{"ordertype", std::string(to_string(r.type))}, {"pair", r.symbol}}};
  if (r.type == OrderType::Limit) c.params.emplace_back("price", r.price->to_string());
  c.params.emplace_back("type", std::string(to_string(r.side)));
  c.params.emplace_back("volume", r.amount.to_string());
  if (r.post_only) c.params.emplace_back("oflags", "post");
  if (r.reduce_only) c.params.emplace_back("reduce_only", "true");  // margin positions only on Kraken
  if (!r.client_order_id.empty()) c.params.emplace_back("cl_ord_id", r.client_order_id);
  return c;
}

Result<Call> cancel_order_call(const OrderRef& ref) {
  if (!ref.order_id.empty()) return Call{endpoint::kCancelOrder, {{"txid", ref.order_id}}};
  if (!ref.client_order_id.empty()) return Call{endpoint::kCancelOrder, {{"cl_ord_id", ref.client_order_id}}};
  return invalid_argument("missing parameter 'order_id' or 'client_order_id'");
}

Call query_order_call(const std::string& txid) { return {endpoint::kQueryOrders, {{"txid", txid}, {"trades", "true"}}}; }

Call open_orders_call(const std::string& client_order_id) {
  Call c{endpoint::kOpenOrders, {}};
  if (!client_order_id.empty()) c.params = {{"trades", "true"}, {"cl_ord_id", client_order_id}};
  return c;
}

Call closed_orders_call(const std::string& client_order_id) {
  return {endpoint::kClosedOrders, {{"trades", "true"}, {"cl_ord_id", client_order_id}}};
}

Result<Call> ticker_call(const std::string& symbol) {
  if (symbol.empty()) return invalid_argument("missing parameter 'symbol'");
  return Call{endpoint::kTicker, {{"pair", symbol}}};
}

Result<Call> ohlc_call(const CandleQuery& q) {
  if (q.symbol.empty()) return invalid_argument("missing parameter 'symbol'");
  int minutes = interval_minutes(q.timeframe);
  Call c{endpoint::kOhlc, {{"pair", q.symbol}, {"interval", std::to_string(minutes)}}};
  if (q.since_ms) {
    // Kraken's since is in seconds and exclusive; step one interval back (as ccxt does) and drop the
    // extra row after parsing, so the candle opening at `since` is included.
    int64_t since_s = *q.since_ms / 1000 - int64_t{minutes} * 60;
    c.params.emplace_back("since", std::to_string(since_s < 0 ? 0 : since_s));
  }
  return c;
}

}  // namespace tb::venues::kraken
