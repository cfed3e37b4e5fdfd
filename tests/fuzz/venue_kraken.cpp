// Kraken answers (src/venues/kraken/parse.cpp, errors.cpp, symbols.cpp) as the connector reads them:
// unwrap_response (the {"error":[...],"result":...} envelope, gateway pages, 5xx), then the endpoint's
// reader on the result, reached the way kraken.cpp reaches it (pair_entry for Ticker and OHLC, the
// txid-keyed sections for orders). Input and properties: venue_input.hpp.
#include "venue_input.hpp"
#include "venues/kraken/errors.hpp"
#include "venues/kraken/parse.hpp"
#include "venues/kraken/symbols.hpp"

using namespace tb;
namespace kr = tb::venues::kraken;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::VenueInput in;
  if (!fuzz::split_venue_input(data, size, in)) return -1;
  auto result = kr::unwrap_response(in.response);
  if (!result) {
    fuzz::check(result.error());
    return 0;
  }
  const nlohmann::json& j = *result;
  kr::PairBook book;
  book.add("XXBTZUSD", "XBTUSD");
  switch (in.reader % 9) {
    case 0: fuzz::check(kr::parse_server_time(j)); break;
    case 1: {
      auto codes = kr::parse_asset_codes(j);
      fuzz::check(kr::parse_markets(j, codes));
      break;
    }
    case 2: {
      std::string key;
      if (auto* entry = kr::pair_entry(j, "XBTUSD", book, &key)) fuzz::check(kr::parse_ticker(*entry, key));
      break;
    }
    case 3:
      if (auto* entry = kr::pair_entry(j, "XXBTZUSD", book)) fuzz::check(kr::parse_candles(*entry));
      break;
    case 4: fuzz::check(kr::parse_balances(j)); break;
    case 5:
      if (j.is_object() && !j.empty()) fuzz::check(kr::parse_order(j.begin().key(), j.begin().value()));
      break;
    case 6:
      for (const char* section : {"open", "closed"})
        if (j.is_object() && j.contains(section)) fuzz::check(kr::parse_orders(j.at(section)));
      fuzz::check(kr::parse_orders(j));
      break;
    case 7: {
      OrderRequest req;
      req.symbol = "XXBTZUSD";
      req.side = (in.reader & 0x80) ? Side::Sell : Side::Buy;
      req.type = (in.reader & 0x40) ? OrderType::Market : OrderType::Limit;
      req.amount = *Decimal::parse("0.01");
      if (req.type == OrderType::Limit) req.price = Decimal::parse("30000.1");
      req.client_order_id = "tb-fuzz-1";
      fuzz::check(kr::parse_add_order(j, req, 1700000000000));
      break;
    }
    case 8: fuzz::check(kr::parse_key_info(j)); break;
  }
  return 0;
}
