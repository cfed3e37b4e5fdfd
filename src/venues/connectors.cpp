// make_venue (registry.hpp): each venue's connector by its id.
#include "venues/binance_futures/binance_futures.hpp"
#include "venues/bitfinex/bitfinex.hpp"
#include "venues/kraken/kraken.hpp"
#include "venues/registry.hpp"

namespace tb::venues {

std::unique_ptr<Venue> make_venue(std::string_view id, VenueContext ctx, VenueConfig config) {
  if (id == "binance_futures") return make_binance_futures(ctx, std::move(config));
  if (id == "kraken") return make_kraken(ctx, std::move(config));
  if (id == "bitfinex") return make_bitfinex(ctx, std::move(config));
  return nullptr;
}

std::unique_ptr<Venue> make_venue(std::string_view id, VenueContext ctx) { return make_venue(id, ctx, VenueConfig{}); }

}  // namespace tb::venues
