#pragma once
// Hands each request a connector sends straight to a VenueSim, as the simulator's server would: the
// URL split into path and raw query, headers and body as they are, the peer address from the test.
#include <string>

#include "exsim/venue_sim.hpp"
#include "net/http.hpp"
#include "support/harness.hpp"

namespace tb::test {

using exsim::to_sim_request;

// peer_ip is read at each request, so a test can move the caller to another address.
inline Handler sim_handler(exsim::VenueSim& sim, const std::string* peer_ip) {
  return [&sim, peer_ip](const net::HttpRequest& r) -> Result<net::HttpResponse> { return sim.handle(to_sim_request(r, *peer_ip)); };
}

}  // namespace tb::test
