// Exchange construction: the default markets with their price paths, and the seeded generators.
#include "exsim/engine/state.hpp"

namespace tb::exsim {

using namespace detail;

Exchange::Exchange(const Clock& clock, uint64_t seed) : clock_(clock), state_(std::make_unique<State>()) {
  State& s = *state_;
  s.seed = seed;
  s.key_rng.seed(seed);
  s.fault_rng.seed(seed ^ 0x9e3779b97f4a7c15ull);
  int64_t now_minute = floor_div(clock_.now_ms(), kMinuteMs);
  for (const SimMarket& m : default_markets()) {
    PricePath& p = s.paths[path_key(m.venue, m.id)];
    p.market = m;
    init_path(p, seed, now_minute);
  }
  for (const char* venue : {"binance_futures", "kraken", "bitfinex"}) s.books[venue];
}

Exchange::~Exchange() = default;

}  // namespace tb::exsim
