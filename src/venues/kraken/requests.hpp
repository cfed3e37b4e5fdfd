#pragma once
// What each Kraken action sends: the endpoint and its parameters in wire order (nonce is added when the
// request is signed). Pure: no clock, no key. Input checks that Kraken would otherwise reject live here,
// before anything is sent.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/core.hpp"
#include "venues/kraken/endpoints.hpp"
#include "venues/venue.hpp"

namespace tb::venues::kraken {

using Params = std::vector<std::pair<std::string, std::string>>;

struct Call {
  Endpoint endpoint;
  Params params;
};

// cl_ord_id: a long UUID (8-4-4-4-12 hex), a short UUID (32 hex) or free text of at most 18 ASCII chars.
bool valid_client_order_id(std::string_view id);
int interval_minutes(Timeframe tf);

Result<Call> add_order_call(const OrderRequest& r);
Result<Call> cancel_order_call(const OrderRef& ref);
Call query_order_call(const std::string& txid);
Call open_orders_call(const std::string& client_order_id = {});
Call closed_orders_call(const std::string& client_order_id);
Result<Call> ticker_call(const std::string& symbol);
Result<Call> ohlc_call(const CandleQuery& q);

}  // namespace tb::venues::kraken
