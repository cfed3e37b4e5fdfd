// Exchange construction: the default markets with their price paths, and the seeded generators.
#include <cstring>

#include "crypto/aead.hpp"
#include "exsim/engine/state.hpp"

namespace tb::exsim {

using namespace detail;

namespace {

uint64_t random_seed() {
  std::string bytes = crypto::random_bytes(sizeof(uint64_t));
  uint64_t out = 0;
  std::memcpy(&out, bytes.data(), sizeof out);
  return out;
}

}  // namespace

Exchange::Exchange(const Clock& clock, std::optional<uint64_t> seed_option, std::vector<SimVenue> venues)
    : clock_(clock), keys_from_csprng_(!seed_option), venues_(std::move(venues)), state_(std::make_unique<State>()) {
  State& s = *state_;
  const uint64_t seed = seed_option.value_or(1);  // unseeded markets move as they always did by default
  s.seed = seed;
  s.key_rng.seed(seed);  // unused without a seed: keys then come from the CSPRNG
  s.fault_rng.seed(seed_option ? seed ^ 0x9e3779b97f4a7c15ull : random_seed());
  int64_t now_minute = floor_div(clock_.now_ms(), kMinuteMs);
  for (const SimMarket& m : default_markets(venues_)) {
    PricePath& p = s.paths[path_key(m.venue, m.id)];
    p.market = m;
    init_path(p, seed, now_minute);
  }
  for (const SimVenue& v : venues_) s.books[v.id];
}

const SimVenue* Exchange::venue(const std::string& id) const {
  for (const SimVenue& v : venues_)
    if (v.id == id) return &v;
  return nullptr;
}

Exchange::~Exchange() = default;

}  // namespace tb::exsim
