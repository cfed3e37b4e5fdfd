#pragma once
// CPU time for the bench programs: CLOCK_THREAD_CPUTIME_ID for the calling thread's own (a client or a
// server thread of an in-process pair), CLOCK_PROCESS_CPUTIME_ID for every thread's. User and system both.
#include <ctime>

namespace tb::bench {

inline double cpu_seconds(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

}  // namespace tb::bench
