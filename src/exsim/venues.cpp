#include "exsim/venues.hpp"

#include "exsim/binance_futures/description.hpp"
#include "exsim/bitfinex/description.hpp"
#include "exsim/kraken/description.hpp"

namespace tb::exsim {

std::vector<std::unique_ptr<VenueSim>> default_venue_sims(Exchange& exchange) {
  std::vector<std::unique_ptr<VenueSim>> out;
  out.push_back(make_binance_futures_sim(exchange));
  out.push_back(make_kraken_sim(exchange));
  out.push_back(make_bitfinex_sim(exchange));
  return out;
}

const std::vector<SimVenue>& default_sim_venues() {
  static const std::vector<SimVenue> venues = {binance_futures::description(), kraken::description(), bitfinex::description()};
  return venues;
}

// The engine's defaults are the registry's venues; the engine itself names none.
Exchange::Exchange(const Clock& clock, std::optional<uint64_t> seed) : Exchange(clock, seed, default_sim_venues()) {}

bool is_secret_format(const std::string& venue, std::string_view secret) {
  for (const SimVenue& v : default_sim_venues())
    if (v.id == venue) return is_secret_format(v, secret);
  return false;
}

}  // namespace tb::exsim
