#include "venues/registry.hpp"

#include "venues/binance_futures/binance_futures.hpp"
#include "venues/bitfinex/bitfinex.hpp"
#include "venues/kraken/kraken.hpp"

namespace tb::venues {

const std::vector<VenueInfo>& supported_venues() {
  static const std::vector<VenueInfo> venues = {
      {"binance_futures", "Binance USD-M Futures"},
      {"kraken", "Kraken"},
      {"bitfinex", "Bitfinex"},
  };
  return venues;
}

std::unique_ptr<Venue> make_venue(std::string_view id, VenueContext ctx, VenueConfig config) {
  if (id == "binance_futures") return make_binance_futures(ctx, std::move(config));
  if (id == "kraken") return make_kraken(ctx, std::move(config));
  if (id == "bitfinex") return make_bitfinex(ctx, std::move(config));
  return nullptr;
}

}  // namespace tb::venues
