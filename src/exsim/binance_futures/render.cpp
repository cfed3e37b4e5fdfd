#include "exsim/binance_futures/render.hpp"

#include "exsim/binance_futures/orders.hpp"

#include <algorithm>

namespace tb::exsim::binance_futures {
namespace {

// A JSON string literal. The values written here are market ids, checked client order ids and decimals,
// but escaping costs nothing on those and keeps any other text valid.
void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xF];
      out += kHex[c & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
}

int scale_of(const Decimal& step) { return step.is_zero() ? 8 : step.normalized().scale(); }

std::string fixed_at_least(const Decimal& d, int scale) {
  return d.scale() > scale ? d.normalized().to_string() : d.to_fixed(std::max(scale, 0));
}

std::string_view status_text(const SimOrder& o) {
  switch (o.status) {
    case SimOrderStatus::Open: return o.filled.is_zero() ? "NEW" : "PARTIALLY_FILLED";
    case SimOrderStatus::Filled: return "FILLED";
    case SimOrderStatus::Canceled: return "CANCELED";
    case SimOrderStatus::Rejected: return "REJECTED";
    case SimOrderStatus::Expired: return "EXPIRED";
  }
  return "NEW";
}

Decimal position_notional(const SimPosition& p, const std::map<std::string, Decimal>& prices) {
  auto it = prices.find(p.symbol);
  Decimal price = it != prices.end() ? it->second : p.entry_price;
  return p.amount * price;
}

const SimPosition* position_of(const std::vector<SimPosition>& ps, const std::string& symbol, PositionSide side) {
  for (auto& p : ps)
    if (p.symbol == symbol && p.side == side) return &p;
  return nullptr;
}

// The position rows of a symbol: one (BOTH) in one-way mode, LONG and SHORT in hedge mode.
std::vector<PositionSide> sides_of(const FuturesConfig& f) {
  if (!f.hedge_mode) return {PositionSide::Both};
  return {PositionSide::Long, PositionSide::Short};
}

std::string_view side_text(PositionSide s) { return s == PositionSide::Both ? "BOTH" : s == PositionSide::Long ? "LONG" : "SHORT"; }

}  // namespace

std::string price_text(const Decimal& d, const SimMarket& m) { return d.to_fixed(scale_of(m.tick), Rounding::HalfEven); }
std::string qty_text(const Decimal& d, const SimMarket& m) { return d.to_fixed(scale_of(m.step), Rounding::HalfEven); }
std::string amount8(const Decimal& d) { return d.to_fixed(8, Rounding::HalfEven); }

// "orderTypes" as live answers (and ccxt, which refuses an order type missing from it) spell it; the doc
// example's "OrderType" is a typo there. Only the types the engine trades are listed.
ojson exchange_info(const std::vector<SimMarket>& markets, int64_t server_ms, int64_t weight_limit, int64_t orders_limit) {
  ojson symbols = ojson::array();
  for (auto& m : markets) {
    std::string qty_max = m.max_qty.is_zero() ? "1000000" : qty_text(m.max_qty, m);
    ojson filters = ojson::array();
    filters.push_back({{"filterType", "PRICE_FILTER"},
                       {"minPrice", price_text(m.tick, m)},
                       {"maxPrice", price_text(Decimal::from_int(1'000'000), m)},
                       {"tickSize", price_text(m.tick, m)}});
    filters.push_back(
        {{"filterType", "LOT_SIZE"}, {"minQty", qty_text(m.min_qty, m)}, {"maxQty", qty_max}, {"stepSize", qty_text(m.step, m)}});
    filters.push_back(
        {{"filterType", "MARKET_LOT_SIZE"}, {"minQty", qty_text(m.min_qty, m)}, {"maxQty", qty_max}, {"stepSize", qty_text(m.step, m)}});
    filters.push_back({{"filterType", "MAX_NUM_ORDERS"}, {"limit", 200}});
    filters.push_back({{"filterType", "MAX_NUM_ALGO_ORDERS"}, {"limit", 10}});
    filters.push_back({{"filterType", "MIN_NOTIONAL"}, {"notional", m.min_notional.normalized().to_string()}});
    symbols.push_back({{"symbol", m.id},
                       {"pair", m.id},
                       {"contractType", "PERPETUAL"},
                       {"deliveryDate", kPerpetualDeliveryDate},
                       {"onboardDate", 1569398400000},
                       {"status", "TRADING"},
                       {"maintMarginPercent", "2.5000"},
                       {"requiredMarginPercent", "5.0000"},
                       {"baseAsset", m.base},
                       {"quoteAsset", m.quote},
                       {"marginAsset", m.quote},
                       {"pricePrecision", scale_of(m.tick)},
                       {"quantityPrecision", scale_of(m.step)},
                       {"baseAssetPrecision", 8},
                       {"quotePrecision", 8},
                       {"underlyingType", "COIN"},
                       {"underlyingSubType", ojson::array()},
                       {"settlePlan", 0},
                       {"triggerProtect", "0.0500"},
                       {"liquidationFee", "0.012500"},
                       {"marketTakeBound", "0.05"},
                       {"maxMoveOrderLimit", 10000},
                       {"filters", filters},
                       {"orderTypes", {"LIMIT", "MARKET"}},
                       {"timeInForce", {"GTC", "IOC", "FOK", "GTX"}}});
  }
  return {{"timezone", "UTC"},
          {"serverTime", server_ms},
          {"futuresType", "U_MARGINED"},
          {"rateLimits",
           {{{"rateLimitType", "REQUEST_WEIGHT"}, {"interval", "MINUTE"}, {"intervalNum", 1}, {"limit", weight_limit}},
            {{"rateLimitType", "ORDERS"}, {"interval", "MINUTE"}, {"intervalNum", 1}, {"limit", orders_limit}}}},
          {"exchangeFilters", ojson::array()},
          {"assets", {{{"asset", "USDT"}, {"marginAvailable", true}, {"autoAssetExchange", "0"}}}},
          {"symbols", symbols}};
}

ojson order_json(const SimOrder& o, const SimMarket& m, OrderView view) {
  bool ack = view == OrderView::Ack;
  Decimal filled = ack ? Decimal() : o.filled;
  Decimal avg = ack ? Decimal() : o.average_price;
  std::string type(type_text(o));
  ojson j = {{"orderId", o.id},
             {"symbol", o.symbol},
             {"status", ack ? std::string_view("NEW") : status_text(o)},
             {"clientOrderId", o.client_order_id},
             {"price", o.price ? price_text(*o.price, m) : "0"},
             {"avgPrice", fixed_at_least(avg, std::max(5, scale_of(m.tick)))},
             {"origQty", qty_text(o.amount, m)},
             {"executedQty", qty_text(filled, m)},
             {"cumQty", qty_text(filled, m)},
             {"cumQuote", fixed_at_least(filled * avg, 5)},
             {"timeInForce", o.post_only ? "GTX" : "GTC"},
             {"type", type},
             {"origType", type},
             {"reduceOnly", o.reduce_only && !o.position_side},  // hedge mode: the side says it, never reduceOnly
             {"closePosition", false},
             {"side", o.side == Side::Buy ? "BUY" : "SELL"},
             {"positionSide", position_side_text(o)},
             {"stopPrice", stop_price_text(o, m)},
             {"workingType", "CONTRACT_PRICE"},
             {"priceProtect", false},
             {"priceMatch", "NONE"},
             {"selfTradePreventionMode", "NONE"},
             {"goodTillDate", 0}};
  if (view == OrderView::Query) j["time"] = o.created_ms;
  j["updateTime"] = ack ? o.created_ms : o.updated_ms;
  return j;
}

std::string order_text(const SimOrder& o, const SimMarket& m, OrderView view) {
  bool ack = view == OrderView::Ack;
  Decimal filled = ack ? Decimal() : o.filled;
  Decimal avg = ack ? Decimal() : o.average_price;
  std::string_view type = type_text(o);
  std::string qty_filled = qty_text(filled, m);
  std::string out;
  out.reserve(640);
  auto str = [&](std::string_view name, std::string_view value) {
    out += '"';
    out += name;
    out += "\":";
    append_json_string(out, value);
    out += ',';
  };
  auto raw = [&](std::string_view name, std::string_view value) {
    out += '"';
    out += name;
    out += "\":";
    out += value;
    out += ',';
  };
  out += '{';
  raw("orderId", std::to_string(o.id));
  str("symbol", o.symbol);
  str("status", ack ? std::string_view("NEW") : status_text(o));
  str("clientOrderId", o.client_order_id);
  str("price", o.price ? price_text(*o.price, m) : "0");
  str("avgPrice", fixed_at_least(avg, std::max(5, scale_of(m.tick))));
  str("origQty", qty_text(o.amount, m));
  str("executedQty", qty_filled);
  str("cumQty", qty_filled);
  str("cumQuote", fixed_at_least(filled * avg, 5));
  str("timeInForce", o.post_only ? "GTX" : "GTC");
  str("type", type);
  str("origType", type);
  raw("reduceOnly", o.reduce_only && !o.position_side ? "true" : "false");  // hedge mode: the side says it
  out += R"("closePosition":false,)";
  str("side", o.side == Side::Buy ? "BUY" : "SELL");
  str("positionSide", position_side_text(o));
  str("stopPrice", stop_price_text(o, m));
  out += R"("workingType":"CONTRACT_PRICE","priceProtect":false,"priceMatch":"NONE",)"
         R"("selfTradePreventionMode":"NONE","goodTillDate":0,)";
  if (view == OrderView::Query) raw("time", std::to_string(o.created_ms));
  raw("updateTime", std::to_string(ack ? o.created_ms : o.updated_ms));
  out.back() = '}';
  return out;
}

ojson ticker_24h(const SimMarket& m, const Decimal& last, const std::vector<SimCandle>& hourly, int64_t now_ms) {
  Decimal open = hourly.empty() ? last : hourly.front().open;
  Decimal high = last, low = last, volume, quote_volume;
  for (auto& c : hourly) {
    high = std::max(high, c.high);
    low = std::min(low, c.low);
    volume += c.volume;
    quote_volume += c.volume * c.close;
  }
  Decimal change = last - open;
  Decimal percent = open.is_zero() ? Decimal() : (change * Decimal::from_int(100)).divide(open, 3, Rounding::HalfEven);
  Decimal weighted = volume.is_zero() ? last : quote_volume.divide(volume, scale_of(m.tick), Rounding::HalfEven);
  int64_t count = static_cast<int64_t>(hourly.size()) * 60;
  return {{"symbol", m.id},
          {"priceChange", price_text(change, m)},
          {"priceChangePercent", percent.to_fixed(3)},
          {"weightedAvgPrice", price_text(weighted, m)},
          {"lastPrice", price_text(last, m)},
          {"lastQty", qty_text(m.min_qty, m)},
          {"openPrice", price_text(open, m)},
          {"highPrice", price_text(high, m)},
          {"lowPrice", price_text(low, m)},
          {"volume", qty_text(volume, m)},
          {"quoteVolume", quote_volume.to_fixed(2)},
          {"openTime", now_ms - 86'400'000},
          {"closeTime", now_ms},
          {"firstId", 1},
          {"lastId", count},
          {"count", count}};
}

ojson ticker_price(const SimMarket& m, const Decimal& last, int64_t now_ms) {
  return {{"symbol", m.id}, {"price", price_text(last, m)}, {"time", now_ms}};
}

ojson book_ticker(const SimMarket& m, const Decimal& last, int64_t now_ms) {
  // One tick either side of the last price: a tight book around the simulated trade.
  return {{"symbol", m.id},
          {"bidPrice", price_text(last - m.tick, m)},
          {"bidQty", qty_text(m.min_qty, m)},
          {"askPrice", price_text(last + m.tick, m)},
          {"askQty", qty_text(m.min_qty, m)},
          {"time", now_ms}};
}

ojson premium_index(const SimMarket& m, const Decimal& last, int64_t now_ms) {
  int64_t next_funding = (now_ms / 28'800'000 + 1) * 28'800'000;  // every 8 hours
  return {{"symbol", m.id},
          {"markPrice", price_text(last, m)},
          {"indexPrice", price_text(last, m)},
          {"estimatedSettlePrice", price_text(last, m)},
          {"lastFundingRate", "0.00010000"},
          {"interestRate", "0.00010000"},
          {"nextFundingTime", next_funding},
          {"time", now_ms}};
}

ojson kline_row(const SimCandle& c, const SimMarket& m, int64_t timeframe_ms) {
  Decimal quote_volume = c.volume * c.close;
  return {c.open_time_ms,
          price_text(c.open, m),
          price_text(c.high, m),
          price_text(c.low, m),
          price_text(c.close, m),
          qty_text(c.volume, m),
          c.open_time_ms + timeframe_ms - 1,
          quote_volume.to_fixed(5),
          0,
          qty_text(Decimal(), m),
          "0.00000",
          "0"};
}

namespace {

ojson asset_entry(const std::string& asset, const Balance& b, const Decimal& unrealized, const Decimal& position_initial, int64_t now_ms) {
  Decimal margin_balance = b.total + unrealized;
  Decimal available = b.free() + std::min(unrealized, Decimal());
  Decimal open_order = b.reserved - position_initial;
  if (open_order.is_negative()) open_order = Decimal();
  bool funded = !b.total.is_zero() || !b.reserved.is_zero();
  // ccxt skips assets whose updateTime is 0 as stale: every funded asset carries the time of this answer.
  return {{"asset", asset},
          {"walletBalance", amount8(b.total)},
          {"unrealizedProfit", amount8(unrealized)},
          {"marginBalance", amount8(margin_balance)},
          {"maintMargin", amount8(position_initial.divide(Decimal::from_int(2), 8, Rounding::HalfEven))},
          {"initialMargin", amount8(b.reserved)},
          {"positionInitialMargin", amount8(position_initial)},
          {"openOrderInitialMargin", amount8(open_order)},
          {"crossWalletBalance", amount8(b.total)},
          {"crossUnPnl", amount8(unrealized)},
          {"availableBalance", amount8(available)},
          {"maxWithdrawAmount", amount8(available)},
          {"marginAvailable", true},
          {"updateTime", funded ? now_ms : 0}};
}

// Unrealized PnL and position margin settle in the market's quote asset.
std::pair<Decimal, Decimal> position_sums(const AccountView& a, const std::string& asset) {
  Decimal unrealized, initial;
  for (auto& p : a.positions) {
    for (auto& m : a.markets) {
      if (m.id != p.symbol || m.quote != asset) continue;
      unrealized += p.unrealized_pnl;
      initial += position_notional(p, a.prices).abs().divide(Decimal::from_int(a.futures.leverage_of(p.symbol)), 8, Rounding::HalfEven);
    }
  }
  return {unrealized, initial};
}

ojson account_common(const AccountView& a, bool v2) {
  ojson assets = ojson::array();
  Decimal wallet, unrealized, initial, position_initial, available;
  for (auto& [asset, b] : a.balances) {
    auto [upnl, pim] = position_sums(a, asset);
    assets.push_back(asset_entry(asset, b, upnl, pim, a.now_ms));
    if (asset != "USDT") continue;  // single-asset mode: the totals are USDT only
    wallet = b.total;
    unrealized = upnl;
    initial = b.reserved;
    position_initial = pim;
    available = b.free() + std::min(upnl, Decimal());
  }
  Decimal open_order = initial - position_initial;
  if (open_order.is_negative()) open_order = Decimal();
  ojson j;
  if (v2) {
    j = {{"feeTier", 0},        {"feeBurn", false}, {"canTrade", true},           {"canDeposit", true},
         {"canWithdraw", true}, {"updateTime", 0},  {"multiAssetsMargin", false}, {"tradeGroupId", -1}};
  } else {
    j = ojson::object();
  }
  j["totalInitialMargin"] = amount8(initial);
  j["totalMaintMargin"] = amount8(position_initial.divide(Decimal::from_int(2), 8, Rounding::HalfEven));
  j["totalWalletBalance"] = amount8(wallet);
  j["totalUnrealizedProfit"] = amount8(unrealized);
  j["totalMarginBalance"] = amount8(wallet + unrealized);
  j["totalPositionInitialMargin"] = amount8(position_initial);
  j["totalOpenOrderInitialMargin"] = amount8(open_order);
  j["totalCrossWalletBalance"] = amount8(wallet);
  j["totalCrossUnPnl"] = amount8(unrealized);
  j["availableBalance"] = amount8(available);
  j["maxWithdrawAmount"] = amount8(available);
  j["assets"] = assets;
  return j;
}

}  // namespace

ojson account_v2(const AccountView& a) {
  ojson j = account_common(a, true);
  ojson positions = ojson::array();
  for (auto& m : a.markets)  // v2 lists every symbol
    for (PositionSide side : sides_of(a.futures)) {
      const SimPosition* p = position_of(a.positions, m.id, side);
      Decimal amount = p ? p->amount : Decimal();
      Decimal notional = p ? position_notional(*p, a.prices) : Decimal();
      Decimal im = notional.abs().divide(Decimal::from_int(a.futures.leverage_of(m.id)), 8, Rounding::HalfEven);
      positions.push_back({{"symbol", m.id},
                           {"initialMargin", amount8(im)},
                           {"maintMargin", amount8(im.divide(Decimal::from_int(2), 8, Rounding::HalfEven))},
                           {"unrealizedProfit", amount8(p ? p->unrealized_pnl : Decimal())},
                           {"positionInitialMargin", amount8(im)},
                           {"openOrderInitialMargin", "0"},
                           {"leverage", std::to_string(a.futures.leverage_of(m.id))},
                           {"isolated", a.futures.isolated.count(m.id) > 0},
                           {"entryPrice", p ? price_text(p->entry_price, m) : "0.0"},
                           {"maxNotional", "250000"},
                           {"bidNotional", "0"},
                           {"askNotional", "0"},
                           {"positionSide", side_text(side)},
                           {"positionAmt", qty_text(amount, m)},
                           {"updateTime", p ? a.now_ms : 0}});
    }
  j["positions"] = positions;
  return j;
}

ojson account_v3(const AccountView& a) {
  ojson j = account_common(a, false);
  ojson positions = ojson::array();
  for (auto& p : a.positions) {  // v3 lists only symbols with a position
    auto m = std::find_if(a.markets.begin(), a.markets.end(), [&](auto& x) { return x.id == p.symbol; });
    if (m == a.markets.end()) continue;
    Decimal notional = position_notional(p, a.prices);
    Decimal im = notional.abs().divide(Decimal::from_int(a.futures.leverage_of(p.symbol)), 8, Rounding::HalfEven);
    positions.push_back({{"symbol", p.symbol},
                         {"positionSide", side_text(p.side)},
                         {"positionAmt", qty_text(p.amount, *m)},
                         {"unrealizedProfit", amount8(p.unrealized_pnl)},
                         {"isolatedMargin", "0"},
                         {"notional", amount8(notional)},
                         {"isolatedWallet", "0"},
                         {"initialMargin", amount8(im)},
                         {"maintMargin", amount8(im.divide(Decimal::from_int(2), 8, Rounding::HalfEven))},
                         {"updateTime", a.now_ms}});
  }
  j["positions"] = positions;
  return j;
}

ojson balance_list(const AccountView& a) {
  ojson out = ojson::array();
  for (auto& [asset, b] : a.balances) {
    auto [upnl, pim] = position_sums(a, asset);
    Decimal available = b.free() + std::min(upnl, Decimal());
    out.push_back({{"accountAlias", "SgsR"},
                   {"asset", asset},
                   {"balance", amount8(b.total)},
                   {"crossWalletBalance", amount8(b.total)},
                   {"crossUnPnl", amount8(upnl)},
                   {"availableBalance", amount8(available)},
                   {"maxWithdrawAmount", amount8(available)},
                   {"marginAvailable", true},
                   {"updateTime", b.total.is_zero() ? 0 : a.now_ms}});
  }
  return out;
}

ojson position_risk(const AccountView& a, const std::string& symbol, bool v3) {
  ojson out = ojson::array();
  for (auto& m : a.markets)
    for (PositionSide side : sides_of(a.futures)) {
      if (!symbol.empty() && m.id != symbol) continue;
      const SimPosition* p = position_of(a.positions, m.id, side);
      if (v3 && !p) continue;  // v3 answers only for symbols with a position
      Decimal amount = p ? p->amount : Decimal();
      auto price_it = a.prices.find(m.id);
      Decimal mark = price_it != a.prices.end() ? price_it->second : Decimal();
      Decimal notional = amount * mark;
      ojson j = {{"symbol", m.id},
                 {"positionSide", side_text(side)},
                 {"positionAmt", qty_text(amount, m)},
                 {"entryPrice", p ? price_text(p->entry_price, m) : "0.0"},
                 {"breakEvenPrice", p ? price_text(p->entry_price, m) : "0.0"},
                 {"markPrice", price_text(mark, m)},
                 {"unRealizedProfit", amount8(p ? p->unrealized_pnl : Decimal())},
                 {"liquidationPrice", "0"},
                 {"isolatedMargin", "0"},
                 {"notional", amount8(notional)},
                 {"isolatedWallet", "0"}};
      if (v3) {
        Decimal im = notional.abs().divide(Decimal::from_int(a.futures.leverage_of(m.id)), 8, Rounding::HalfEven);
        j["marginAsset"] = m.quote;
        j["initialMargin"] = amount8(im);
        j["maintMargin"] = amount8(im.divide(Decimal::from_int(2), 8, Rounding::HalfEven));
        j["positionInitialMargin"] = amount8(im);
        j["openOrderInitialMargin"] = "0";
        j["adl"] = 0;
        j["bidNotional"] = "0";
        j["askNotional"] = "0";
      } else {
        j["leverage"] = std::to_string(a.futures.leverage_of(m.id));
        j["marginType"] = a.futures.isolated.count(m.id) ? "isolated" : "cross";
        j["isAutoAddMargin"] = "false";
        j["maxNotionalValue"] = "250000";
      }
      j["updateTime"] = p ? a.now_ms : 0;
      out.push_back(j);
    }
  return out;
}

}  // namespace tb::exsim::binance_futures

namespace tb::exsim::binance_futures {

std::string_view position_side_text(const SimOrder& o) {
  if (!o.position_side || *o.position_side == PositionSide::Both) return "BOTH";
  return *o.position_side == PositionSide::Long ? "LONG" : "SHORT";
}

}  // namespace tb::exsim::binance_futures
