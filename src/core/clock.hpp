#pragma once
// Time is passed in, never read from a global, so tests fix it and nothing sleeps.
#include <atomic>
#include <cstdint>

namespace tb {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ms() const = 0;  // wall clock, ms since the Unix epoch
  virtual int64_t now_us() const = 0;  // wall clock, µs since the Unix epoch
};

class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override;
  int64_t now_us() const override;
  static SystemClock& instance();
};

// A clock that moves only when told; safe to read from several threads.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms = 1'700'000'000'000) : us_(start_ms * 1000) {}
  int64_t now_ms() const override { return us_.load() / 1000; }
  int64_t now_us() const override { return us_.load(); }
  void set_ms(int64_t ms) { us_ = ms * 1000; }
  void advance_ms(int64_t ms) { us_ += ms * 1000; }

 private:
  std::atomic<int64_t> us_;
};

}  // namespace tb
