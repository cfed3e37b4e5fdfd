// The Coordination of a SQLite database, and the opener that picks a kind by the URL.
#include "store/coordination.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/open_store.hpp"
#include "store/pg/pg_coordination.hpp"

namespace tb::store {

namespace {

// SQLite: the processes sharing a database file share a machine, so a lock is one byte of a file beside it,
// locked with fcntl (the kernel lets it go when the process dies). No events cross: nobody listens.
class FileLocks final : public Coordination {
 public:
  explicit FileLocks(int fd) : fd_(fd) {}
  ~FileLocks() override {
    if (fd_ >= 0) ::close(fd_);
  }
  FileLocks(const FileLocks&) = delete;
  FileLocks& operator=(const FileLocks&) = delete;

  bool shared() const override { return false; }
  Result<bool> try_lock(int64_t key) override { return set(key, F_WRLCK); }
  Status unlock(int64_t key) override {
    auto r = set(key, F_UNLCK);
    if (!r) return r.error();
    return ok_status();
  }
  Status listen(std::string_view) override { return ok_status(); }
  Status notify(std::string_view, std::string_view) override { return ok_status(); }
  int socket() const override { return -1; }
  Result<std::vector<Notification>> take() override { return std::vector<Notification>{}; }
  Result<bool> check() override { return true; }

 private:
  Result<bool> set(int64_t key, short type) {
    if (fd_ < 0) return true;  // a database without a file (in memory): one process by nature
    struct flock l {};
    l.l_type = type;
    l.l_whence = SEEK_SET;
    l.l_start = static_cast<off_t>(key & 0x3fffffffffff);  // a byte per key, far inside off_t
    l.l_len = 1;
    if (::fcntl(fd_, F_SETLK, &l) == 0) return true;
    if (errno == EACCES || errno == EAGAIN) return false;
    return Error::make(ErrorKind::Internal, std::string("store: lock file: ") + std::strerror(errno));
  }
  int fd_;
};

}  // namespace

Result<std::unique_ptr<Coordination>> open_coordination(const DatabaseUrl& url) {
  if (url.backend == Backend::Postgresql) return pg::open_pg_coordination(postgres_conninfo(url.postgres));
  int fd = -1;
  if (!url.sqlite_path.empty() && url.sqlite_path != ":memory:") {
    const std::string path = url.sqlite_path + ".locks";
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Error::make(ErrorKind::Internal, "store: cannot open the lock file " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<Coordination>(new FileLocks(fd));
}

}  // namespace tb::store
