#pragma once
// Client-side rate limiting, so we slow down before a venue bans the IP or the key. Pure arithmetic on
// times passed in: reserve() says how long to wait before sending (0 = send now) and books the cost.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace tb::venues {

// One budget as it stands, to keep beyond this process.
struct LimitSnapshot {
  int64_t window_start_ms = 0;
  int64_t used = 0;
  int64_t blocked_until_ms = 0;  // the venue asked us to wait until then (a 429's Retry-After, a ban's end)
};

// Where venues keep their budgets between processes (the store, per venue and egress IP), so a restarted
// process starts where the last one stopped instead of spending a budget the venue still counts.
class LimitBook {
 public:
  virtual ~LimitBook() = default;
  virtual std::optional<LimitSnapshot> load(std::string_view venue, std::string_view budget) = 0;
  virtual void save(std::string_view venue, std::string_view budget, const LimitSnapshot& snapshot) = 0;
};

// A fixed window aligned to the epoch, as one venue counts request weight per minute. The venue's own
// count (X-MBX-USED-WEIGHT-1M) is folded in with observe(), so other processes on the IP are counted too.
class WindowLimiter {
 public:
  WindowLimiter(int64_t limit, int64_t window_ms) : limit_(limit), window_ms_(window_ms) {}
  std::chrono::milliseconds reserve(int64_t weight, int64_t now_ms);
  void observe(int64_t used, int64_t now_ms);
  int64_t used(int64_t now_ms);
  // The venue asked for a wait: nothing is reserved before until_ms.
  void block_until(int64_t until_ms, int64_t now_ms);

  // Keeps this budget in `book` as venue/budget: takes over what an earlier process left, and saves its
  // changes at most once a second (counts come with every answer), a wait the venue asked for at once.
  void keep_in(LimitBook* book, std::string venue, std::string budget, int64_t now_ms);

 private:
  void roll(int64_t now_ms);
  void save(int64_t now_ms, bool at_once);  // mu_ held
  std::mutex mu_;
  int64_t limit_, window_ms_;
  int64_t window_start_ = 0, used_ = 0, blocked_until_ = 0;
  LimitBook* book_ = nullptr;
  std::string venue_, budget_;
  int64_t saved_ms_ = 0;
};

// A counter that grows by each call's cost and decays continuously, as one venue counts per key.
class DecayLimiter {
 public:
  DecayLimiter(double max, double decay_per_second) : max_(max), decay_(decay_per_second) {}
  std::chrono::milliseconds reserve(double cost, int64_t now_ms);

 private:
  std::mutex mu_;
  double max_, decay_;
  double level_ = 0;
  int64_t last_ms_ = 0;
};

}  // namespace tb::venues
