#include "venues/common/params.hpp"

#include <charconv>

namespace tb::venues {
namespace {

// The parameter's value in place, or nullptr: order building runs for every order, so no copies here.
const std::string* find_param(const ActionParams& p, std::string_view name) {
  auto it = p.find(name);
  return it == p.end() ? nullptr : &it->second;
}

Result<bool> parse_bool(const ActionParams& p, const std::string& name) {
  const std::string* v = find_param(p, name);
  if (!v || *v == "false" || *v == "0") return false;
  if (*v == "true" || *v == "1" || v->empty()) return true;
  return invalid_argument("parameter '" + name + "' must be true or false, got '" + *v + "'");
}

Result<int64_t> parse_int(const std::string& name, const std::string& v) {
  int64_t out = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), out);
  if (r.ec != std::errc{} || r.ptr != v.data() + v.size())
    return invalid_argument("parameter '" + name + "' must be a whole number, got '" + v + "'");
  return out;
}

Result<Decimal> parse_positive_decimal(const std::string& name, const std::string& v) {
  auto d = Decimal::parse(v);
  if (!d) return invalid_argument("parameter '" + name + "' must be a decimal number, got '" + v + "'");
  if (!d->is_positive()) return invalid_argument("parameter '" + name + "' must be greater than zero, got '" + v + "'");
  return *d;
}

}  // namespace

Error invalid_argument(const std::string& message) { return Error::make(ErrorKind::InvalidArgument, message); }

std::optional<std::string> optional_param(const ActionParams& p, const std::string& name) {
  const std::string* v = find_param(p, name);
  if (!v) return std::nullopt;
  return *v;
}

Result<std::string> required_param(const ActionParams& p, const std::string& name) {
  const std::string* v = find_param(p, name);
  if (!v || v->empty()) return invalid_argument("missing parameter '" + name + "'");
  return *v;
}

Status placeable_type(const OrderRequest& r) {
  if (r.type == OrderType::Limit || r.type == OrderType::Market) return ok_status();
  return invalid_argument("parameter 'type' must be limit or market, got '" + std::string(to_string(r.type)) + "'");
}

Result<OrderRequest> parse_order_request(const ActionParams& p) {
  OrderRequest r;
  const std::string* symbol = find_param(p, "symbol");
  if (!symbol || symbol->empty()) return invalid_argument("missing parameter 'symbol'");
  r.symbol = *symbol;
  const std::string* side_text = find_param(p, "side");
  if (!side_text || side_text->empty()) return invalid_argument("missing parameter 'side'");
  auto side = parse_side(*side_text);
  if (!side) return invalid_argument("parameter 'side' must be buy or sell, got '" + *side_text + "'");
  r.side = *side;
  const std::string* type_text = find_param(p, "type");
  auto type = type_text ? parse_order_type(*type_text) : std::optional<OrderType>(OrderType::Limit);
  // The connectors place limit and market orders; the other types are read, not placed (yet).
  if (type && *type != OrderType::Limit && *type != OrderType::Market) type.reset();
  if (!type) return invalid_argument("parameter 'type' must be limit or market, got '" + *type_text + "'");
  r.type = *type;
  const std::string* amount = find_param(p, "amount");
  if (!amount || amount->empty()) return invalid_argument("missing parameter 'amount'");
  auto a = parse_positive_decimal("amount", *amount);
  if (!a) return a.error();
  r.amount = *a;
  if (const std::string* price = find_param(p, "price")) {
    if (r.type == OrderType::Market) return invalid_argument("parameter 'price' is not used by market orders");
    auto pr = parse_positive_decimal("price", *price);
    if (!pr) return pr.error();
    r.price = *pr;
  } else if (r.type == OrderType::Limit) {
    return invalid_argument("missing parameter 'price' (required for limit orders)");
  }
  auto post_only = parse_bool(p, "post_only");
  if (!post_only) return post_only.error();
  r.post_only = *post_only;
  if (r.post_only && r.type == OrderType::Market) return invalid_argument("parameter 'post_only' applies to limit orders only");
  auto reduce_only = parse_bool(p, "reduce_only");
  if (!reduce_only) return reduce_only.error();
  r.reduce_only = *reduce_only;
  if (const std::string* id = find_param(p, "client_order_id")) r.client_order_id = *id;
  return r;
}

Result<OrderRef> parse_order_ref(const ActionParams& p) {
  OrderRef r;
  r.symbol = optional_param(p, "symbol").value_or("");
  r.order_id = optional_param(p, "order_id").value_or("");
  r.client_order_id = optional_param(p, "client_order_id").value_or("");
  if (r.order_id.empty() && r.client_order_id.empty()) return invalid_argument("missing parameter 'order_id' or 'client_order_id'");
  return r;
}

Result<CandleQuery> parse_candle_query(const ActionParams& p) {
  CandleQuery q;
  auto symbol = required_param(p, "symbol");
  if (!symbol) return symbol.error();
  q.symbol = *symbol;
  auto tf_text = optional_param(p, "timeframe").value_or("1m");
  auto tf = parse_timeframe(tf_text);
  if (!tf) return invalid_argument("parameter 'timeframe' must be one of 1m 5m 15m 30m 1h 4h 1d 1w, got '" + tf_text + "'");
  q.timeframe = *tf;
  if (auto since = optional_param(p, "since")) {
    auto v = parse_int("since", *since);
    if (!v) return v.error();
    q.since_ms = *v;
  }
  if (auto limit = optional_param(p, "limit")) {
    auto v = parse_int("limit", *limit);
    if (!v) return v.error();
    if (*v <= 0 || *v > 10000) return invalid_argument("parameter 'limit' must be between 1 and 10000");
    q.limit = static_cast<int>(*v);
  }
  return q;
}

}  // namespace tb::venues
