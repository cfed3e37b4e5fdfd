// The job queue's claim rate (issue 14): N jobs enqueued, then W workers — each with its own store, so its own
// database connection, as W serve processes would have — claim and complete them until none is left. Prints
// one JSON line per backend and worker count: claims per second (claim + complete, wall clock), each call's
// latency, the bench process's CPU, and the proof that no job was claimed twice and none was left.
//
// Usage: job_claims [--jobs 10000] [--workers 2,8] [--backends sqlite,postgres] [--postgres URL] [--run-at now]
// --run-at now: each job due at the moment it is enqueued, as serve enqueues a key test; same: every job due
// at the same instant (a burst within one millisecond), which PostgreSQL's claim orders by sorting them all.
// Without --postgres, a throwaway PostgreSQL is started (tests/support/postgres_server.hpp: initdb in a
// temporary directory, fsync and synchronous_commit off, as SQLite's WAL with synchronous=NORMAL does not
// sync each commit either). With --postgres URL, the jobs go to that database under a kind of their own.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "store/open_store.hpp"
#include "support/postgres_server.hpp"

namespace {

using tb::store::DatabaseUrl;
using Nanos = std::chrono::steady_clock::duration;

struct Options {
  int jobs = 10000;
  std::vector<int> workers{2, 8};
  std::vector<std::string> backends{"sqlite", "postgres"};
  std::string postgres_url;  // empty: a throwaway server
  bool same_run_at = false;
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) out.push_back(part);
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i], value = argv[i + 1];
    if (name == "--jobs") o.jobs = std::stoi(value);
    else if (name == "--postgres") o.postgres_url = value;
    else if (name == "--backends") o.backends = split(value);
    else if (name == "--run-at") o.same_run_at = value == "same";
    else if (name == "--workers") {
      o.workers.clear();
      for (const auto& w : split(value)) o.workers.push_back(std::stoi(w));
    } else throw std::runtime_error("unknown option " + name);
  }
  if (argc % 2 == 0) throw std::runtime_error("options come in pairs: --name value");
  return o;
}

std::unique_ptr<tb::store::Store> open(const std::string& url) {
  auto parsed = DatabaseUrl::parse(url);
  if (!parsed) throw std::runtime_error(parsed.error().describe());
  tb::store::OpenStoreOptions options;
  options.pool_size = 1;  // one connection per worker, as one per process
  options.busy_timeout_ms = 60'000;
  auto s = tb::store::open_store(*parsed, tb::SystemClock::instance(), options);
  if (!s) throw std::runtime_error(s.error().describe());
  return std::move(*s);
}

// One worker's record: the ids it claimed, and how long each claim and each complete took.
struct WorkerLog {
  std::vector<int64_t> ids;
  std::vector<Nanos> claim, complete;
  int empty_claims = 0;
  std::string error;
};

void work(tb::store::Store& store, const std::string& kind, const std::string& name, std::atomic<bool>& go, WorkerLog& log) {
  while (!go.load()) std::this_thread::yield();
  for (;;) {
    const auto t0 = std::chrono::steady_clock::now();
    auto job = store.claim_job(kind, name, 600'000);
    const auto t1 = std::chrono::steady_clock::now();
    if (!job) return void(log.error = job.error().describe());
    if (!*job) {  // none free now; others may still hold some, which they complete
      ++log.empty_claims;
      return;
    }
    log.claim.push_back(t1 - t0);
    log.ids.push_back((*job)->id);
    auto done = store.complete_job((*job)->id, name);
    log.complete.push_back(std::chrono::steady_clock::now() - t1);
    if (!done) return void(log.error = done.error().describe());
    if (!*done) return void(log.error = "job " + std::to_string((*job)->id) + " was no longer held by " + name);
  }
}

double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

nlohmann::json percentiles_us(std::vector<Nanos> v) {
  if (v.empty()) return nullptr;
  std::sort(v.begin(), v.end());
  auto at = [&](double p) {
    const auto i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
    return std::chrono::duration<double, std::micro>(v[i]).count();
  };
  return {{"p50", at(0.5)}, {"p99", at(0.99)}, {"max", at(1.0)}};
}

// Every enqueued id claimed exactly once, none left in the table.
nlohmann::json check(const std::vector<WorkerLog>& logs, const std::vector<int64_t>& enqueued, tb::store::Store& store) {
  std::vector<int64_t> claimed;
  for (const auto& l : logs) claimed.insert(claimed.end(), l.ids.begin(), l.ids.end());
  std::sort(claimed.begin(), claimed.end());
  const auto twice = claimed.size() - static_cast<size_t>(std::unique(claimed.begin(), claimed.end()) - claimed.begin());
  int left = 0;
  for (int64_t id : enqueued) {
    auto j = store.find_job(id);
    if (!j || *j) ++left;
  }
  return {{"claimed", claimed.size() - twice}, {"claimed_twice", twice}, {"left_in_table", left}};
}

std::vector<int64_t> enqueue(tb::store::Store& store, const std::string& kind, int jobs, bool same_run_at, double& seconds) {
  std::vector<int64_t> ids;
  const auto t0 = std::chrono::steady_clock::now();
  const auto& clock = tb::SystemClock::instance();
  const int64_t start = clock.now_ms();
  for (int i = 0; i < jobs; ++i) {
    auto id = store.enqueue_job(kind, "{\"n\":" + std::to_string(i) + "}", same_run_at ? start : clock.now_ms());
    if (!id) throw std::runtime_error(id.error().describe());
    ids.push_back(*id);
  }
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return ids;
}

// The workers' stores are opened before the clock starts; the clock stops when the last worker finds none.
std::vector<WorkerLog> claim_all(const std::string& url, const std::string& kind, int workers, double& wall, double& cpu) {
  std::vector<std::unique_ptr<tb::store::Store>> stores;
  for (int w = 0; w < workers; ++w) stores.push_back(open(url));
  std::vector<WorkerLog> logs(static_cast<size_t>(workers));
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (size_t w = 0; w < stores.size(); ++w)
    threads.emplace_back(work, std::ref(*stores[w]), kind, "bench-" + std::to_string(w), std::ref(go), std::ref(logs[w]));
  const double cpu0 = cpu_seconds();
  const auto t0 = std::chrono::steady_clock::now();
  go = true;
  for (auto& t : threads) t.join();
  wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  cpu = cpu_seconds() - cpu0;
  return logs;
}

nlohmann::json run(const std::string& backend, const std::string& url, const std::string& kind, const Options& o, int workers) {
  const int jobs = o.jobs;
  auto admin = open(url);
  double enqueue_s = 0, wall = 0, cpu = 0;
  const auto ids = enqueue(*admin, kind, jobs, o.same_run_at, enqueue_s);
  const auto logs = claim_all(url, kind, workers, wall, cpu);
  std::vector<Nanos> claim, complete;
  nlohmann::json per_worker = nlohmann::json::array(), errors = nlohmann::json::array();
  for (const auto& l : logs) {
    claim.insert(claim.end(), l.claim.begin(), l.claim.end());
    complete.insert(complete.end(), l.complete.begin(), l.complete.end());
    per_worker.push_back(l.ids.size());
    if (!l.error.empty()) errors.push_back(l.error);
  }
  return {{"benchmark", "job_claims"},
          {"backend", backend},
          {"workers", workers},
          {"jobs", jobs},
          {"run_at", o.same_run_at ? "same" : "now"},
          {"enqueue_per_s", jobs / enqueue_s},
          {"claims_per_s", jobs / wall},
          {"wall_s", wall},
          {"bench_cpu_s", cpu},
          {"claim_us", percentiles_us(claim)},
          {"complete_us", percentiles_us(complete)},
          {"per_worker", per_worker},
          {"errors", errors},
          {"check", check(logs, ids, *admin)}};
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

int main(int argc, char** argv) try {
  const Options o = parse(argc, argv);
  std::unique_ptr<tb::test::PostgresServer> server;
  const auto dir = std::filesystem::temp_directory_path() / ("tb_job_claims_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  int n = 0;
  bool ok = true;
  for (const auto& backend : o.backends) {
    for (int workers : o.workers) {
      std::string url, kind = "bench_claims";
      if (backend == "sqlite") url = "sqlite:" + (dir / ("claims" + std::to_string(++n) + ".db")).string();
      else if (!o.postgres_url.empty()) url = o.postgres_url, kind += "_" + std::to_string(::getpid()) + "_" + std::to_string(++n);
      else {
        if (!server) server = std::make_unique<tb::test::PostgresServer>();
        url = server->fresh_database_url();
      }
      const std::string load_before = load_average();
      auto r = run(backend, url, kind, o, workers);
      r["load_before"] = load_before;
      r["load_after"] = load_average();
      ok = ok && r["errors"].empty() && r["check"]["claimed_twice"] == 0 && r["check"]["left_in_table"] == 0 &&
           r["check"]["claimed"] == o.jobs;
      std::cout << r.dump() << std::endl;
    }
  }
  std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "job_claims: " << e.what() << "\n";
  return 2;
}
