#include "robots/catalogue.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "robots/candles.hpp"
#include "robots/registry.hpp"

namespace tb::robots {

namespace {

std::string choices(const std::vector<KnownMarket>& markets, std::string_view venue) {
  std::string out;
  for (const auto& m : markets)
    if (venue.empty() ? out.find(m.venue) == std::string::npos : m.venue == venue)
      out += (out.empty() ? "" : ", ") + (venue.empty() ? m.venue : m.symbol);
  return out;
}

Result<const KnownMarket*> market_of(const RobotSpec& spec, const std::vector<KnownMarket>& markets) {
  bool venue_known = false;
  for (const auto& m : markets) {
    venue_known = venue_known || m.venue == spec.venue;
    if (m.venue == spec.venue && m.symbol == spec.symbol) return &m;
  }
  if (!venue_known) return Error::invalid("venue", "unknown venue '" + spec.venue + "'; one of: " + choices(markets, ""));
  return Error::invalid("symbol",
                        "the venue " + spec.venue + " has no market '" + spec.symbol + "'; one of: " + choices(markets, spec.venue));
}

}  // namespace

const KnownMarket* find_market(const std::vector<KnownMarket>& markets, std::string_view venue, std::string_view symbol) {
  for (const auto& m : markets)
    if (m.venue == venue && m.symbol == symbol) return &m;
  return nullptr;
}

Result<store::Robot> add_robot(store::RobotStore& store, const RobotSpec& spec, const std::vector<KnownMarket>& markets) {
  if (!find_strategy(spec.strategy))
    return Error::invalid("strategy", "unknown strategy '" + spec.strategy + "'; one of: " + strategy_ids());
  auto market = market_of(spec, markets);
  if (!market) return market.error();
  auto tf = parse_robot_timeframe(spec.timeframe);
  if (!tf) return tf.error();
  auto made = make_strategy(spec.strategy, spec.params_json, MarketTraits{(*market)->shorts, Decimal()});
  if (!made) return made.error();
  store::Robot r;
  r.strategy = spec.strategy;
  r.params_json = params_json(find_strategy(spec.strategy)->schema, made->params).dump();
  r.venue = spec.venue;
  r.symbol = spec.symbol;
  r.timeframe = *tf;
  r.starts_ms = spec.starts_ms.value_or(0);
  if (r.starts_ms < 0) return Error::invalid("since", "before 1970");
  r.name = spec.name.empty() ? spec.strategy + " " + spec.symbol + " " + spec.timeframe + " " + spec.venue : spec.name;
  if (r.name.size() > 64) return Error::invalid("name", "at most 64 characters");
  return store.create_robot(r);
}

Result<store::Robot> find_robot(store::RobotStore& store, std::string_view id_or_name) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(id_or_name.data(), id_or_name.data() + id_or_name.size(), id);
  auto found =
      ec == std::errc() && end == id_or_name.data() + id_or_name.size() ? store.find_robot(id) : store.find_robot_by_name(id_or_name);
  if (!found) return found.error();
  if (!found->has_value()) return Error::about(ErrorKind::NotFound, "robot", "no robot '" + std::string(id_or_name) + "'");
  return **found;
}

Result<size_t> seed_catalogue(store::Store& store, const std::vector<KnownMarket>& markets) {
  size_t added = 0;
  Status st = store.with_transaction([&](store::Store& s) -> Status {
    auto first = s.claim_catalogue_seed();
    if (!first) return first.error();
    if (!*first) return ok_status();
    for (const auto& info : strategies())
      for (const auto& m : markets) {
        if (m.base != "BTC" && m.base != "ETH") continue;
        for (const char* tf : {"1h", "4h"}) {
          auto r = add_robot(s, RobotSpec{"", info.id, "", m.venue, m.symbol, tf}, markets);
          if (!r) return r.error();
          ++added;
        }
      }
    return ok_status();
  });
  if (!st) return st.error();
  return added;
}

}  // namespace tb::robots
