#include "exsim/server/admin_api.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "exsim/server/fault_answers.hpp"

namespace tb::exsim {
namespace {

using nlohmann::json;

constexpr std::string_view kPrefix = "/exsim/v1/";

AdminAnswer ok(json body, bool changed = false) { return {json_answer(200, body.dump()), changed}; }

// `more`: fields that help mend the request (the names an unknown endpoint could have been).
AdminAnswer error(int status, const std::string& field, const std::string& message, json more = json::object()) {
  json body{{"error", field.empty() ? message : field + ": " + message}};
  if (!field.empty()) body["field"] = field;
  body.update(more);
  return {json_answer(status, body.dump()), false};
}

AdminAnswer bad(const std::string& field, const std::string& message, json more = json::object()) {
  return error(400, field, message, std::move(more));
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  auto pairs = net::form_decode(query);
  if (!pairs) return std::nullopt;
  for (auto& [k, v] : *pairs)
    if (k == name) return v;
  return std::nullopt;
}

// The body as a JSON object, or the 400 that says why not.
std::variant<json, AdminAnswer> parse_object(const std::string& body) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad("body", "must be a JSON object");
  return j;
}

json fills_json(const std::vector<SimFill>& fills) {
  json out = json::array();
  for (const SimFill& f : fills)
    out.push_back(json{{"id", f.id},
                       {"price", f.price.to_string()},
                       {"amount", f.qty.to_string()},
                       {"fee", f.fee.to_string()},
                       {"maker", f.maker},
                       {"time_ms", f.time_ms}});
  return out;
}

json order_json(const SimOrder& o) {
  return json{{"id", o.id},
              {"venue", o.venue},
              {"symbol", o.symbol},
              {"client_order_id", o.client_order_id},
              {"side", std::string(to_string(o.side))},
              {"type", std::string(to_string(o.type))},
              {"price", o.price ? json(o.price->to_string()) : json(nullptr)},
              {"amount", o.amount.to_string()},
              {"filled", o.filled.to_string()},
              {"average_price", o.average_price.to_string()},
              {"fee", o.fee.to_string()},
              {"fills", fills_json(o.fills)},
              {"post_only", o.post_only},
              {"reduce_only", o.reduce_only},
              {"status", to_string(o.status)},
              {"reason", o.reason},
              {"created_ms", o.created_ms},
              {"updated_ms", o.updated_ms}};
}

// Count faults show their count and what remains of it; probability faults their probability.
json fault_json(const FaultRecord& r) {
  const Fault& f = r.fault;
  json out{{"id", r.id}, {"venue", f.venue}, {"endpoint", f.endpoint}, {"kind", f.kind}};
  if (f.count > 0) {
    out["count"] = f.count;
    out["remaining"] = r.remaining;
  } else {
    out["probability"] = f.probability;
  }
  if (f.hold_ms) out["hold_ms"] = *f.hold_ms;
  out["fired"] = r.fired;
  out["active"] = r.active();
  return out;
}

json permissions_json(const KeyPermissions& p) {
  return json{{"read", p.read}, {"trade", p.trade}, {"futures", p.futures}, {"withdraw", p.withdraw}};
}

// A decimal given as a JSON string ("1000.5") or an integer (1000); floats are refused because a double
// would not keep the amount exact.
std::optional<Decimal> decimal_field(const json& v) {
  if (v.is_string()) return Decimal::parse(v.get<std::string>());
  if (v.is_number_integer()) return Decimal::parse(v.dump());
  return std::nullopt;
}

}  // namespace

bool AdminApi::known_venue(const std::string& venue) const {
  return std::any_of(venues_.begin(), venues_.end(), [&](const VenueEndpoints& v) { return v.venue == venue; });
}

std::string AdminApi::venue_list() const {
  std::string out;
  for (auto& v : venues_) out += (out.empty() ? "" : ", ") + v.venue;
  return out;
}

const std::vector<std::string>& AdminApi::endpoints_of(const std::string& venue) const {
  return std::find_if(venues_.begin(), venues_.end(), [&](const VenueEndpoints& v) { return v.venue == venue; })->endpoints;
}

AdminApi::AdminApi(Exchange& exchange, std::vector<VenueEndpoints> venues) : exchange_(exchange), venues_(std::move(venues)) {
  route("POST", "keys", [this](const Call& c) { return create_key(c.body); });
  route("GET", "keys", [this](const Call&) { return list_keys(); });
  route("DELETE", "keys/{key}", [this](const Call& c) { return delete_key(c.match.path_params.at(0).second); });
  route("POST", "prices", [this](const Call& c) { return set_price(c.body); });
  route("POST", "faults", [this](const Call& c) { return add_fault(c.body); });
  route("GET", "faults", [this](const Call&) { return list_faults(); });
  route("DELETE", "faults", [this](const Call&) {
    exchange_.clear_faults();
    return ok(json{{"cleared", true}});
  });
  route("GET", "orders", [this](const Call& c) { return list_orders(c.query); });
  route("POST", "fills", [this](const Call& c) { return fill(c.body); });
  route("GET", "markets", [this](const Call& c) { return list_markets(c.query); });
  route("GET", "venues", [this](const Call&) { return list_venues(); });
}

void AdminApi::route(std::string method, std::string_view path, std::function<AdminAnswer(const Call&)> action) {
  auto added = routes_.add(std::move(method), std::string(kPrefix) + std::string(path));
  if (!added) throw std::logic_error("exsim admin API: " + added.error().message);  // a wiring mistake of ours
  actions_.push_back(std::move(action));
}

AdminAnswer AdminApi::handle(std::string_view method, std::string_view path, std::string_view query, const std::string& body) {
  auto m = routes_.match(method, path);
  if (m.found()) return actions_[m.index](Call{m, query, body});
  if (m.outcome == net::PathMatch::Outcome::MethodNotAllowed) {
    std::string allow;
    for (auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
    auto answer = error(405, "", "method " + std::string(method) + " not allowed here; use " + allow);
    answer.response.headers.push_back({"Allow", allow});
    return answer;
  }
  if (m.malformed) return bad("path", "a segment has a bad %-escape or is not UTF-8");
  return error(404, "", "no admin endpoint " + std::string(path));
}

AdminAnswer AdminApi::create_key(const std::string& body) {
  auto parsed = parse_object(body);
  if (auto* e = std::get_if<AdminAnswer>(&parsed)) return *e;
  auto& j = std::get<json>(parsed);
  NewKey spec;
  if (!j.contains("venue") || !j["venue"].is_string() || !known_venue(j["venue"].get<std::string>()))
    return bad("venue", "must be one of " + venue_list());
  spec.venue = j["venue"].get<std::string>();
  if (j.contains("label")) {
    if (!j["label"].is_string() || j["label"].get<std::string>().size() > 100)
      return bad("label", "must be a string of at most 100 characters");
    spec.label = j["label"].get<std::string>();
  }
  if (j.contains("permissions")) {
    auto& p = j["permissions"];
    if (!p.is_object()) return bad("permissions", "must be an object with read, trade, futures, withdraw");
    for (auto& [name, value] : p.items()) {
      if (!value.is_boolean()) return bad("permissions." + name, "must be true or false");
      bool v = value.get<bool>();
      if (name == "read") spec.permissions.read = v;
      else if (name == "trade") spec.permissions.trade = v;
      else if (name == "futures") spec.permissions.futures = v;
      else if (name == "withdraw") spec.permissions.withdraw = v;
      else return bad("permissions." + name, "unknown permission; use read, trade, futures, withdraw");
    }
  }
  if (j.contains("ip_whitelist")) {
    auto& w = j["ip_whitelist"];
    if (!w.is_array()) return bad("ip_whitelist", "must be an array of IP addresses");
    for (auto& ip : w) {
      if (!ip.is_string() || ip.get<std::string>().empty() || ip.get<std::string>().size() > 45)
        return bad("ip_whitelist", "must be an array of IP addresses");
      spec.ip_whitelist.push_back(ip.get<std::string>());
    }
  }
  if (j.contains("balances")) {
    auto& b = j["balances"];
    if (!b.is_object()) return bad("balances", "must be an object of asset -> decimal string");
    for (auto& [asset, value] : b.items()) {
      auto amount = decimal_field(value);
      if (!amount || amount->is_negative()) return bad("balances." + asset, "must be a non-negative decimal string");
      spec.balances[asset] = *amount;
    }
  }
  if (j.contains("secret")) {
    const SimVenue* venue = exchange_.venue(spec.venue);
    if (!venue || !j["secret"].is_string() || !is_secret_format(*venue, j["secret"].get<std::string>()))
      return bad("secret",
                 "must be a secret in the venue's format (" + (venue ? secret_format_text(*venue) : std::string("unknown venue")) + ")");
    spec.secret = j["secret"].get<std::string>();
  }
  auto key = exchange_.create_key(spec);
  if (!key) return bad("", key.error().message);
  return ok(json{{"key", key->key}, {"secret", key->secret}, {"venue", key->venue}, {"label", key->label}}, true);
}

AdminAnswer AdminApi::list_keys() {
  json out = json::array();
  for (auto& k : exchange_.keys()) {
    json balances = json::object();
    for (auto& [asset, b] : exchange_.balances(k.key)) balances[asset] = b.total.to_string();
    out.push_back(json{{"venue", k.venue},
                       {"key", k.key},
                       {"label", k.label},
                       {"permissions", permissions_json(k.permissions)},
                       {"ip_whitelist", k.ip_whitelist},
                       {"created_ms", k.created_ms},
                       {"balances", balances}});
  }
  return ok(json{{"keys", out}});
}

AdminAnswer AdminApi::delete_key(const std::string& key) {
  if (!exchange_.delete_key(key)) return error(404, "key", "no such key");
  return ok(json{{"deleted", key}}, true);
}

AdminAnswer AdminApi::set_price(const std::string& body) {
  auto parsed = parse_object(body);
  if (auto* e = std::get_if<AdminAnswer>(&parsed)) return *e;
  auto& j = std::get<json>(parsed);
  if (!j.contains("venue") || !j["venue"].is_string() || !known_venue(j["venue"].get<std::string>()))
    return bad("venue", "must be one of " + venue_list());
  auto venue = j["venue"].get<std::string>();
  if (!j.contains("symbol") || !j["symbol"].is_string()) return bad("symbol", "must be the venue's market id (BTCUSDT, XXBTZUSD, tBTCUSD)");
  auto symbol = j["symbol"].get<std::string>();
  if (!exchange_.market(venue, symbol)) return bad("symbol", "no market '" + symbol + "' on " + venue);
  auto price = j.contains("price") ? decimal_field(j["price"]) : std::nullopt;
  if (!price || !price->is_positive()) return bad("price", "must be a positive decimal string");
  auto status = exchange_.set_price(venue, symbol, *price);
  if (!status) return bad("price", status.error().message);
  return ok(json{{"venue", venue}, {"symbol", symbol}, {"price", price->to_string()}}, true);
}

AdminAnswer AdminApi::add_fault(const std::string& body) {
  auto parsed = parse_object(body);
  if (auto* e = std::get_if<AdminAnswer>(&parsed)) return *e;
  auto& j = std::get<json>(parsed);
  Fault f;
  if (!j.contains("venue") || !j["venue"].is_string() || !known_venue(j["venue"].get<std::string>()))
    return bad("venue", "must be one of " + venue_list());
  f.venue = j["venue"].get<std::string>();
  f.endpoint = "*";
  if (j.contains("endpoint")) {
    const auto& known = endpoints_of(f.venue);
    auto& e = j["endpoint"];
    // A name the venue never gives would be accepted and never fire: refused, with the names it does give.
    if (!e.is_string() || (e.get<std::string>() != "*" && std::find(known.begin(), known.end(), e.get<std::string>()) == known.end())) {
      std::string list;
      for (auto& name : known) list += (list.empty() ? "" : ", ") + name;
      return bad("endpoint", "unknown on " + f.venue + "; use \"*\" or one of " + list, json{{"known_endpoints", known}});
    }
    f.endpoint = e.get<std::string>();
  }
  if (!j.contains("kind") || !j["kind"].is_string() || !parse_fault_kind(j["kind"].get<std::string>()))
    return bad("kind",
               "must be latency:MS or answer_latency:MS (0..600000), http_500, http_502_html, rate_limit, timeout, reset, bad_json or "
               "maintenance");
  f.kind = j["kind"].get<std::string>();
  bool has_count = j.contains("count"), has_probability = j.contains("probability");
  if (has_count && has_probability) return bad("count", "give count or probability, not both");
  if (has_probability) {
    auto& p = j["probability"];
    if (!p.is_number() || p.get<double>() <= 0 || p.get<double>() > 1) return bad("probability", "must be a number in (0, 1]");
    f.probability = p.get<double>();
  } else if (has_count) {
    auto& c = j["count"];
    if (!c.is_number_integer() || c.get<int64_t>() < 1 || c.get<int64_t>() > 1'000'000)
      return bad("count", "must be an integer from 1 to 1000000");
    f.count = static_cast<int>(c.get<int64_t>());
  } else {
    f.count = 1;
  }
  if (j.contains("hold_ms")) {
    auto& h = j["hold_ms"];
    if (f.kind != "timeout") return bad("hold_ms", "only a timeout holds the request; give it with kind \"timeout\"");
    if (!h.is_number_integer() || h.get<int64_t>() < 0 || h.get<int64_t>() > 600'000)
      return bad("hold_ms", "must be an integer from 0 to 600000");
    f.hold_ms = h.get<int64_t>();
  }
  uint64_t id = exchange_.add_fault(f);
  return ok(fault_json(FaultRecord{id, f, f.count, 0}));
}

AdminAnswer AdminApi::list_faults() {
  json out = json::array();
  for (auto& r : exchange_.faults()) out.push_back(fault_json(r));
  return ok(json{{"faults", out}});
}

AdminAnswer AdminApi::list_orders(std::string_view query) {
  auto key = query_param(query, "key");
  if (!key || key->empty()) return bad("key", "required: ?key=<API key>");
  bool found = false;
  for (auto& k : exchange_.keys()) found = found || k.key == *key;
  if (!found) {
    // A raw '+' of a base64 key arrives as a space through form decoding.
    std::replace(key->begin(), key->end(), ' ', '+');
    for (auto& k : exchange_.keys()) found = found || k.key == *key;
  }
  if (!found) return error(404, "key", "no such key");
  json out = json::array();
  for (auto& o : exchange_.orders(*key)) out.push_back(order_json(o));
  return ok(json{{"orders", out}});
}

AdminAnswer AdminApi::fill(const std::string& body) {
  auto parsed = parse_object(body);
  if (auto* e = std::get_if<AdminAnswer>(&parsed)) return *e;
  auto& j = std::get<json>(parsed);
  if (!j.contains("venue") || !j["venue"].is_string() || !known_venue(j["venue"].get<std::string>()))
    return bad("venue", "must be one of " + venue_list());
  uint64_t id = 0;
  std::string client_order_id, key;
  if (j.contains("order_id") == j.contains("client_order_id")) return bad("order_id", "give order_id or client_order_id, one of them");
  if (j.contains("order_id")) {
    auto d = decimal_field(j["order_id"]);
    if (!d || !d->is_positive() || d->scale() != 0 || d->to_string().size() > 19)
      return bad("order_id", "must be the venue's numeric order id");
    id = std::stoull(d->to_string());
  } else if (!j["client_order_id"].is_string() || j["client_order_id"].get<std::string>().empty()) {
    return bad("client_order_id", "must be a non-empty string");
  } else {
    client_order_id = j["client_order_id"].get<std::string>();
  }
  if (j.contains("key")) {
    if (!j["key"].is_string()) return bad("key", "must be an API key of the venue");
    key = j["key"].get<std::string>();
  }
  auto amount = j.contains("amount") ? decimal_field(j["amount"]) : std::nullopt;
  if (!amount) return bad("amount", "must be a decimal string (the base amount to fill)");
  auto filled = exchange_.fill_part(j["venue"].get<std::string>(), id, client_order_id, key, *amount);
  if (!filled) {
    const std::string& m = filled.error().message;
    std::string field = m.substr(0, m.find(':'));
    return error(filled.error().kind == ErrorKind::Conflict ? 409 : 400, field, m.substr(std::min(m.size(), field.size() + 2)));
  }
  return ok(order_json(*filled), true);
}

AdminAnswer AdminApi::list_markets(std::string_view query) {
  auto venue = query_param(query, "venue");
  if (!venue || !known_venue(*venue)) return bad("venue", "must be one of " + venue_list());
  json out = json::array();
  for (auto& m : exchange_.markets(*venue))
    out.push_back(json{{"id", m.id},
                       {"base", m.base},
                       {"quote", m.quote},
                       {"perpetual", m.perpetual},
                       {"price", exchange_.price(*venue, m.id).to_string()}});
  return ok(json{{"markets", out}});
}

// What the page needs to offer each venue: its name, whether its keys carry a futures right, a new key's balances.
AdminAnswer AdminApi::list_venues() {
  json out = json::array();
  for (const SimVenue& v : exchange_.venues())
    out.push_back(
        json{{"id", v.id}, {"name", v.display_name}, {"futures_right", v.futures_right}, {"default_balances", v.default_balances}});
  return ok(json{{"venues", out}});
}

}  // namespace tb::exsim
