#pragma once
// Binance USD-M Futures as data: names, key formats, key guide, refusal advice (venues/description.hpp).
#include "venues/description.hpp"

namespace tb::venues::binance_futures {

const VenueDescription& description();

// The id an answer of the WebSocket API echoes ({"id":N,...} as the venue writes it), to match it to its call.
std::optional<uint64_t> ws_answer_id(std::string_view answer);

}  // namespace tb::venues::binance_futures
