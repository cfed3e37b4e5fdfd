// SqliteStore: the job queue (claims with leases) and the processes' heartbeats.
#include "store/sqlite_store.hpp"

#include "store/sqlite_rows.hpp"

namespace tb::store {

using namespace sqlite_rows;

// ---- jobs ----

Result<int64_t> SqliteStore::enqueue_job(std::string_view kind, std::string_view payload, int64_t run_at_ms) {
  Lock lock(mu_);
  auto s = db_->prepare("INSERT INTO jobs (kind, payload, run_at) VALUES (?, ?, ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(kind, payload, run_at_ms).run(); !st) return st.error();
  return db_->last_insert_rowid();
}

Result<std::optional<Job>> SqliteStore::claim_job(std::string_view kind, std::string_view worker, int64_t lease_ms) {
  Lock lock(mu_);
  // One statement: the pick and the mark happen under one write lock, across processes too.
  // (PostgreSQL: the same shape with FOR UPDATE SKIP LOCKED in the sub-select.)
  auto s = db_->prepare(
      "UPDATE jobs SET claimed_by = ?1, claimed_until = ?2, attempts = attempts + 1 "
      "WHERE id = (SELECT id FROM jobs WHERE kind = ?3 AND run_at <= ?4 "
      "            AND (claimed_until IS NULL OR claimed_until <= ?4) ORDER BY run_at, id LIMIT 1) "
      "RETURNING " +
      cols(kJobCols));
  if (!s) return s.error();
  const int64_t now = clock_.now_ms();
  auto row = s->bind_all(worker, now + lease_ms, kind, now).step();
  if (!row) return row.error();
  if (!*row) return std::optional<Job>();
  Job job = read_job(*s);
  if (auto st = s->run(); !st) return st.error();  // finish the statement before it is reset
  return std::optional<Job>(std::move(job));
}

Result<bool> SqliteStore::complete_job(int64_t id, std::string_view worker) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM jobs WHERE id = ? AND claimed_by = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(id, worker).run(); !st) return st.error();
  return db_->changes() > 0;
}

Result<bool> SqliteStore::drop_job(int64_t id) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM jobs WHERE id = ? AND (claimed_by IS NULL OR claimed_until <= ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(id, clock_.now_ms()).run(); !st) return st.error();
  return db_->changes() > 0;
}

Result<bool> SqliteStore::release_job(int64_t id, std::string_view worker, int64_t run_at_ms) {
  Lock lock(mu_);
  auto s = db_->prepare("UPDATE jobs SET claimed_by = NULL, claimed_until = NULL, run_at = ? WHERE id = ? AND claimed_by = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(run_at_ms, id, worker).run(); !st) return st.error();
  return db_->changes() > 0;
}

Result<std::vector<std::string>> SqliteStore::job_holders() {
  Lock lock(mu_);
  auto s = db_->prepare("SELECT DISTINCT claimed_by FROM jobs WHERE claimed_by IS NOT NULL ORDER BY claimed_by");
  if (!s) return s.error();
  std::vector<std::string> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(s->text_at(0));
  }
}

Result<int64_t> SqliteStore::release_jobs_of(std::string_view worker) {
  Lock lock(mu_);
  auto s = db_->prepare("UPDATE jobs SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(worker).run(); !st) return st.error();
  return static_cast<int64_t>(db_->changes());
}

Result<std::optional<Job>> SqliteStore::find_job(int64_t id) {
  Lock lock(mu_);
  return select_one<Job>(*db_, "SELECT " + cols(kJobCols) + " FROM jobs WHERE id = ?", read_job, id);
}

// ---- processes ----

namespace {
constexpr const char* kProcessCols = "id, host, pid, started_at, beat_at, roles";
ProcessRow read_process(const Stmt& s) { return {s.text_at(0), s.text_at(1), s.int_at(2), s.int_at(3), s.int_at(4), s.text_at(5)}; }
}  // namespace

Status SqliteStore::beat_process(const ProcessRow& p) {
  Lock lock(mu_);
  auto s = db_->prepare(std::string("INSERT OR REPLACE INTO processes (") + kProcessCols + ") VALUES (?, ?, ?, ?, ?, ?)");
  if (!s) return s.error();
  if (auto st = s->bind_all(p.id, p.host, p.pid, p.started_ms, p.beat_ms, p.roles).run(); !st) return st.error();
  return ok_status();
}

Result<std::vector<ProcessRow>> SqliteStore::list_processes() {
  Lock lock(mu_);
  return select_all<ProcessRow>(*db_, std::string("SELECT ") + kProcessCols + " FROM processes ORDER BY id", read_process);
}

Result<bool> SqliteStore::remove_process(std::string_view id) {
  Lock lock(mu_);
  auto s = db_->prepare("DELETE FROM processes WHERE id = ?");
  if (!s) return s.error();
  if (auto st = s->bind_all(id).run(); !st) return st.error();
  return db_->changes() > 0;
}

}  // namespace tb::store
