#pragma once
// What `serve` and `keys` do to their own process before any secret is in memory: a process holding the
// master key and decrypted exchange secrets must not leave them in a core file, let another process of the
// same user read its memory (ptrace, /proc/PID/mem), or show the key in /proc/PID/environ.
#include <optional>
#include <string>

namespace tb::app {

// prctl(PR_SET_DUMPABLE, 0) and RLIMIT_CORE 0. Best effort: a failure leaves the process as it was.
void forbid_core_dumps();

// The value of the environment variable `name`, then gone from the environment: unset, and its bytes in
// the block the kernel shows as /proc/PID/environ overwritten. nullopt when unset or empty.
std::optional<std::string> take_env(const char* name);

// Whether `file` lies inside `dir` (after resolving both as far as they exist).
bool is_inside(const std::string& file, const std::string& dir);

}  // namespace tb::app
