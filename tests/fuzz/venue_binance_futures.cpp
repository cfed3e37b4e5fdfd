// Binance USD-M answers (src/venues/binance_futures/parse.cpp, errors.cpp) as the connector reads them:
// a 2xx body through parse_json_body and the endpoint's reader, anything else through map_error.
// Input and properties: venue_input.hpp; an order answer read in place (parse_order_body) reads as its
// document does.
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
  if (in.reader % 8 == 5) {  // an order answer is read in place where it can be: as its document reads
    auto in_place = bf::parse_order_body(r.body, r.status);
    auto by_document = body ? bf::parse_order(*body) : Result<Order>(body.error());
    FUZZ_CHECK(in_place.ok() == by_document.ok(), "read in place: %s", in_place ? "ok" : in_place.error().message.c_str());
    if (in_place) {
      FUZZ_CHECK(in_place->id == by_document->id && in_place->symbol == by_document->symbol &&
                     in_place->client_order_id == by_document->client_order_id && in_place->status == by_document->status &&
                     in_place->type == by_document->type && in_place->amount == by_document->amount &&
                     in_place->filled == by_document->filled && in_place->price == by_document->price &&
                     in_place->average_price == by_document->average_price && in_place->reduce_only == by_document->reduce_only &&
                     in_place->updated_ms == by_document->updated_ms && in_place->created_ms == by_document->created_ms,
                 "order %s read otherwise in place", by_document->id.c_str());
    } else {
      FUZZ_CHECK(in_place.error().message == by_document.error().message, "%s / %s", in_place.error().message.c_str(),
                 by_document.error().message.c_str());
    }
  }
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
