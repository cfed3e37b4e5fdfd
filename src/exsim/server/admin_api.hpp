#pragma once
// The simulator's admin API (JSON over HTTP, no authentication: loopback only):
//   POST   /exsim/v1/keys          {"venue","label","permissions":{"read","trade","futures","withdraw"},
//                                    "ip_whitelist":[...],"balances":{"USDT":"1000"}} -> {"key","secret",...}
//   GET    /exsim/v1/keys          -> {"keys":[{venue,key,label,permissions,ip_whitelist,created_ms,balances}]}
//   DELETE /exsim/v1/keys/{key}    -> {"deleted":key}
//   POST   /exsim/v1/prices        {"venue","symbol","price"}
//   POST   /exsim/v1/faults        {"venue","endpoint","kind","count"|"probability","hold_ms"} -> the fault with its id
//   GET    /exsim/v1/faults        -> {"faults":[{id,venue,endpoint,kind,count,remaining|probability,hold_ms,fired,active}]}
//   DELETE /exsim/v1/faults        clears every fault
//   GET    /exsim/v1/orders?key=K  -> {"orders":[...]} (decimals as strings, each order with its "fills")
//   POST   /exsim/v1/fills         {"venue","order_id"|"client_order_id","key"?,"amount"} -> the order: fills that
//                                   much of a resting order now at its limit price, as a maker (a partial fill on
//                                   demand); 409 when a reduce-only order would not reduce the position
//   GET    /exsim/v1/markets?venue=V -> {"markets":[...]}
//   GET    /exsim/v1/venues        -> {"venues":[{id,name,futures_right,default_balances}]}
// Bad input: 400 {"error":"<field>: <what is wrong>","field":"<field>"}. Routing is net::RouteTable's, as in
// the REST API: another method on a known path is 405 with Allow, an unknown path 404, a path with a bad
// %-escape 400 (field "path").
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "exsim/engine/exchange.hpp"
#include "net/http.hpp"
#include "net/router.hpp"

namespace tb::exsim {

// A venue the simulator serves and the endpoint names its faults can take (VenueSim::endpoint_names).
struct VenueEndpoints {
  std::string venue;
  std::vector<std::string> endpoints;
};

struct AdminAnswer {
  net::HttpResponse response;
  bool changed = false;  // the state changed: save it
};

class AdminApi {
 public:
  AdminApi(Exchange& exchange, std::vector<VenueEndpoints> venues);
  AdminApi(const AdminApi&) = delete;  // the routes' actions hold `this`
  AdminApi& operator=(const AdminApi&) = delete;
  // path starts with /exsim/v1/; query is raw, without '?'.
  AdminAnswer handle(std::string_view method, std::string_view path, std::string_view query, const std::string& body);

 private:
  // What a route is given: the path's {name} values (decoded), the raw query, the body.
  struct Call {
    const net::PathMatch& match;
    std::string_view query;
    const std::string& body;
  };
  void route(std::string method, std::string_view path, std::function<AdminAnswer(const Call&)> action);

  AdminAnswer create_key(const std::string& body);
  AdminAnswer list_keys();
  AdminAnswer delete_key(const std::string& key);
  AdminAnswer set_price(const std::string& body);
  AdminAnswer add_fault(const std::string& body);
  AdminAnswer list_faults();
  AdminAnswer list_orders(std::string_view query);
  AdminAnswer fill(const std::string& body);
  AdminAnswer list_markets(std::string_view query);
  AdminAnswer list_venues();
  bool known_venue(const std::string& venue) const;
  std::string venue_list() const;
  const std::vector<std::string>& endpoints_of(const std::string& venue) const;  // the venue must be known

  Exchange& exchange_;
  std::vector<VenueEndpoints> venues_;
  net::RouteTable routes_;
  std::vector<std::function<AdminAnswer(const Call&)>> actions_;  // actions_[i] answers routes_.routes()[i]
};

}  // namespace tb::exsim
