#include "core/types.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include <nlohmann/json.hpp>

namespace tb {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

nlohmann::json opt(const std::optional<Decimal>& d) { return d ? nlohmann::json(d->to_string()) : nlohmann::json(nullptr); }
template <typename T>
nlohmann::json opt(const std::optional<T>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

struct TimeframeInfo {
  Timeframe tf;
  std::string_view name;
  int64_t ms;
};
constexpr TimeframeInfo kTimeframes[] = {
    {Timeframe::M1, "1m", 60'000},      {Timeframe::M5, "5m", 300'000},     {Timeframe::M15, "15m", 900'000},
    {Timeframe::M30, "30m", 1'800'000}, {Timeframe::H1, "1h", 3'600'000},   {Timeframe::H4, "4h", 14'400'000},
    {Timeframe::D1, "1d", 86'400'000},  {Timeframe::W1, "1w", 604'800'000},
};

constexpr std::pair<OrderType, std::string_view> kOrderTypes[] = {
    {OrderType::Limit, "limit"},
    {OrderType::Market, "market"},
    {OrderType::StopMarket, "stop_market"},
    {OrderType::StopLimit, "stop_limit"},
    {OrderType::TakeProfitMarket, "take_profit_market"},
    {OrderType::TakeProfitLimit, "take_profit_limit"},
    {OrderType::TrailingStop, "trailing_stop"},
    {OrderType::TrailingStopLimit, "trailing_stop_limit"},
    {OrderType::Liquidation, "liquidation"},
    {OrderType::Adl, "adl"},
    {OrderType::Other, "other"},
};

}  // namespace

std::string_view to_string(Side s) { return s == Side::Buy ? "buy" : "sell"; }

std::string_view to_string(OrderType t) {
  for (auto& [type, name] : kOrderTypes)
    if (type == t) return name;
  return "other";
}

bool is_conditional(OrderType t) {
  return t == OrderType::StopMarket || t == OrderType::StopLimit || t == OrderType::TakeProfitMarket || t == OrderType::TakeProfitLimit ||
         t == OrderType::TrailingStop || t == OrderType::TrailingStopLimit;
}

std::string_view to_string(TimeInForce t) {
  switch (t) {
    case TimeInForce::Gtc: return "gtc";
    case TimeInForce::Ioc: return "ioc";
    case TimeInForce::Fok: return "fok";
    case TimeInForce::Gtd: return "gtd";
  }
  return "gtc";
}
std::string_view to_string(PositionSide s) {
  switch (s) {
    case PositionSide::Both: return "both";
    case PositionSide::Long: return "long";
    case PositionSide::Short: return "short";
  }
  return "both";
}

std::optional<PositionSide> parse_position_side(std::string_view s) {
  auto l = lower(s);
  for (auto side : {PositionSide::Both, PositionSide::Long, PositionSide::Short})
    if (to_string(side) == l) return side;
  return std::nullopt;
}

std::string_view to_string(MarketKind k) { return k == MarketKind::Spot ? "spot" : "perpetual"; }
std::string_view to_string(OrderStatus s) {
  switch (s) {
    case OrderStatus::New: return "new";
    case OrderStatus::PartiallyFilled: return "partially_filled";
    case OrderStatus::Filled: return "filled";
    case OrderStatus::Canceled: return "canceled";
    case OrderStatus::Rejected: return "rejected";
    case OrderStatus::Expired: return "expired";
    case OrderStatus::Canceling: return "canceling";
  }
  return "unknown";
}

std::optional<Side> parse_side(std::string_view s) {
  auto l = lower(s);
  if (l == "buy") return Side::Buy;
  if (l == "sell") return Side::Sell;
  return std::nullopt;
}

std::optional<OrderType> parse_order_type(std::string_view s) {
  auto l = lower(s);
  for (auto& [type, name] : kOrderTypes)
    if (name == l) return type;
  return std::nullopt;
}

std::string_view to_string(Timeframe tf) {
  for (auto& t : kTimeframes)
    if (t.tf == tf) return t.name;
  return "?";
}

std::optional<Timeframe> parse_timeframe(std::string_view s) {
  for (auto& t : kTimeframes)
    if (t.name == s) return t.tf;
  return std::nullopt;
}

int64_t timeframe_ms(Timeframe tf) {
  for (auto& t : kTimeframes)
    if (t.tf == tf) return t.ms;
  return 0;
}

void to_json(nlohmann::json& j, const Market& m) {
  j = {{"id", m.id},
       {"symbol", m.symbol},
       {"base", m.base},
       {"quote", m.quote},
       {"kind", to_string(m.kind)},
       {"active", m.active},
       {"tick_size", m.tick_size.to_string()},
       {"step_size", m.step_size.to_string()},
       {"min_qty", m.min_qty.to_string()},
       {"max_qty", opt(m.max_qty)},
       {"min_notional", m.min_notional.to_string()}};
  if (!m.altname.empty()) j["altname"] = m.altname;
  if (!m.settle.empty()) j["settle"] = m.settle;
  if (m.price_significant_digits) j["price_significant_digits"] = m.price_significant_digits;
}

void to_json(nlohmann::json& j, const Ticker& t) {
  j = {{"symbol", t.symbol}, {"last", t.last.to_string()}, {"bid", opt(t.bid)}, {"ask", opt(t.ask)}, {"time", t.time_ms}};
}

void to_json(nlohmann::json& j, const Candle& c) {
  j = {{"open_time", c.open_time_ms}, {"open", c.open.to_string()},   {"high", c.high.to_string()},
       {"low", c.low.to_string()},    {"close", c.close.to_string()}, {"volume", c.volume.to_string()}};
}

void to_json(nlohmann::json& j, const Balance& b) {
  j = {{"asset", b.asset}, {"total", b.total.to_string()}, {"free", b.free.to_string()}, {"used", b.used.to_string()}};
}

void to_json(nlohmann::json& j, const Position& p) {
  j = {{"symbol", p.symbol},
       {"amount", p.amount.to_string()},
       {"entry_price", p.entry_price.to_string()},
       {"unrealized_pnl", p.unrealized_pnl.to_string()},
       {"leverage", opt(p.leverage)}};
  if (p.position_side) j["position_side"] = to_string(*p.position_side);
}

void to_json(nlohmann::json& j, const Portfolio& p) { j = {{"balances", p.balances}, {"positions", p.positions}}; }

void to_json(nlohmann::json& j, const Order& o) {
  j = {{"id", o.id},
       {"client_order_id", o.client_order_id},
       {"symbol", o.symbol},
       {"side", to_string(o.side)},
       {"type", to_string(o.type)},
       {"status", to_string(o.status)},
       {"price", opt(o.price)},
       {"amount", o.amount.to_string()},
       {"filled", o.filled.to_string()},
       {"average_price", opt(o.average_price)},
       {"post_only", o.post_only},
       {"reduce_only", o.reduce_only},
       {"created", o.created_ms},
       {"updated", o.updated_ms},
       {"venue_status", o.venue_status},
       {"trigger_price", opt(o.trigger_price)},
       {"time_in_force", o.time_in_force ? nlohmann::json(to_string(*o.time_in_force)) : nlohmann::json(nullptr)},
       {"venue_type", o.venue_type}};
  if (o.position_side) j["position_side"] = to_string(*o.position_side);
  if (o.fee) {
    j["fee"] = o.fee->to_string();
    j["fee_asset"] = o.fee_asset;
  }
}

void to_json(nlohmann::json& j, const Trade& t) {
  j = {{"id", t.id},
       {"order_id", t.order_id},
       {"symbol", t.symbol},
       {"side", to_string(t.side)},
       {"price", t.price.to_string()},
       {"amount", t.amount.to_string()},
       {"fee", t.fee.to_string()},
       {"fee_asset", t.fee_asset},
       {"maker", opt(t.maker)},
       {"time", t.time_ms}};
}

std::optional<FeeTotal> total_fee(const std::vector<Trade>& trades) {
  if (trades.empty()) return std::nullopt;
  FeeTotal total{Decimal(), trades.front().fee_asset};
  for (const Trade& t : trades) {
    if (t.fee_asset != total.asset) return std::nullopt;
    total.amount = (total.amount + t.fee).normalized();
  }
  return total;
}

void to_json(nlohmann::json& j, const KeyPermissions& k) {
  j = {{"can_read", opt(k.can_read)},
       {"can_trade", opt(k.can_trade)},
       {"can_trade_futures", opt(k.can_trade_futures)},
       {"can_withdraw", opt(k.can_withdraw)},
       {"ip_restricted", opt(k.ip_restricted)},
       {"ip_whitelist", k.ip_whitelist},
       {"trading_expires", opt(k.trading_expires_ms)},
       {"venue_permissions", k.venue_permissions}};
}

void to_json(nlohmann::json& j, const Error& e) {
  j = {{"kind", to_string(e.kind)}, {"message", e.message}};
  if (!e.venue_code.empty()) j["venue_code"] = e.venue_code;
  if (!e.venue_message.empty()) j["venue_message"] = e.venue_message;
  if (e.http_status) j["http_status"] = e.http_status;
  if (e.retry_after) j["retry_after_ms"] = e.retry_after->count();
  if (e.outcome_unknown) j["outcome_unknown"] = true;
}

}  // namespace tb
