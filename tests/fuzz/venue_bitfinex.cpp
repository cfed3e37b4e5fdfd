// Bitfinex answers (src/venues/bitfinex/parse.cpp, errors.cpp) as the connector reads them (interpret()):
// error_from_response first, whatever the status, then parse_json_body and the endpoint's reader.
// Input and properties: venue_input.hpp.
#include "venue_input.hpp"
#include "venues/bitfinex/errors.hpp"
#include "venues/bitfinex/parse.hpp"
#include "venues/common/json_util.hpp"

using namespace tb;
namespace bfx = tb::venues::bitfinex;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::VenueInput in;
  if (!fuzz::split_venue_input(data, size, in)) return -1;
  const auto& r = in.response;
  if (auto e = bfx::error_from_response(r)) {
    fuzz::check(*e);
    return 0;
  }
  auto body = venues::parse_json_body(r.body, r.status);
  if (!body) {
    fuzz::check(body.error());
    return 0;
  }
  const auto& j = *body;
  switch (in.reader % 9) {
    case 0: fuzz::check(bfx::parse_markets(j)); break;
    case 1: fuzz::check(bfx::parse_ticker(j, "tBTCUSD", 1700000000000)); break;
    case 2: fuzz::check(bfx::parse_candles(j)); break;
    case 3: fuzz::check(bfx::parse_wallets(j)); break;
    case 4: fuzz::check(bfx::parse_order(j)); break;
    case 5: fuzz::check(bfx::parse_orders(j)); break;
    case 6: fuzz::check(bfx::parse_order_notification(j, "on-req")); break;
    case 7: fuzz::check(bfx::parse_order_notification(j, "oc-req")); break;
    case 8: fuzz::check(bfx::parse_permissions(j)); break;
  }
  return 0;
}
