#pragma once
// The CLI's uniform parameters, parsed into typed requests with errors that name the parameter.
#include "core/core.hpp"
#include "venues/venue.hpp"

namespace tb::venues {

Result<std::string> required_param(const ActionParams& p, const std::string& name);
Result<OrderRequest> parse_order_request(const ActionParams& p);  // symbol side type amount [price post_only reduce_only client_order_id]
Result<OrderRef> parse_order_ref(const ActionParams& p);          // symbol? and order_id or client_order_id
Result<CandleQuery> parse_candle_query(const ActionParams& p);    // symbol timeframe? since? limit?
std::optional<std::string> optional_param(const ActionParams& p, const std::string& name);

Error invalid_argument(const std::string& message);
// The connectors place limit and market orders only; any other type (read from venues, never placed) is
// refused here rather than sent as something else.
Status placeable_type(const OrderRequest& r);

}  // namespace tb::venues
