// Injected faults, fixed-window rate counters and nonces: the small per-request state venues consult.
#include <algorithm>

#include "exsim/engine/state.hpp"

namespace tb::exsim {

using namespace detail;

namespace {

// Spent count faults kept for GET /exsim/v1/faults; older ones are dropped so the list stays short.
constexpr size_t kSpentFaultsKept = 100;

void drop_old_spent(std::vector<FaultRecord>& faults) {
  auto spent = std::count_if(faults.begin(), faults.end(), [](const FaultRecord& r) { return !r.active(); });
  for (auto it = faults.begin(); static_cast<size_t>(spent) > kSpentFaultsKept && it != faults.end();) {
    if (it->active()) {
      ++it;
      continue;
    }
    it = faults.erase(it);
    --spent;
  }
}

}  // namespace

uint64_t Exchange::add_fault(const Fault& f) {
  if (f.count <= 0 && !(f.probability > 0)) return 0;  // a fault that can never fire
  std::lock_guard lock(mu_);
  uint64_t id = state_->next_fault_id++;
  state_->faults.push_back(FaultRecord{id, f, std::max(f.count, 0), 0});
  return id;
}

void Exchange::clear_faults() {
  std::lock_guard lock(mu_);
  state_->faults.clear();
}

std::vector<FaultRecord> Exchange::faults() const {
  std::lock_guard lock(mu_);
  return state_->faults;
}

std::optional<Fault> Exchange::fire_fault(const std::string& venue, const std::string& endpoint) {
  std::lock_guard lock(mu_);
  auto& faults = state_->faults;
  for (FaultRecord& r : faults) {
    const Fault& f = r.fault;
    if (!r.active() || f.venue != venue || (f.endpoint != "*" && f.endpoint != endpoint)) continue;
    if (f.count > 0) {
      --r.remaining;
      ++r.fired;
      Fault fired = f;
      if (r.remaining == 0) drop_old_spent(faults);  // may move r: nothing below touches it
      return fired;
    }
    // Probability 1 always fires (uniform draws are < 1); probability 0 never gets here.
    double draw = static_cast<double>(state_->fault_rng() >> 11) * 0x1.0p-53;
    if (draw < f.probability) {
      ++r.fired;
      return f;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Exchange::take_fault(const std::string& venue, const std::string& endpoint) {
  auto f = fire_fault(venue, endpoint);
  if (!f) return std::nullopt;
  return f->kind;
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
