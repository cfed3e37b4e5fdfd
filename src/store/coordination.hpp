#pragma once
// What several serve processes over one database share besides the tables (DESIGN.md § Scale): locks one
// process holds at a time (work with one owner: the Telegram poller, the candle loops, a share of the
// trading desk's accounts) and events that reach the other processes. PostgreSQL: session advisory locks and
// LISTEN/NOTIFY on a connection of their own, so a process that dies, or loses that connection, lets its
// locks go at once. SQLite: the processes share one machine; a lock is a byte of a file beside the database
// (fcntl, let go when the process dies), and no event crosses.
//
// Threads: one thread at a time (serve's io thread).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/database_url.hpp"

namespace tb::store {

struct Notification {
  std::string channel;
  std::string payload;
  bool own = false;  // this process sent it (PostgreSQL hands a session its own NOTIFYs too, in their order)
};

class Coordination {
 public:
  virtual ~Coordination() = default;

  // False: no event crosses between processes (SQLite), so listening is pointless.
  virtual bool shared() const = 0;
  // Takes lock `key` when no other process holds it; true when this process holds it now.
  virtual Result<bool> try_lock(int64_t key) = 0;
  virtual Status unlock(int64_t key) = 0;
  virtual Status listen(std::string_view channel) = 0;
  // To every process listening on `channel`, this one too. PostgreSQL takes payloads under 8,000 bytes and
  // hands them out in the order their sending commits, the same order in every process.
  virtual Status notify(std::string_view channel, std::string_view payload) = 0;
  // The socket notifications arrive on, to wait for it to be readable; -1 when none ever come.
  virtual int socket() const = 0;
  // What arrived since the last call, without waiting, in order.
  virtual Result<std::vector<Notification>> take() = 0;
  // True while the session is the one the locks were taken on. False when it was lost: a new one is opened
  // (listening to the same channels), and every lock is gone with the old one. An Error: no new one yet.
  virtual Result<bool> check() = 0;
};

// sqlite: the solitary kind; postgresql: a connection of its own to the database.
Result<std::unique_ptr<Coordination>> open_coordination(const DatabaseUrl& url);

}  // namespace tb::store
