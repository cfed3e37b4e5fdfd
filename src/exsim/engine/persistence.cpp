// Saving and loading the engine's state as JSON (decimals as strings). Key secrets are saved too: they are
// the simulator's own test keys, not anyone's real credentials. Written to a temporary file and renamed, so a
// crash never leaves half a state. Faults and rate windows are transient and not saved.
#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "exsim/engine/state.hpp"

namespace tb::exsim {

using namespace detail;
using nlohmann::json;

namespace {

constexpr int64_t kSavedBars = 24 * 60;  // the last day of each path; older history is walked again on load

std::string dec(const Decimal& d) { return d.to_string(); }
Decimal dec(const json& j) {
  auto d = Decimal::parse(j.get<std::string>());
  if (!d) throw std::runtime_error("bad decimal " + j.get<std::string>());
  return *d;
}

std::string rng_text(const std::mt19937_64& rng) {
  std::ostringstream out;
  out << rng;
  return out.str();
}
void rng_from(std::mt19937_64& rng, const std::string& text) {
  std::istringstream in(text);
  in >> rng;
  if (!in) throw std::runtime_error("bad generator state");
}

SimOrderStatus status_from(const std::string& s) {
  auto status = parse_sim_order_status(s);
  if (!status) throw std::runtime_error("bad order status " + s);
  return *status;
}

json bar_json(const Bar& b) {
  return json::array(
      {dec(from_units8(b.open)), dec(from_units8(b.high)), dec(from_units8(b.low)), dec(from_units8(b.close)), dec(from_units8(b.volume))});
}
Bar bar_from(const json& j) {
  return Bar{to_units8(dec(j.at(0))), to_units8(dec(j.at(1))), to_units8(dec(j.at(2))), to_units8(dec(j.at(3))), to_units8(dec(j.at(4)))};
}

json account_json(const Account& a) {
  const ApiKey& k = a.key;
  json balances = json::object();
  for (const auto& [asset, b] : a.balances) balances[asset] = {{"total", dec(b.total)}, {"reserved", dec(b.reserved)}};
  json positions = json::array();
  for (const auto& [_, p] : a.positions)
    positions.push_back(
        {{"symbol", p.symbol}, {"side", std::string(to_string(p.side))}, {"amount", dec(p.amount)}, {"entry_price", dec(p.entry_price)}});
  return {{"venue", k.venue},
          {"key", k.key},
          {"secret", k.secret},
          {"label", k.label},
          {"permissions",
           {{"read", k.permissions.read},
            {"trade", k.permissions.trade},
            {"futures", k.permissions.futures},
            {"withdraw", k.permissions.withdraw}}},
          {"ip_whitelist", k.ip_whitelist},
          {"created_ms", k.created_ms},
          {"seq", a.seq},
          {"last_nonce", a.last_nonce},
          {"balances", balances},
          {"positions", positions},
          {"futures", {{"hedge_mode", a.futures.hedge_mode}, {"leverage", a.futures.leverage}, {"isolated", a.futures.isolated}}}};
}

Account account_from(const json& j) {
  Account a;
  ApiKey& k = a.key;
  k.venue = j.at("venue").get<std::string>();
  k.key = j.at("key").get<std::string>();
  k.secret = j.at("secret").get<std::string>();
  k.label = j.at("label").get<std::string>();
  const json& p = j.at("permissions");
  k.permissions =
      KeyPermissions{p.at("read").get<bool>(), p.at("trade").get<bool>(), p.at("futures").get<bool>(), p.at("withdraw").get<bool>()};
  k.ip_whitelist = j.at("ip_whitelist").get<std::vector<std::string>>();
  k.created_ms = j.at("created_ms").get<int64_t>();
  a.seq = j.at("seq").get<uint64_t>();
  a.last_nonce = j.at("last_nonce").get<uint64_t>();
  for (const auto& [asset, b] : j.at("balances").items()) a.balances[asset] = Balance{dec(b.at("total")), dec(b.at("reserved"))};
  for (const json& pj : j.at("positions")) {
    SimPosition pos;
    pos.symbol = pj.at("symbol").get<std::string>();
    pos.amount = dec(pj.at("amount"));
    pos.entry_price = dec(pj.at("entry_price"));
    if (auto side = pj.find("side"); side != pj.end())
      pos.side = parse_position_side(side->get<std::string>()).value_or(PositionSide::Both);
    a.positions[position_key(pos.symbol, pos.side)] = pos;
  }
  if (auto f = j.find("futures"); f != j.end()) {  // absent from state saved before futures settings
    a.futures.hedge_mode = f->at("hedge_mode").get<bool>();
    a.futures.leverage = f->at("leverage").get<std::map<std::string, int>>();
    a.futures.isolated = f->at("isolated").get<std::set<std::string>>();
  }
  return a;
}

json fills_json(const std::vector<SimFill>& fills) {
  json out = json::array();
  for (const SimFill& f : fills)
    out.push_back(
        {{"id", f.id}, {"price", dec(f.price)}, {"qty", dec(f.qty)}, {"fee", dec(f.fee)}, {"maker", f.maker}, {"time_ms", f.time_ms}});
  return out;
}

// State saved before fills were kept: a filled order was one fill at its average price.
std::vector<SimFill> fills_from(const json& j, const SimOrder& o) {
  std::vector<SimFill> out;
  if (auto f = j.find("fills"); f != j.end()) {
    for (const json& fj : *f)
      out.push_back(SimFill{fj.at("id").get<uint64_t>(), dec(fj.at("price")), dec(fj.at("qty")), dec(fj.at("fee")),
                            fj.at("maker").get<bool>(), fj.at("time_ms").get<int64_t>()});
  } else if (o.filled.is_positive()) {
    out.push_back(SimFill{o.id, o.average_price, o.filled, o.fee, false, o.updated_ms});
  }
  return out;
}

json order_json(const SimOrder& o, const Reservation& r) {
  json j = {{"id", o.id},
            {"venue", o.venue},
            {"key", o.key},
            {"symbol", o.symbol},
            {"client_order_id", o.client_order_id},
            {"side", std::string(to_string(o.side))},
            {"type", std::string(to_string(o.type))},
            {"price", o.price ? json(dec(*o.price)) : json(nullptr)},
            {"amount", dec(o.amount)},
            {"filled", dec(o.filled)},
            {"average_price", dec(o.average_price)},
            {"fee", dec(o.fee)},
            {"post_only", o.post_only},
            {"reduce_only", o.reduce_only},
            {"status", to_string(o.status)},
            {"reason", o.reason},
            {"created_ms", o.created_ms},
            {"updated_ms", o.updated_ms},
            {"reserve_asset", r.asset},
            {"reserve_amount", dec(r.amount)}};
  if (o.position_side) j["position_side"] = std::string(to_string(*o.position_side));
  if (o.trigger_price) {
    j["trigger_price"] = dec(*o.trigger_price);
    j["triggered"] = o.triggered;
  }
  if (!o.fills.empty()) j["fills"] = fills_json(o.fills);
  return j;
}

std::pair<SimOrder, Reservation> order_from(const json& j) {
  SimOrder o;
  o.id = j.at("id").get<uint64_t>();
  o.venue = j.at("venue").get<std::string>();
  o.key = j.at("key").get<std::string>();
  o.symbol = j.at("symbol").get<std::string>();
  o.client_order_id = j.at("client_order_id").get<std::string>();
  auto side = parse_side(j.at("side").get<std::string>());
  auto type = parse_order_type(j.at("type").get<std::string>());
  if (!side || !type) throw std::runtime_error("bad order side or type");
  o.side = *side;
  o.type = *type;
  if (!j.at("price").is_null()) o.price = dec(j.at("price"));
  o.amount = dec(j.at("amount"));
  o.filled = dec(j.at("filled"));
  o.average_price = dec(j.at("average_price"));
  o.fee = dec(j.at("fee"));
  o.post_only = j.at("post_only").get<bool>();
  o.reduce_only = j.at("reduce_only").get<bool>();
  o.status = status_from(j.at("status").get<std::string>());
  o.reason = j.at("reason").get<std::string>();
  o.created_ms = j.at("created_ms").get<int64_t>();
  o.updated_ms = j.at("updated_ms").get<int64_t>();
  if (auto ps = j.find("position_side"); ps != j.end()) o.position_side = parse_position_side(ps->get<std::string>());
  if (auto tp = j.find("trigger_price"); tp != j.end()) {
    o.trigger_price = dec(*tp);
    o.triggered = j.at("triggered").get<bool>();
  }
  o.fills = fills_from(j, o);
  return {o, Reservation{j.at("reserve_asset").get<std::string>(), dec(j.at("reserve_amount"))}};
}

json path_json(const PricePath& p) {
  json bars = json::array();
  size_t from = p.bars.size() > static_cast<size_t>(kSavedBars) ? p.bars.size() - kSavedBars : 0;
  for (size_t i = from; i < p.bars.size(); ++i) bars.push_back(bar_json(p.bars[i]));
  json replay = json::array();
  for (const Bar& b : p.replay) replay.push_back(bar_json(b));
  return {{"venue", p.market.venue},
          {"id", p.market.id},
          {"rng", rng_text(p.rng)},
          {"regime", p.regime},
          {"first_minute", p.first_minute + static_cast<int64_t>(from)},
          {"bars", bars},
          {"replay", replay}};
}

}  // namespace

Status Exchange::save(const std::string& path) const {
  json j;
  {
    std::lock_guard lock(mu_);
    const State& s = *state_;
    j["format"] = "tradebridge-exsim-state";
    j["version"] = 1;
    j["seed"] = s.seed;
    j["key_seq"] = s.key_seq;
    j["key_rng"] = rng_text(s.key_rng);
    j["fault_rng"] = rng_text(s.fault_rng);
    json ids = json::object();
    json trade_ids = json::object();
    for (const auto& [venue, book] : s.books) {
      ids[venue] = book.next_order_id;
      trade_ids[venue] = book.next_trade_id;
    }
    j["next_order_ids"] = ids;
    j["next_trade_ids"] = trade_ids;
    json accounts = json::array();
    for (const auto& [_, a] : s.accounts) accounts.push_back(account_json(a));
    j["accounts"] = accounts;
    json orders = json::array();
    for (size_t i = 0; i < s.orders.size(); ++i) orders.push_back(order_json(s.orders[i], s.reservations[i]));
    j["orders"] = orders;
    json paths = json::array();
    for (const auto& [_, p] : s.paths) paths.push_back(path_json(p));
    j["markets"] = paths;
  }
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << j.dump();
    out.flush();
    if (!out) return Error::make(ErrorKind::InvalidArgument, "cannot write the state file " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Error::make(ErrorKind::InvalidArgument, "cannot replace the state file " + path);
  }
  return ok_status();
}

Status Exchange::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::make(ErrorKind::InvalidArgument, "cannot read the state file " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto s = std::make_unique<State>();
  try {
    json j = json::parse(text.str());
    if (j.at("format").get<std::string>() != "tradebridge-exsim-state" || j.at("version").get<int>() != 1)
      return Error::make(ErrorKind::InvalidArgument, "not an exsim state file (version 1): " + path);
    s->seed = j.at("seed").get<uint64_t>();
    s->key_seq = j.at("key_seq").get<uint64_t>();
    rng_from(s->key_rng, j.at("key_rng").get<std::string>());
    rng_from(s->fault_rng, j.at("fault_rng").get<std::string>());
    for (const auto& [venue, id] : j.at("next_order_ids").items()) s->books[venue].next_order_id = id.get<uint64_t>();
    if (auto t = j.find("next_trade_ids"); t != j.end())
      for (const auto& [venue, id] : t->items()) s->books[venue].next_trade_id = id.get<uint64_t>();
    for (const json& aj : j.at("accounts")) {
      Account a = account_from(aj);
      std::string key = a.key.key;
      s->accounts[key] = std::move(a);
    }
    // Markets: the default rules, with the saved recent path; older history is walked back again.
    int64_t now_minute = floor_div(clock_.now_ms(), kMinuteMs);
    for (const SimMarket& m : default_markets(venues_)) s->paths[path_key(m.venue, m.id)].market = m;
    for (const json& pj : j.at("markets")) {
      auto it = s->paths.find(path_key(pj.at("venue").get<std::string>(), pj.at("id").get<std::string>()));
      if (it == s->paths.end()) continue;
      PricePath& p = it->second;
      set_grid(p);
      rng_from(p.rng, pj.at("rng").get<std::string>());
      p.regime = pj.at("regime").get<int>() % 3;
      p.first_minute = pj.at("first_minute").get<int64_t>();
      for (const json& b : pj.at("bars")) p.bars.push_back(bar_from(b));
      for (const json& b : pj.at("replay")) p.replay.push_back(bar_from(b));
      p.seed = s->seed;
      restart_history(p);
    }
    for (auto& [_, p] : s->paths)
      if (p.bars.empty()) init_path(p, s->seed, now_minute);
    // Orders, and the indices that point into them.
    for (const json& oj : j.at("orders")) {
      auto [o, r] = order_from(oj);
      size_t idx = s->orders.size();
      s->books[o.venue].by_id[o.id] = idx;
      auto a = s->accounts.find(o.key);
      if (a != s->accounts.end()) {
        a->second.orders.push_back(idx);
        if (o.status == SimOrderStatus::Open) {
          a->second.open.insert(idx);
          if (!o.client_order_id.empty()) a->second.open_by_client_id[o.client_order_id] = idx;
          auto p = s->paths.find(path_key(o.venue, o.symbol));
          if (p != s->paths.end()) p->second.open_orders.insert(idx);
        }
      }
      s->orders.push_back(std::move(o));
      s->reservations.push_back(std::move(r));
    }
    for (const SimVenue& v : venues_) s->books[v.id];
  } catch (const std::exception& e) {
    return Error::make(ErrorKind::InvalidArgument, std::string("bad state file ") + path + ": " + e.what());
  }
  std::lock_guard lock(mu_);
  state_ = std::move(s);
  return ok_status();
}

}  // namespace tb::exsim
