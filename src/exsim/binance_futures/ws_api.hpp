#pragma once
// Binance USD-M's WebSocket API (`/ws-fapi/v1`): a request is one JSON text frame {"id","method","params"},
// signed in its params (apiKey, timestamp, signature over the other params sorted by name and joined as
// `k=v&...`); the answer is one frame {"id","status","result"|"error","rateLimits"}. Each method is the REST
// call it mirrors, so the simulator answers it through the same checks and engine: ws_call() turns the
// frame into that REST request, ws_answer() turns the REST answer into the frame.
#include <optional>
#include <string>
#include <string_view>

#include "exsim/binance_futures/protocol.hpp"
#include "exsim/venue_sim.hpp"

namespace tb::exsim::binance_futures {

struct WsCall {
  std::string id = "null";         // the request's id as JSON text, echoed in the answer
  std::optional<SimRequest> rest;  // the REST request the method mirrors
  std::optional<VenueError> refused;
  bool rate_limits = true;  // the answer lists the rate limits unless the request says returnRateLimits=false
};

WsCall ws_call(std::string_view text, const std::string& peer_ip);
std::string ws_answer(const WsCall& call, const net::HttpResponse& rest);
std::string ws_refusal(const WsCall& call, const VenueError& e);

}  // namespace tb::exsim::binance_futures
