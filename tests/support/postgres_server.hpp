#pragma once
// A throwaway PostgreSQL for tests: initdb and pg_ctl from Debian's postgresql package in a temporary
// directory, listening on a free loopback port and on a unix socket in that directory, run as an unprivileged
// user when the tests run as root (PostgreSQL refuses root), and removed with everything in it at the end.
// One server per test binary (PostgresEnvironment), a fresh database per test (fresh_database).
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

namespace tb::test {

class PostgresServer {
 public:
  // Throws std::runtime_error (with initdb's or pg_ctl's log) when the server cannot start.
  PostgresServer();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A libpq connection string for database `db` on this server.
  std::string conninfo(const std::string& db) const;
  // Creates an empty database with a name not used before in this process and returns its conninfo.
  std::string fresh_database();
  // As fresh_database, as a postgresql:// URL over loopback TCP (the form `--database` takes).
  std::string fresh_database_url();
  int port() const { return port_; }

 private:
  void start();                   // initdb, pg_ctl start and the watcher
  std::string create_database();  // its name

  std::filesystem::path dir_;
  int port_ = 0;
  int next_db_ = 0;
  bool started_ = false;
};

// Registered by a test binary that uses PostgreSQL; starts the server on first use, so a run that filters out
// every PostgreSQL test starts none, and stops it when the binary's tests are done.
class PostgresEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { server_.reset(); }
  static PostgresServer& server();

 private:
  static std::unique_ptr<PostgresServer> server_;
};

}  // namespace tb::test
