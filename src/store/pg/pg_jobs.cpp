// PgStore: the job queue. A claim skips rows another process is claiming (FOR UPDATE SKIP LOCKED), so
// workers in many processes never wait on each other nor take one job twice; the lease lets another take
// over a job whose worker died.
#include "store/pg/pg_rows.hpp"
#include "store/pg/pg_store_impl.hpp"

namespace tb::store::pg {

Result<int64_t> PgStore::enqueue_job(std::string_view kind, std::string_view payload, int64_t run_at_ms) {
  return with_conn([&](PgConn& c) {
    return returned_id(c, "INSERT INTO jobs (kind, payload, run_at) VALUES ($1, $2, $3) RETURNING id", PgParams(kind, payload, run_at_ms));
  });
}

Result<std::optional<Job>> PgStore::claim_job(std::string_view kind, std::string_view worker, int64_t lease_ms) {
  const int64_t now = clock_.now_ms();
  return with_conn([&](PgConn& c) {
    return select_one<Job>(c,
                           "UPDATE jobs SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1 "
                           "WHERE id = (SELECT id FROM jobs WHERE kind = $3 AND run_at <= $4 "
                           "            AND (claimed_until IS NULL OR claimed_until <= $4) ORDER BY run_at, id LIMIT 1 "
                           "            FOR UPDATE SKIP LOCKED) "
                           "RETURNING " +
                               cols(kJobCols),
                           read_job, PgParams(worker, now + lease_ms, kind, now));
  });
}

Result<bool> PgStore::complete_job(int64_t id, std::string_view worker) {
  auto n = with_conn([&](PgConn& c) { return affected(c, "DELETE FROM jobs WHERE id = $1 AND claimed_by = $2", PgParams(id, worker)); });
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> PgStore::drop_job(int64_t id) {
  auto n = with_conn([&](PgConn& c) {
    return affected(c, "DELETE FROM jobs WHERE id = $1 AND (claimed_by IS NULL OR claimed_until <= $2)", PgParams(id, clock_.now_ms()));
  });
  if (!n) return n.error();
  return *n > 0;
}

Result<bool> PgStore::release_job(int64_t id, std::string_view worker, int64_t run_at_ms) {
  auto n = with_conn([&](PgConn& c) {
    return affected(c, "UPDATE jobs SET claimed_by = NULL, claimed_until = NULL, run_at = $1 WHERE id = $2 AND claimed_by = $3",
                    PgParams(run_at_ms, id, worker));
  });
  if (!n) return n.error();
  return *n > 0;
}

Result<std::vector<std::string>> PgStore::job_holders() {
  return with_conn([&](PgConn& c) {
    return select_all<std::string>(c, "SELECT DISTINCT claimed_by FROM jobs WHERE claimed_by IS NOT NULL ORDER BY claimed_by",
                                   [](const PgRow& r) { return r.text_at(0); });
  });
}

Result<int64_t> PgStore::release_jobs_of(std::string_view worker) {
  return with_conn([&](PgConn& c) {
    return affected(c, "UPDATE jobs SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = $1", PgParams(worker));
  });
}

Result<std::optional<Job>> PgStore::find_job(int64_t id) {
  return with_conn(
      [&](PgConn& c) { return select_one<Job>(c, "SELECT " + cols(kJobCols) + " FROM jobs WHERE id = $1", read_job, PgParams(id)); });
}

// ---- processes ----

namespace {
constexpr const char* kProcessCols = "id, host, pid, started_at, beat_at, roles";
ProcessRow read_process(const PgRow& r) { return {r.text_at(0), r.text_at(1), r.int_at(2), r.int_at(3), r.int_at(4), r.text_at(5)}; }
}  // namespace

Status PgStore::beat_process(const ProcessRow& p) {
  auto n = with_conn([&](PgConn& c) {
    return affected(c,
                    "INSERT INTO processes (id, host, pid, started_at, beat_at, roles) VALUES ($1, $2, $3, $4, $5, $6) "
                    "ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at, roles = EXCLUDED.roles",
                    PgParams(p.id, p.host, p.pid, p.started_ms, p.beat_ms, p.roles));
  });
  if (!n) return n.error();
  return ok_status();
}

Result<std::vector<ProcessRow>> PgStore::list_processes() {
  return with_conn([&](PgConn& c) {
    return select_all<ProcessRow>(c, std::string("SELECT ") + kProcessCols + " FROM processes ORDER BY id", read_process);
  });
}

Result<bool> PgStore::remove_process(std::string_view id) {
  auto n = with_conn([&](PgConn& c) { return affected(c, "DELETE FROM processes WHERE id = $1", PgParams(id)); });
  if (!n) return n.error();
  return *n > 0;
}

}  // namespace tb::store::pg
