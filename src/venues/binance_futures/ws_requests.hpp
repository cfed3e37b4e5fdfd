#pragma once
// Orders over Binance USD-M's WebSocket API (`order.place`, `order.cancel`): the same call as the REST one,
// its params (with apiKey, recvWindow and timestamp) signed sorted by name and sent as one JSON request. Its
// answer is read in ws_answers.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "crypto/signer.hpp"
#include "venues/binance_futures/requests.hpp"

namespace tb::venues::binance_futures {

// The WebSocket API's method for an endpoint, or nullopt for those that stay on REST.
std::optional<std::string_view> ws_method(const Endpoint& ep);

// The request text: {"id":ID,"method":...,"params":{...,"signature":...}}.
Result<std::string> ws_request(const Call& call, std::string_view method, const crypto::Signer& signer, int64_t timestamp_ms,
                               int64_t recv_window_ms, uint64_t id);

}  // namespace tb::venues::binance_futures
