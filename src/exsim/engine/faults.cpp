// Injected faults, fixed-window rate counters and nonces: the small per-request state venues consult.
#include <algorithm>

#include "exsim/engine/state.hpp"

namespace tb::exsim {

using namespace detail;

void Exchange::add_fault(const Fault& f) {
  if (f.count <= 0 && !(f.probability > 0)) return;  // a fault that can never fire
  std::lock_guard lock(mu_);
  state_->faults.push_back(FaultEntry{f, f.count});
}

void Exchange::clear_faults() {
  std::lock_guard lock(mu_);
  state_->faults.clear();
}

std::optional<std::string> Exchange::take_fault(const std::string& venue, const std::string& endpoint) {
  std::lock_guard lock(mu_);
  auto& faults = state_->faults;
  for (auto it = faults.begin(); it != faults.end(); ++it) {
    const Fault& f = it->fault;
    if (f.venue != venue || (f.endpoint != "*" && f.endpoint != endpoint)) continue;
    if (f.count > 0) {
      std::string kind = f.kind;
      if (--it->remaining <= 0) faults.erase(it);
      return kind;
    }
    // Probability 1 always fires (uniform draws are < 1); probability 0 never gets here.
    double draw = static_cast<double>(state_->fault_rng() >> 11) * 0x1.0p-53;
    if (draw < f.probability) return f.kind;
  }
  return std::nullopt;
}

int64_t Exchange::count_request(const std::string& bucket, int64_t window_ms, int64_t cost) {
  std::lock_guard lock(mu_);
  window_ms = std::max<int64_t>(1, window_ms);
  int64_t start = floor_div(clock_.now_ms(), window_ms) * window_ms;
  RateWindow& w = state_->rate[{bucket, window_ms}];
  if (w.start != start) w = RateWindow{start, 0};
  w.count += cost;
  return w.count;
}

bool Exchange::accept_nonce(const std::string& key, uint64_t nonce) {
  std::lock_guard lock(mu_);
  auto it = state_->accounts.find(key);
  if (it == state_->accounts.end()) return false;
  if (nonce <= it->second.last_nonce) return false;
  it->second.last_nonce = nonce;
  return true;
}

}  // namespace tb::exsim
