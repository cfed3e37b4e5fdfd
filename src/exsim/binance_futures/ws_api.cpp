#include "exsim/binance_futures/ws_api.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

namespace tb::exsim::binance_futures {

namespace {

using json = nlohmann::json;

struct Method {
  std::string_view name;
  std::string_view http_method;
  std::string_view path;
};

// The methods served, each with the REST call it mirrors ("v2/" names the method's second version).
constexpr Method kMethods[] = {
    {"order.place", "POST", "/fapi/v1/order"},
    {"order.cancel", "DELETE", "/fapi/v1/order"},
    {"order.status", "GET", "/fapi/v1/order"},
    {"v2/account.balance", "GET", "/fapi/v2/balance"},
    {"v2/account.position", "GET", "/fapi/v2/positionRisk"},
    {"v2/account.status", "GET", "/fapi/v2/account"},
    {"ticker.price", "GET", "/fapi/v1/ticker/price"},
};

// A parameter's text as it is signed: a string as it is, a number or a boolean as JSON writes it.
std::optional<std::string> param_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  return std::nullopt;
}

// Characters that would change how the mirrored query reads: the venue's parameters never hold them.
bool plain(std::string_view s) { return s.find_first_of("&=%+#") == std::string_view::npos; }

std::string rate_limits(const net::HttpResponse& r) {
  struct Limit {
    std::string_view header, type, interval;
    int num;
    int64_t limit;
  };
  static constexpr Limit kLimits[] = {{"X-MBX-USED-WEIGHT-1M", "REQUEST_WEIGHT", "MINUTE", 1, 2400},
                                      {"X-MBX-ORDER-COUNT-10S", "ORDERS", "SECOND", 10, 300},
                                      {"X-MBX-ORDER-COUNT-1M", "ORDERS", "MINUTE", 1, 1200}};
  std::string out = "[";
  for (auto& l : kLimits) {
    const std::string* count = r.header(l.header);
    if (!count) continue;
    if (out.size() > 1) out += ",";
    out += "{\"rateLimitType\":\"" + std::string(l.type) + "\",\"interval\":\"" + std::string(l.interval) +
           "\",\"intervalNum\":" + std::to_string(l.num) + ",\"limit\":" + std::to_string(l.limit) + ",\"count\":" + *count + "}";
  }
  return out + "]";
}

}  // namespace

WsCall ws_call(std::string_view text, const std::string& peer_ip) {
  WsCall call;
  json req = json::parse(text, nullptr, false);
  if (!req.is_object()) {
    call.refused = VenueError{400, -1135, "Invalid JSON Request"};
    return call;
  }
  if (auto id = req.find("id"); id != req.end() && (id->is_string() || id->is_number_integer() || id->is_null())) call.id = id->dump();
  auto method = req.find("method");
  const Method* m = nullptr;
  if (method != req.end() && method->is_string())
    for (auto& known : kMethods)
      if (known.name == method->get<std::string>()) m = &known;
  if (!m) {
    // Not in our reference: the simulator's own wording, in the venue's error shape.
    call.refused = VenueError{
        400, -1000,
        "Unknown method '" + (method != req.end() && method->is_string() ? method->get<std::string>().substr(0, 40) : "") + "'."};
    return call;
  }
  json params = req.value("params", json::object());
  if (!params.is_object()) {
    call.refused = VenueError{400, -1135, "Invalid 'params' in JSON request; expected an object."};
    return call;
  }
  // Sorted by name (the signature's order); the signature itself goes last, as REST carries it.
  std::map<std::string, std::string> sorted;
  std::string signature, api_key;
  for (auto& [name, value] : params.items()) {
    auto t = param_text(value);
    if (!t || !plain(*t) || !plain(name)) {
      call.refused = VenueError{400, -1100, "Illegal characters found in parameter '" + name.substr(0, 40) + "'."};
      return call;
    }
    if (name == "signature") signature = *t;
    else sorted.emplace(name, *t);
    if (name == "apiKey") api_key = *t;
    if (name == "returnRateLimits" && *t == "false") call.rate_limits = false;
  }
  SimRequest r;
  r.method = std::string(m->http_method);
  r.path = std::string(m->path);
  for (auto& [name, value] : sorted) r.query += (r.query.empty() ? "" : "&") + name + "=" + value;
  if (!signature.empty()) r.query += (r.query.empty() ? "" : "&") + std::string("signature=") + signature;
  if (!api_key.empty()) r.headers.push_back({"X-MBX-APIKEY", api_key});
  r.peer_ip = peer_ip;
  call.rest = std::move(r);
  return call;
}

std::string ws_answer(const WsCall& call, const net::HttpResponse& rest) {
  // The REST answer's body is the venue's JSON already: the result on success, {"code","msg"} on failure.
  std::string out = "{\"id\":" + call.id + ",\"status\":" + std::to_string(rest.status);
  out += rest.status == 200 ? ",\"result\":" : ",\"error\":";
  out += rest.body.empty() ? "{}" : rest.body;
  if (call.rate_limits) out += ",\"rateLimits\":" + rate_limits(rest);
  return out + "}";
}

std::string ws_refusal(const WsCall& call, const VenueError& e) { return ws_answer(call, error_response(e)); }

}  // namespace tb::exsim::binance_futures
