#pragma once
// Orders over Binance USD-M's WebSocket API (`order.place`, `order.cancel`): the same call as the REST one,
// its params (with apiKey, recvWindow and timestamp) signed sorted by name and sent as one JSON request; the
// answer's status and result (or error) read back as the REST answer would be, so the connector maps it the
// same way.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "crypto/signer.hpp"
#include "net/http.hpp"
#include "venues/binance_futures/requests.hpp"

namespace tb::venues::binance_futures {

// The WebSocket API's method for an endpoint, or nullopt for those that stay on REST.
std::optional<std::string_view> ws_method(const Endpoint& ep);

// The request text: {"id":ID,"method":...,"params":{...,"signature":...}}.
Result<std::string> ws_request(const Call& call, std::string_view method, const crypto::Signer& signer, int64_t timestamp_ms,
                               int64_t recv_window_ms, uint64_t id);

// {"id","status","result"|"error"} as the REST answer it stands for: the status and the result's (or the
// error's) JSON as the body. An answer that is not such an object is an error.
Result<net::HttpResponse> ws_answer_as_response(std::string_view answer);

}  // namespace tb::venues::binance_futures
