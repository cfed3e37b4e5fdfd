#include "exsim/kraken/render.hpp"

#include "exsim/kraken/names.hpp"

namespace tb::exsim::kraken {
namespace {

// Kraken writes fee tiers as JSON numbers in percent: 0.0026 -> 0.26.
json percent(const Decimal& fraction) { return (fraction * Decimal::from_int(100)).normalized().to_double(); }

}  // namespace

Pair pair_of(const SimMarket& m) {
  Pair p;
  p.market = m;
  p.altname = pair_altname(m.base, m.quote);
  p.wsname = asset_altname(m.base) + "/" + asset_altname(m.quote);
  p.base_id = asset_id(m.base);
  p.quote_id = asset_id(m.quote);
  p.pair_decimals = decimals_of(m.tick);
  p.lot_decimals = std::max(decimals_of(m.step), 0);
  p.cost_decimals = 5;
  return p;
}

json asset_json(std::string_view unified) {
  return {{"aclass", "currency"},
          {"altname", asset_altname(unified)},
          {"decimals", asset_decimals(unified)},
          {"display_decimals", asset_display_decimals(unified)},
          {"collateral_value", 1},
          {"status", "enabled"}};
}

json asset_pair_json(const Pair& p, std::string_view info) {
  const auto& m = p.market;
  json fees = json::array({json::array({0, percent(m.taker_fee)})});
  json fees_maker = json::array({json::array({0, percent(m.maker_fee)})});
  if (info == "fees") return {{"fee_volume_currency", "ZUSD"}, {"fees", fees}, {"fees_maker", fees_maker}};
  if (info == "leverage") return {{"leverage_buy", json::array()}, {"leverage_sell", json::array()}};
  if (info == "margin") return {{"margin_call", 80}, {"margin_stop", 40}};
  return {{"altname", p.altname},
          {"wsname", p.wsname},
          {"aclass_base", "currency"},
          {"base", p.base_id},
          {"aclass_quote", "currency"},
          {"quote", p.quote_id},
          {"lot", "unit"},
          {"cost_decimals", p.cost_decimals},
          {"pair_decimals", p.pair_decimals},
          {"lot_decimals", p.lot_decimals},
          {"lot_multiplier", 1},
          {"leverage_buy", json::array()},
          {"leverage_sell", json::array()},
          {"fees", fees},
          {"fees_maker", fees_maker},
          {"fee_volume_currency", "ZUSD"},
          {"margin_call", 80},
          {"margin_stop", 40},
          {"ordermin", m.min_qty.to_plain_string()},
          {"costmin", m.min_notional.to_plain_string()},
          {"tick_size", m.tick.to_plain_string()},
          {"status", "online"},
          {"long_position_limit", 0},
          {"short_position_limit", 0}};
}

constexpr std::pair<std::string_view, OrderType> kOrderTypes[] = {
    {"market", OrderType::Market},
    {"limit", OrderType::Limit},
    {"stop-loss", OrderType::StopMarket},
    {"take-profit", OrderType::TakeProfitMarket},
    {"stop-loss-limit", OrderType::StopLimit},
    {"take-profit-limit", OrderType::TakeProfitLimit},
    {"trailing-stop", OrderType::TrailingStop},
    {"trailing-stop-limit", OrderType::TrailingStopLimit},
};

std::optional<OrderType> kraken_order_type(std::string_view ordertype) {
  for (auto& [word, type] : kOrderTypes)
    if (word == ordertype) return type;
  return std::nullopt;
}

std::string_view ordertype_word(OrderType type) {
  for (auto& [word, t] : kOrderTypes)
    if (t == type) return word;
  return "limit";
}

std::string order_text(Side side, const Decimal& volume, OrderType type, const std::optional<Decimal>& price,
                       const std::optional<Decimal>& trigger, const Pair& p) {
  std::string s = std::string(to_string(side)) + " " + fixed(volume, p.lot_decimals) + " " + p.altname + " @ ";
  if (type == OrderType::Market) return s + "market";
  auto at = [&](const std::optional<Decimal>& d) { return fixed(d.value_or(Decimal()), p.pair_decimals); };
  if (type == OrderType::Limit) return s + "limit " + at(price);
  bool stop = type == OrderType::StopMarket || type == OrderType::StopLimit;
  s += (stop ? "stop loss " : "take profit ") + at(trigger);
  if (type == OrderType::StopLimit || type == OrderType::TakeProfitLimit) s += " -> limit " + at(price);
  return s;
}

std::string status_word(const SimOrder& o) {
  switch (o.status) {
    case SimOrderStatus::Open: return "open";
    case SimOrderStatus::Filled: return "closed";
    case SimOrderStatus::Expired: return "expired";
    case SimOrderStatus::Canceled:
    case SimOrderStatus::Rejected: return "canceled";
  }
  return "open";
}

json seconds(int64_t ms) {
  // Four decimals as Kraken prints them (1688666559.8974); via Decimal so no binary noise is added.
  return Decimal::from_units(ms, 3).to_double();
}

std::string trade_id_of(const SimOrder& o) { return "T" + txid_of(o.id).substr(1); }

json order_json(const SimOrder& o, const Pair& p, bool with_trades) {
  const std::string zero_cost = fixed(Decimal(), p.cost_decimals);
  Decimal cost = (o.filled * o.average_price);
  std::string status = status_word(o);
  json descr = {{"pair", p.altname},
                {"type", to_string(o.side)},
                {"ordertype", ordertype_word(o.type)},
                // price: the limit of a limit order, the trigger of a conditional one; price2: a *-limit's limit.
                {"price", o.trigger_price                         ? fixed(*o.trigger_price, p.pair_decimals)
                          : o.type == OrderType::Limit && o.price ? fixed(*o.price, p.pair_decimals)
                                                                  : std::string("0")},
                {"price2", o.trigger_price && o.price ? fixed(*o.price, p.pair_decimals) : std::string("0")},
                {"leverage", "none"},
                {"order", order_text(o.side, o.amount, o.type, o.price, o.trigger_price, p)},
                {"close", ""}};
  json j = {{"refid", nullptr},
            {"userref", nullptr},
            {"cl_ord_id", o.client_order_id.empty() ? json(nullptr) : json(o.client_order_id)},
            {"status", status},
            {"opentm", seconds(o.created_ms)},
            {"starttm", 0},
            {"expiretm", 0},
            {"descr", descr},
            {"vol", fixed(o.amount, p.lot_decimals)},
            {"vol_exec", fixed(o.filled, p.lot_decimals)},
            {"cost", fixed(cost, p.cost_decimals)},
            {"fee", fixed(o.fee, p.cost_decimals)},
            {"price", fixed(o.average_price, p.pair_decimals)},
            {"stopprice", o.trigger_price ? fixed(*o.trigger_price, p.pair_decimals) : zero_cost},
            {"limitprice", o.triggered && o.price ? fixed(*o.price, p.pair_decimals) : zero_cost},
            {"misc", o.filled.is_positive() && o.filled < o.amount ? "partial" : ""},
            {"oflags", o.post_only ? "post,fciq" : "fciq"}};
  if (with_trades) j["trades"] = o.filled.is_positive() ? json::array({trade_id_of(o)}) : json::array();
  if (status != "open") {
    j["closetm"] = seconds(o.updated_ms);
    if (o.status == SimOrderStatus::Filled) j["reason"] = nullptr;
    else if (o.reason == "post_only") j["reason"] = "Post only order";
    else j["reason"] = "User requested";
  }
  return j;
}

}  // namespace tb::exsim::kraken
