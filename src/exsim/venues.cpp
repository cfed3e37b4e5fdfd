#include "exsim/venues.hpp"

namespace tb::exsim {

std::vector<std::unique_ptr<VenueSim>> default_venue_sims(Exchange& exchange) {
  std::vector<std::unique_ptr<VenueSim>> out;
  out.push_back(make_binance_futures_sim(exchange));
  out.push_back(make_kraken_sim(exchange));
  out.push_back(make_bitfinex_sim(exchange));
  return out;
}

}  // namespace tb::exsim
