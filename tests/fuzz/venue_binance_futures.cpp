// Binance USD-M answers (src/venues/binance_futures/parse.cpp, errors.cpp) as the connector reads them:
// a 2xx body through parse_json_body and the endpoint's reader, anything else through map_error.
// Input and properties: venue_input.hpp.
#include "venue_input.hpp"
#include "venues/binance_futures/errors.hpp"
#include "venues/binance_futures/parse.hpp"

using namespace tb;
namespace bf = tb::venues::binance_futures;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::VenueInput in;
  if (!fuzz::split_venue_input(data, size, in)) return -1;
  const auto& r = in.response;
  if (r.status < 200 || r.status >= 300) {
    Error e = bf::map_error(r);
    fuzz::check(e);
    (void)bf::is_documented_failure(e);
    return 0;
  }
  auto body = venues::parse_json_body(r.body, r.status);
  if (!body) {
    fuzz::check(body.error());
    return 0;
  }
  const auto& j = *body;
  switch (in.reader % 8) {
    case 0: fuzz::check(bf::parse_server_time(j)); break;
    case 1: fuzz::check(bf::parse_markets(j)); break;
    case 2: fuzz::check(bf::parse_ticker(j)); break;
    case 3: fuzz::check(bf::parse_candles(j)); break;
    case 4: fuzz::check(bf::parse_account(j)); break;
    case 5: fuzz::check(bf::parse_order(j)); break;
    case 6: fuzz::check(bf::parse_orders(j)); break;
    case 7: fuzz::check(bf::parse_permissions(j)); break;
  }
  return 0;
}
