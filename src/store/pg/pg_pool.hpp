#pragma once
// Private to the PostgreSQL backend: at most `size` connections, opened when first needed and handed to one
// user at a time. A caller waits while all are out. A connection comes back idle: one returned inside a
// transaction (its user threw) is rolled back, and a broken one is dropped, to be opened again on demand.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/pg/pg_conn.hpp"

namespace tb::store::pg {

class PgPool : public std::enable_shared_from_this<PgPool> {
 public:
  // Opens one connection at once, so a wrong address or password is reported here, not at the first query.
  static Result<std::shared_ptr<PgPool>> open(std::string conninfo, int size);

  // A connection borrowed until the lease ends.
  class Lease {
   public:
    Lease(std::shared_ptr<PgPool> pool, std::unique_ptr<PgConn> conn) : pool_(std::move(pool)), conn_(std::move(conn)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    ~Lease();
    PgConn& operator*() const { return *conn_; }
    PgConn* operator->() const { return conn_.get(); }

   private:
    std::shared_ptr<PgPool> pool_;
    std::unique_ptr<PgConn> conn_;
  };

  Result<Lease> acquire();
  int size() const { return size_; }

 private:
  PgPool(std::string conninfo, int size) : conninfo_(std::move(conninfo)), size_(size) {}
  void give_back(std::unique_ptr<PgConn> conn);

  const std::string conninfo_;
  const int size_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<PgConn>> idle_;
  int open_ = 0;  // connections that exist, idle or lent
};

}  // namespace tb::store::pg
