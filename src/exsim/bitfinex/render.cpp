#include "exsim/bitfinex/render.hpp"

#include "exsim/bitfinex/order_types.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "exsim/bitfinex/protocol.hpp"

namespace tb::exsim::bitfinex {
namespace {

Decimal signed_amount(const SimOrder& o, const Decimal& a) { return o.side == Side::Sell ? -a : a; }

std::string at_price(const SimOrder& o, const Decimal& filled) {
  return " @ " + number(o.average_price) + "(" + number(signed_amount(o, filled)) + ")";
}

std::string_view currency_label(std::string_view c) {
  if (c == "BTC") return "Bitcoin";
  if (c == "ETH") return "Ethereum";
  if (c == "SOL") return "Solana";
  if (c == "XRP") return "XRP";
  if (c == "USD") return "US Dollar";
  if (c == "UST") return "Tether USDt";
  return c;
}

}  // namespace

std::string order_status_text(const SimOrder& o) {
  bool some = o.filled.is_positive();
  switch (o.status) {
    case SimOrderStatus::Open: return some ? "PARTIALLY FILLED" + at_price(o, o.filled) : "ACTIVE";
    case SimOrderStatus::Filled: return "EXECUTED" + at_price(o, o.filled);
    case SimOrderStatus::Canceled:
      if (o.reason == "post_only") return "POSTONLY CANCELED";
      return some ? "CANCELED was: PARTIALLY FILLED" + at_price(o, o.filled) : "CANCELED";
    case SimOrderStatus::Rejected: return "RSN_DUST";
    case SimOrderStatus::Expired: return some ? "CANCELED was: PARTIALLY FILLED" + at_price(o, o.filled) : "CANCELED";
  }
  return "ACTIVE";
}

int64_t shown_cid(const SimOrder& o) {
  int64_t cid = 0;
  const auto& s = o.client_order_id;
  if (!s.empty() && std::from_chars(s.data(), s.data() + s.size(), cid).ec == std::errc{}) return cid;
  return o.created_ms;
}

void append_order(std::string& out, const SimOrder& o, std::string_view status_override) {
  int flags = (o.post_only ? kFlagPostOnly : 0) | (o.reduce_only ? kFlagReduceOnly : 0);
  // Market orders show the price they executed at; STOP and STOP LIMIT their trigger, whose limit is
  // PRICE_AUX_LIMIT.
  Decimal price = o.trigger_price ? *o.trigger_price : o.price ? *o.price : o.average_price;
  Decimal aux = o.trigger_price && o.price ? *o.price : Decimal();
  out += '[';
  out += std::to_string(o.id);
  out += ",null,";
  out += std::to_string(shown_cid(o));
  out += ',';
  append_json_string(out, o.symbol);
  out += ',' + std::to_string(o.created_ms) + ',' + std::to_string(o.updated_ms) + ',';
  out += number(signed_amount(o, o.amount - o.filled)) + ',' + number(signed_amount(o, o.amount)) + ',';
  append_json_string(out, type_text(o.type));
  out += ",null,null,null," + std::to_string(flags) + ',';
  append_json_string(out, status_override.empty() ? order_status_text(o) : std::string(status_override));
  out += ",null,null," + number(price) + ',' + number(o.average_price) + ",0," + number(aux) + ",null,null,null,0,0,null,null,null,";
  append_json_string(out, "API>BFX");
  out += o.post_only ? ",null,null,{\"$F7\":1}]" : ",null,null,{}]";
}

std::string order_trades(const SimOrder& o, const SimMarket& m) {
  std::string out = "[";
  for (const SimFill& f : o.fills) {
    if (out.size() > 1) out += ',';
    out += '[' + std::to_string(f.id) + ',';
    append_json_string(out, o.symbol);
    out +=
        ',' + std::to_string(f.time_ms) + ',' + std::to_string(o.id) + ',' + number(signed_amount(o, f.qty)) + ',' + number(f.price) + ',';
    append_json_string(out, type_text(o.type));
    out += ',' + (o.price ? number(*o.price) : number(f.price)) + ',' + (f.maker ? "1" : "-1") + ',' + number(-f.fee) + ',';
    append_json_string(out, venue_currency(m.quote));
    out += ',' + std::to_string(shown_cid(o)) + ']';
  }
  return out + "]";
}

std::string orders_array(const std::vector<SimOrder>& orders) {
  std::string out = "[";
  for (size_t i = 0; i < orders.size(); ++i) {
    if (i) out += ',';
    append_order(out, orders[i]);
  }
  out += ']';
  return out;
}

std::string notification(int64_t mts, std::string_view type, const std::string& data, std::string_view text) {
  std::string out = "[" + std::to_string(mts) + ',';
  append_json_string(out, type);
  out += ",null,null," + data + ",null,\"SUCCESS\",";
  append_json_string(out, text);
  out += ']';
  return out;
}

std::string wallets(const std::map<std::string, Balance>& balances) {
  std::string out = "[";
  bool first = true;
  for (const auto& [asset, b] : balances) {
    if (!first) out += ',';
    first = false;
    out += "[\"exchange\",";
    append_json_string(out, venue_currency(asset));
    out += ',' + number(b.total) + ",0," + number(b.free()) + ",null,null]";
  }
  out += ']';
  return out;
}

std::string permissions(const KeyPermissions& p) {
  auto row = [](std::string_view scope, bool read, bool write) {
    return "[\"" + std::string(scope) + "\"," + (read ? "1" : "0") + "," + (write ? "1" : "0") + "]";
  };
  bool r = p.read;
  return "[" + row("account", r, false) + "," + row("history", r, false) + "," + row("orders", r, p.trade) + "," +
         row("positions", r, p.futures) + "," + row("funding", r, false) + "," + row("settings", r, false) + "," +
         row("wallets", r, false) + "," + row("withdraw", p.withdraw, p.withdraw) + "," + row("ui_withdraw", false, false) + "," +
         row("bfxpay", false, false) + "]";
}

TickerFields ticker_fields(Exchange& ex, const SimMarket& m) {
  TickerFields t;
  t.last = ex.price(m.venue, m.id);
  // One price for both sides: the engine fills at the current price.
  t.bid = t.ask = t.last;
  t.bid_size = t.ask_size = Decimal::from_int(10);
  auto day = ex.candles(m.venue, m.id, 3'600'000, std::nullopt, 24);
  t.high = t.low = t.last;
  Decimal open = t.last;
  if (!day.empty()) {
    open = day.front().open;
    for (const auto& c : day) {
      t.high = std::max(t.high, c.high);
      t.low = std::min(t.low, c.low);
      t.volume += c.volume;
    }
  }
  t.change = t.last - open;
  t.change_relative = open.is_zero() ? Decimal() : t.change.divide(open, 4, Rounding::HalfEven);
  return t;
}

void append_ticker(std::string& out, const TickerFields& t) {
  out += number(t.bid) + ',' + number(t.bid_size) + ',' + number(t.ask) + ',' + number(t.ask_size) + ',' + number(t.change) + ',' +
         number(t.change_relative) + ',' + number(t.last) + ',' + number(t.volume) + ',' + number(t.high) + ',' + number(t.low);
}

std::string candle_rows(const std::vector<SimCandle>& candles) {
  std::string out = "[";
  for (size_t i = 0; i < candles.size(); ++i) {
    const auto& c = candles[i];
    if (i) out += ',';
    out += '[' + std::to_string(c.open_time_ms) + ',' + number(c.open) + ',' + number(c.close) + ',' + number(c.high) + ',' +
           number(c.low) + ',' + number(c.volume) + ']';
  }
  out += ']';
  return out;
}

std::string conf_element(std::string_view key, const std::vector<SimMarket>& markets) {
  std::string out = "[";
  auto list = [&](const std::vector<std::string>& items) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += ',';
      append_json_string(out, items[i]);
    }
  };
  std::vector<std::string> currencies;
  {
    std::set<std::string> seen;
    for (const auto& m : markets)
      for (const auto* c : {&m.base, &m.quote})
        if (seen.insert(venue_currency(*c)).second) currencies.push_back(venue_currency(*c));
  }
  if (key == "pub:info:pair") {
    // [PAIR, [null,null,null,MIN_ORDER_SIZE,MAX_ORDER_SIZE,null,null,null,INITIAL_MARGIN,MIN_MARGIN,null,null]]
    for (size_t i = 0; i < markets.size(); ++i) {
      if (i) out += ',';
      out += '[';
      append_json_string(out, pair_of(markets[i].id));
      out += ",[null,null,null,";
      append_json_string(out, markets[i].min_qty.to_plain_string());
      out += ',';
      append_json_string(out, markets[i].max_qty.is_zero() ? std::string("2000.0") : markets[i].max_qty.to_plain_string());
      out += ",null,null,null,null,null,null,null]]";
    }
  } else if (key == "pub:list:pair:exchange") {
    std::vector<std::string> pairs;
    for (const auto& m : markets) pairs.push_back(pair_of(m.id));
    list(pairs);
  } else if (key == "pub:list:currency") {
    list(currencies);
  } else if (key == "pub:map:currency:sym") {
    out += "[\"UST\",\"USDt\"]";
  } else if (key == "pub:map:currency:label") {
    for (size_t i = 0; i < currencies.size(); ++i) {
      if (i) out += ',';
      out += '[';
      append_json_string(out, currencies[i]);
      out += ',';
      append_json_string(out, currency_label(currencies[i]));
      out += ']';
    }
  } else if (key == "pub:info:pair:futures" || key == "pub:list:pair:margin" || key == "pub:list:pair:securities" ||
             key == "pub:list:pair:futures" || key == "pub:list:currency:margin" || key == "pub:info:tx:status" ||
             key == "pub:map:tx:method" || key.starts_with("pub:map:currency:")) {
    // Lists the simulator has nothing for: empty, as the venue sends an empty list.
  } else {
    return "null";
  }
  out += ']';
  return out;
}

}  // namespace tb::exsim::bitfinex
