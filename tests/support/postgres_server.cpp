#include "support/postgres_server.hpp"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace tb::test {

namespace {

// Debian keeps the server's programs out of PATH, per major version; the newest found wins.
std::filesystem::path bin_dir() {
  std::filesystem::path best;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
    if (std::filesystem::exists(e.path() / "bin" / "initdb") && (best.empty() || e.path().filename() > best.parent_path().filename()))
      best = e.path() / "bin";
  if (best.empty()) throw std::runtime_error("no PostgreSQL server under /usr/lib/postgresql: run scripts/setup.sh");
  return best;
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("no free port");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

// PostgreSQL refuses to run as root: as root, the server's programs run as `nobody`, which owns the directory.
std::string as_server_user() { return ::geteuid() == 0 ? "setpriv --reuid=nobody --regid=nogroup --clear-groups " : ""; }

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs cmd with its output in `log`; on failure throws with that log and the server's own (`also`).
void run(const std::string& cmd, const std::filesystem::path& log, const std::filesystem::path& also) {
  if (std::system((cmd + " >>" + log.string() + " 2>&1").c_str()) != 0)
    throw std::runtime_error("`" + cmd + "` failed:\n" + read_file(log) + read_file(also));
}

}  // namespace

PostgresServer::PostgresServer() {
  // As root, under /tmp: the server's user must reach the directory, and TMPDIR may be root's own.
  const std::filesystem::path base = ::geteuid() == 0 ? std::filesystem::path("/tmp") : std::filesystem::temp_directory_path();
  std::string tmpl = (base / "tb_pg_XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  try {
    start();
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

void PostgresServer::start() {
  if (::geteuid() == 0 && ::chown(dir_.c_str(), 65534, 65534) != 0) throw std::runtime_error("cannot give the directory to nobody");
  const auto bin = bin_dir();
  const auto log = dir_ / "server.log";
  const auto data = (dir_ / "data").string();
  port_ = free_port();
  const std::string user = as_server_user();
  // trust: a throwaway server of test data, reachable from this machine only (loopback, and a socket in its
  // own directory); fsync off: a test database need not survive a power cut.
  run(user + (bin / "initdb").string() + " -D " + data + " -U tb -A trust -E UTF8 --no-sync --locale=C", dir_ / "initdb.log", log);
  run(user + (bin / "pg_ctl").string() + " -D " + data + " -l " + log.string() + " -w -t 60 -o \"-p " + std::to_string(port_) + " -k " +
          dir_.string() + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" +
          " -c max_connections=200\" start",
      dir_ / "pg_ctl.log", log);
  started_ = true;
  // A binary that crashes never reaches the destructor: a watcher stops the server and removes the directory
  // once this process is gone, so no postgres outlives its tests.
  const std::string stop = user + (bin / "pg_ctl").string() + " -D " + data + " -m immediate stop; rm -rf " + dir_.string();
  const std::string watch =
      "(while kill -0 " + std::to_string(::getpid()) + " 2>/dev/null; do sleep 1; done; " + stop + ") </dev/null >/dev/null 2>&1 &";
  if (std::system(watch.c_str()) != 0) throw std::runtime_error("cannot start the server's watcher");
}

PostgresServer::~PostgresServer() {
  if (started_) {
    const std::string cmd =
        as_server_user() + (bin_dir() / "pg_ctl").string() + " -D " + (dir_ / "data").string() + " -m immediate -w stop >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "postgres_server: pg_ctl stop failed\n");
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string PostgresServer::conninfo(const std::string& db) const {
  return "host=" + dir_.string() + " port=" + std::to_string(port_) + " user=tb dbname=" + db;
}

std::string PostgresServer::fresh_database() { return conninfo(create_database()); }

std::string PostgresServer::fresh_database_url() { return "postgresql://tb@127.0.0.1:" + std::to_string(port_) + "/" + create_database(); }

std::string PostgresServer::create_database() {
  const std::string name = "t" + std::to_string(++next_db_);
  PGconn* c = PQconnectdb(conninfo("postgres").c_str());
  std::string error;
  if (PQstatus(c) != CONNECTION_OK) {
    error = PQerrorMessage(c);
  } else {
    PGresult* r = PQexec(c, ("CREATE DATABASE " + name).c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(c);
  if (!error.empty()) throw std::runtime_error("CREATE DATABASE " + name + ": " + error);
  return name;
}

std::unique_ptr<PostgresServer> PostgresEnvironment::server_;

PostgresServer& PostgresEnvironment::server() {
  if (!server_) server_ = std::make_unique<PostgresServer>();
  return *server_;
}

}  // namespace tb::test
