// Kraken's public market-data methods (exchanges.md §3.7), from the engine's markets and price paths.
#include <algorithm>
#include <array>
#include <ctime>
#include <set>

#include "exsim/kraken/methods.hpp"
#include "exsim/kraken/names.hpp"

namespace tb::exsim::kraken {
namespace {

constexpr std::string_view kVenue = "kraken";

std::string param(const PublicCall& c, std::string_view name) {
  auto it = c.params.find(name);
  return it == c.params.end() ? std::string() : it->second;
}

// The pairs a `pair` parameter names (all when absent); nullopt when one is unknown.
std::optional<std::vector<const Pair*>> pairs_named(const PublicCall& c) {
  std::vector<const Pair*> out;
  auto names = param(c, "pair");
  if (names.empty()) {
    for (auto& p : c.pairs.all()) out.push_back(&p);
    return out;
  }
  for (auto& n : split_commas(names)) {
    auto p = c.pairs.find(n);
    if (!p) return std::nullopt;
    out.push_back(p);
  }
  return out;
}

std::string gm_format(int64_t s, const char* format) {
  std::time_t t = static_cast<std::time_t>(s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

net::HttpResponse time_method(const PublicCall& c) {
  int64_t s = c.exchange.clock().now_ms() / 1000;
  return ok({{"unixtime", s}, {"rfc1123", gm_format(s, "%a, %d %b %y %H:%M:%S +0000")}});
}

net::HttpResponse system_status(const PublicCall& c) {
  int64_t s = c.exchange.clock().now_ms() / 1000;
  return ok({{"status", "online"}, {"timestamp", gm_format(s, "%Y-%m-%dT%H:%M:%SZ")}});
}

net::HttpResponse assets(const PublicCall& c) {
  std::vector<std::string> all;  // unified codes, in the order the pairs name them
  for (auto& p : c.pairs.all())
    for (auto& a : {p.market.base, p.market.quote})
      if (std::find(all.begin(), all.end(), a) == all.end()) all.push_back(a);
  json result = json::object();
  auto asked = param(c, "asset");
  if (asked.empty()) {
    for (auto& a : all) result[asset_id(a)] = asset_json(a);
    return ok(result);
  }
  for (auto& name : split_commas(asked)) {
    auto code = unified_asset(name);
    if (!code || std::find(all.begin(), all.end(), *code) == all.end()) return fail("EQuery:Unknown asset");
    result[asset_id(*code)] = asset_json(*code);
  }
  return ok(result);
}

net::HttpResponse asset_pairs(const PublicCall& c) {
  auto info = param(c, "info");
  if (info.empty()) info = "info";
  if (info != "info" && info != "leverage" && info != "fees" && info != "margin") return fail("EGeneral:Invalid arguments:info");
  auto pairs = pairs_named(c);
  if (!pairs) return fail("EQuery:Unknown asset pair");
  json result = json::object();
  for (auto p : *pairs) result[p->market.id] = asset_pair_json(*p, info);
  return ok(result);
}

// Today's (since 00:00 UTC) and the last 24 hours' figures from hourly candles of the price path.
struct DayStats {
  Decimal open, high, low, volume, vwap;
  int64_t trades = 0;
};

DayStats stats_of(const std::vector<SimCandle>& candles, const Decimal& last, int decimals) {
  DayStats s;
  s.open = candles.empty() ? last : candles.front().open;
  s.high = s.low = last;
  Decimal turnover;
  for (auto& k : candles) {
    s.high = std::max(s.high, k.high);
    s.low = std::min(s.low, k.low);
    s.volume += k.volume;
    turnover += k.close * k.volume;
    if (k.volume.is_positive()) s.trades += 1 + static_cast<int64_t>(k.volume.to_double() * 10);
  }
  s.vwap = s.volume.is_positive() ? turnover.divide(s.volume, decimals, Rounding::HalfEven) : last;
  return s;
}

json ticker_json(const PublicCall& c, const Pair& p) {
  const auto& m = p.market;
  int d = p.pair_decimals;
  Decimal last = c.exchange.price(std::string(kVenue), m.id);
  int64_t now = c.exchange.clock().now_ms();
  auto day = c.exchange.candles(std::string(kVenue), m.id, 3'600'000, std::nullopt, 24);
  int64_t midnight = now - now % 86'400'000;
  std::vector<SimCandle> today;
  for (auto& k : day)
    if (k.open_time_ms >= midnight) today.push_back(k);
  auto d24 = stats_of(day, last, d), d0 = stats_of(today, last, d);
  auto px = [&](const Decimal& v) { return fixed(v, d); };
  auto vol = [&](const Decimal& v) { return fixed(v, 8); };
  return {{"a", {px(last + m.tick), "1", "1.000"}}, {"b", {px(last - m.tick), "1", "1.000"}}, {"c", {px(last), vol(m.min_qty)}},
          {"v", {vol(d0.volume), vol(d24.volume)}}, {"p", {px(d0.vwap), px(d24.vwap)}},       {"t", {d0.trades, d24.trades}},
          {"l", {px(d0.low), px(d24.low)}},         {"h", {px(d0.high), px(d24.high)}},       {"o", px(d0.open)}};
}

net::HttpResponse ticker(const PublicCall& c) {
  auto pairs = pairs_named(c);
  if (!pairs) return fail("EQuery:Unknown asset pair");
  json result = json::object();
  for (auto p : *pairs) result[p->market.id] = ticker_json(c, *p);
  return ok(result);
}

std::optional<int64_t> int_param(const PublicCall& c, std::string_view name) {
  auto s = param(c, name);
  if (s.empty()) return std::nullopt;
  auto d = Decimal::parse(s);
  // Seconds, counts and minutes: anything beyond 10^12 is garbage, and must not overflow arithmetic later.
  if (!d || d->abs() > Decimal::from_int(1'000'000'000'000)) return std::nullopt;
  return static_cast<int64_t>(d->rescale(0, Rounding::Floor).units());
}

net::HttpResponse ohlc(const PublicCall& c) {
  auto name = param(c, "pair");
  if (name.empty()) return fail("EGeneral:Invalid arguments");
  auto p = c.pairs.find(name);
  if (!p) return fail("EQuery:Unknown asset pair");
  int64_t interval = 1;
  if (!param(c, "interval").empty()) {
    auto i = int_param(c, "interval");
    constexpr std::array<int64_t, 9> kIntervals{1, 5, 15, 30, 60, 240, 1440, 10080, 21600};
    if (!i || std::find(kIntervals.begin(), kIntervals.end(), *i) == kIntervals.end()) return fail("EGeneral:Invalid arguments");
    interval = *i;
  }
  int64_t tf_ms = interval * 60'000;
  std::optional<int64_t> since_ms;
  if (!param(c, "since").empty()) {
    auto s = int_param(c, "since");
    if (!s) return fail("EGeneral:Invalid arguments:since");
    // Exclusive, and no further back than the 720 most recent candles Kraken keeps.
    int64_t now = c.exchange.clock().now_ms();
    int64_t oldest = now - now % tf_ms - 719 * tf_ms;
    since_ms = std::max(*s * 1000 + 1, oldest);
    since_ms = (*since_ms + tf_ms - 1) / tf_ms * tf_ms;
  }
  auto rows = c.exchange.candles(std::string(kVenue), p->market.id, tf_ms, since_ms, 720);
  json out = json::array();
  int d = p->pair_decimals;
  for (auto& k : rows) {
    Decimal vwap = (k.high + k.low + k.close).divide(Decimal::from_int(3), d, Rounding::HalfEven);
    int64_t count = k.volume.is_positive() ? 1 + static_cast<int64_t>(k.volume.to_double() * 10) : 0;
    out.push_back({k.open_time_ms / 1000, fixed(k.open, d), fixed(k.high, d), fixed(k.low, d), fixed(k.close, d), fixed(vwap, d),
                   fixed(k.volume, 8), count});
  }
  // `last`: the newest committed candle, the cursor for the next poll (the final row is still open).
  int64_t last = rows.size() >= 2 ? rows[rows.size() - 2].open_time_ms / 1000
                 : rows.empty()   ? c.exchange.clock().now_ms() / 1000
                                  : rows.back().open_time_ms / 1000 - interval * 60;
  return ok({{p->market.id, out}, {"last", last}});
}

net::HttpResponse depth(const PublicCall& c) {
  auto name = param(c, "pair");
  if (name.empty()) return fail("EGeneral:Invalid arguments");
  auto p = c.pairs.find(name);
  if (!p) return fail("EQuery:Unknown asset pair");
  int64_t count = 100;
  if (!param(c, "count").empty()) {
    auto n = int_param(c, "count");
    if (!n || *n < 1 || *n > 500) return fail("EGeneral:Invalid arguments:count");
    count = *n;
  }
  const auto& m = p->market;
  Decimal last = c.exchange.price(std::string(kVenue), m.id);
  int64_t now_s = c.exchange.clock().now_ms() / 1000;
  json asks = json::array(), bids = json::array();
  // A thin synthetic book, one tick apart, growing away from the price.
  for (int64_t i = 1; i <= std::min<int64_t>(count, 25); ++i) {
    Decimal offset = m.tick * Decimal::from_int(i);
    Decimal size = m.min_qty * Decimal::from_int(i * 3);
    asks.push_back({fixed(last + offset, p->pair_decimals), fixed(size, p->lot_decimals), now_s});
    if ((last - offset).is_positive()) bids.push_back({fixed(last - offset, p->pair_decimals), fixed(size, p->lot_decimals), now_s});
  }
  return ok({{m.id, {{"asks", asks}, {"bids", bids}}}});
}

constexpr std::array<PublicMethod, 7> kPublic{{
    {"Time", time_method},
    {"SystemStatus", system_status},
    {"Assets", assets},
    {"AssetPairs", asset_pairs},
    {"Ticker", ticker},
    {"OHLC", ohlc},
    {"Depth", depth},
}};

}  // namespace

const PublicMethod* find_public(std::string_view name) {
  for (auto& m : kPublic)
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<std::string> public_method_names() {
  std::vector<std::string> out;
  for (auto& m : kPublic) out.emplace_back(m.name);
  return out;
}

}  // namespace tb::exsim::kraken
