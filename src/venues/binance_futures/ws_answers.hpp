#pragma once
// An answer of Binance USD-M's WebSocket API read back as the REST answer it stands for: its status and its
// result (or error), so the connector maps it as it maps REST. Kept apart from the requests (which sign) so
// that the reading alone can be fuzzed.
#include <string_view>

#include "core/error.hpp"
#include "net/http.hpp"

namespace tb::venues::binance_futures {

// {"id","status","result"|"error"} as the REST answer it stands for: the status and the result's (or the
// error's) JSON as the body. An answer that is not such an object is an error. A compact answer is cut where
// it lies; any other is read through a document, to the same result.
Result<net::HttpResponse> ws_answer_as_response(std::string_view answer);

}  // namespace tb::venues::binance_futures
