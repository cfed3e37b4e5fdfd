#include "exsim/binance_futures/settings.hpp"

#include "exsim/binance_futures/render.hpp"

namespace tb::exsim::binance_futures {
namespace {

constexpr std::string_view kVenue = "binance_futures";

net::HttpResponse fail(const VenueError& e) { return error_response(e); }
net::HttpResponse ok(const ojson& j) { return json_ok(j.dump()); }
net::HttpResponse success() { return ok({{"code", 200}, {"msg", "success"}}); }

bool has_position(Exchange& ex, const ApiKey& key, const std::string& symbol) {
  for (auto& p : ex.positions(key.key))
    if (symbol.empty() || p.symbol == symbol) return true;
  return false;
}

}  // namespace

std::optional<SimMarket> market_of(const Exchange& ex, const Params& p, VenueError* e) {
  const std::string* s = p.get("symbol");
  if (!s || s->empty()) {
    *e = mandatory_param("symbol");
    return std::nullopt;
  }
  auto m = ex.market(std::string(kVenue), *s);
  if (!m) *e = invalid_symbol();
  return m;
}

net::HttpResponse get_position_mode(Exchange& ex, const ApiKey& key) {
  return ok({{"dualSidePosition", ex.futures_config(key.key).hedge_mode}});
}

net::HttpResponse set_position_mode(Exchange& ex, const ApiKey& key, const Params& p) {
  const std::string* dual = p.get("dualSidePosition");
  if (!dual || dual->empty()) return fail(mandatory_param("dualSidePosition"));
  if (*dual != "true" && *dual != "false") return fail(param_not_valid("dualSidePosition"));
  bool hedge = *dual == "true";
  if (ex.futures_config(key.key).hedge_mode == hedge) return fail({400, -4059, "No need to change position side."});
  if (!ex.open_orders(key.key).empty()) return fail({400, -4067, "Position side cannot be changed if there exists open orders."});
  if (has_position(ex, key, "")) return fail({400, -4068, "Position side cannot be changed if there exists position."});
  if (auto s = ex.set_hedge_mode(key.key, hedge); !s) return fail({400, -1000, s.error().message});
  return success();
}

net::HttpResponse set_leverage(Exchange& ex, const ApiKey& key, const Params& p) {
  VenueError e{};
  auto m = market_of(ex, p, &e);
  if (!m) return fail(e);
  const std::string* text = p.get("leverage");
  if (!text || text->empty()) return fail(mandatory_param("leverage"));
  auto leverage = parse_int(*text);
  if (!leverage || *leverage < 1 || *leverage > kMaxLeverage) return fail({400, -4028, "Leverage " + *text + " is not valid"});
  if (auto s = ex.set_leverage(key.key, m->id, static_cast<int>(*leverage)); !s) return fail({400, -1000, s.error().message});
  return ok({{"leverage", *leverage}, {"maxNotionalValue", "250000"}, {"symbol", m->id}});
}

net::HttpResponse set_margin_type(Exchange& ex, const ApiKey& key, const Params& p) {
  VenueError e{};
  auto m = market_of(ex, p, &e);
  if (!m) return fail(e);
  const std::string* type = p.get("marginType");
  if (!type || type->empty()) return fail(mandatory_param("marginType"));
  if (*type != "ISOLATED" && *type != "CROSSED") return fail(param_not_valid("marginType"));
  bool isolated = *type == "ISOLATED";
  if (ex.futures_config(key.key).isolated.count(m->id) == (isolated ? 1u : 0u)) return fail({400, -4046, "No need to change margin type."});
  if (!ex.open_orders(key.key, m->id).empty()) return fail({400, -4047, "Margin type cannot be changed if there exists open orders."});
  if (has_position(ex, key, m->id)) return fail({400, -4048, "Margin type cannot be changed if there exists position."});
  if (auto s = ex.set_isolated(key.key, m->id, isolated); !s) return fail({400, -1000, s.error().message});
  return success();
}

std::optional<VenueError> read_position_side(const FuturesConfig& f, const Params& p, OrderSpec& spec) {
  const VenueError mismatch{400, -4061, "Order's position side does not match user's setting."};
  const std::string* ps = p.get("positionSide");
  if (!f.hedge_mode) {
    if (ps && *ps != "BOTH") return mismatch;
    return std::nullopt;
  }
  if (!ps || (*ps != "LONG" && *ps != "SHORT")) return mismatch;
  if (p.has("reduceOnly")) return VenueError{400, -1106, "Parameter 'reduceonly' sent when not required."};
  spec.position_side = *ps == "LONG" ? PositionSide::Long : PositionSide::Short;
  spec.reduce_only = (spec.side == Side::Sell) == (*spec.position_side == PositionSide::Long);
  return std::nullopt;
}

}  // namespace tb::exsim::binance_futures
