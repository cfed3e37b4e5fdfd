#include "exsim/venue_sim.hpp"

namespace tb::exsim {

const std::string* SimRequest::header(std::string_view name) const {
  for (auto& h : headers)
    if (net::iequals(h.name, name)) return &h.value;
  return nullptr;
}

SimRequest to_sim_request(const net::HttpRequest& r, const std::string& peer_ip) {
  SimRequest s;
  s.method = r.method;
  if (auto url = net::parse_url(r.url)) {
    s.path = url->path();
    s.query = url->query();
  } else {
    auto q = r.url.find('?');
    s.path = r.url.substr(0, q);
    s.query = q == std::string::npos ? std::string() : r.url.substr(q + 1);
  }
  s.body = r.body;
  s.headers = r.headers;
  s.peer_ip = peer_ip;
  return s;
}

}  // namespace tb::exsim
