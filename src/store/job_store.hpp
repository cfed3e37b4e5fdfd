#pragma once
// The job queue: any process may claim any due job; a lease that runs out lets another worker take it. Part of the store's door
// (store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace tb::store {

struct Job {
  int64_t id = 0;
  std::string kind;
  std::string payload;
  int64_t run_at_ms = 0;
  std::optional<std::string> claimed_by;
  std::optional<int64_t> claimed_until_ms;
  int attempts = 0;  // counts claims, so a job that keeps killing its worker can be given up on
};

// A serve process as the others see it: its row is beaten every few seconds while it runs.
struct ProcessRow {
  std::string id;  // host:pid, the worker name its jobs are claimed under
  std::string host;
  int64_t pid = 0;
  int64_t started_ms = 0;
  int64_t beat_ms = 0;
  std::string roles;  // the work it owns now, comma-separated ("telegram,candles,desk/3")
  bool operator==(const ProcessRow&) const = default;
};

class JobStore {
 public:
  virtual ~JobStore() = default;

  // jobs: any process may claim any due job; a lease that runs out lets another worker take it over.
  virtual Result<int64_t> enqueue_job(std::string_view kind, std::string_view payload, int64_t run_at_ms) = 0;
  // One call: picks the oldest due job of `kind` that nobody holds (or whose lease ran out), marks it
  // held by `worker` until now + lease_ms, counts the attempt. Empty when none is due.
  virtual Result<std::optional<Job>> claim_job(std::string_view kind, std::string_view worker, int64_t lease_ms) = 0;
  // Done: the job is removed. False if the worker no longer holds it (its lease ran out and was taken).
  virtual Result<bool> complete_job(int64_t id, std::string_view worker) = 0;
  // Failed or postponed: released to run again at run_at_ms. False if the worker no longer holds it.
  virtual Result<bool> release_job(int64_t id, std::string_view worker, int64_t run_at_ms) = 0;
  // A job no longer needed, removed unless a worker's lease on it still runs (then it runs and finds
  // nothing to do).
  virtual Result<bool> drop_job(int64_t id) = 0;
  virtual Result<std::optional<Job>> find_job(int64_t id) = 0;
  // Workers holding jobs now, and a release of everything one holds: a restarted process hands back the
  // jobs of its dead predecessor at once instead of waiting for their leases to run out.
  virtual Result<std::vector<std::string>> job_holders() = 0;
  virtual Result<int64_t> release_jobs_of(std::string_view worker) = 0;

  // processes: written (inserted or replaced) by each beat; removed when a process stops cleanly.
  virtual Status beat_process(const ProcessRow& row) = 0;
  virtual Result<std::vector<ProcessRow>> list_processes() = 0;  // by id
  virtual Result<bool> remove_process(std::string_view id) = 0;
};

}  // namespace tb::store
