#include "store/pg/pg_pool.hpp"

#include "core/failure_log.hpp"

namespace tb::store::pg {

Result<std::shared_ptr<PgPool>> PgPool::open(std::string conninfo, int size) {
  if (size < 1) return Error::invalid("pool_size", "at least 1");
  std::shared_ptr<PgPool> pool(new PgPool(std::move(conninfo), size));
  auto first = PgConn::connect(pool->conninfo_);
  if (!first) return first.error();
  pool->idle_.push_back(std::move(*first));
  pool->open_ = 1;
  return pool;
}

Result<PgPool::Lease> PgPool::acquire() {
  std::unique_lock lock(mu_);
  freed_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(shared_from_this(), std::move(conn));
  }
  ++open_;
  lock.unlock();
  auto conn = PgConn::connect(conninfo_);
  if (!conn) {
    lock.lock();
    --open_;
    freed_.notify_one();
    return conn.error();
  }
  return Lease(shared_from_this(), std::move(*conn));
}

void PgPool::give_back(std::unique_ptr<PgConn> conn) {
  if (conn->healthy() && conn->in_transaction()) logged("pool: roll back a returned connection", conn->script("ROLLBACK"));
  std::lock_guard lock(mu_);
  if (conn->healthy() && !conn->in_transaction()) idle_.push_back(std::move(conn));
  else --open_;  // dropped; the next acquire opens a fresh one
  freed_.notify_one();
}

PgPool::Lease::~Lease() {
  if (conn_ && pool_) pool_->give_back(std::move(conn_));
}

}  // namespace tb::store::pg
