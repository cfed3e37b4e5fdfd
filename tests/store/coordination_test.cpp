// Coordination between processes: PostgreSQL advisory locks held by one session at a time and let go when it
// ends, notifications that reach the other sessions only, a lost session noticed and replaced; SQLite's file
// locks held by one process at a time (a forked child is another process).
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "store/coordination.hpp"
#include "store/pg/pg_conn.hpp"
#include "support/postgres_server.hpp"

namespace tb::store {
namespace {

std::unique_ptr<Coordination> open_pg(const std::string& url) {
  auto parsed = DatabaseUrl::parse(url);
  EXPECT_TRUE(parsed.ok());
  auto c = open_coordination(*parsed);
  EXPECT_TRUE(c.ok()) << c.error().describe();
  return std::move(*c);
}

// The server lets a closed session's locks go a moment after the client has gone.
bool soon_locks(Coordination& c, int64_t key) {
  for (int i = 0; i < 100; ++i) {
    if (*c.try_lock(key)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST(PostgresCoordination, ALockIsHeldByOneSessionAndFreedWhenItEnds) {
  const std::string url = test::PostgresEnvironment::server().fresh_database_url();
  auto a = open_pg(url);
  auto b = open_pg(url);
  EXPECT_TRUE(a->shared());
  EXPECT_TRUE(*a->try_lock(7));
  EXPECT_TRUE(*a->try_lock(7));  // again: still its own
  EXPECT_FALSE(*b->try_lock(7));
  EXPECT_TRUE(*b->try_lock(8));  // another key is another lock
  ASSERT_TRUE(a->unlock(7).ok());
  ASSERT_TRUE(a->unlock(7).ok());
  EXPECT_TRUE(*b->try_lock(7));
  a.reset();  // a process gone: its locks with it
  auto c = open_pg(url);
  EXPECT_FALSE(*c->try_lock(7));
  b.reset();
  EXPECT_TRUE(soon_locks(*c, 7));
  EXPECT_TRUE(soon_locks(*c, 8));
}

TEST(PostgresCoordination, ANotificationReachesEverySessionListeningTheSenderMarkedAsItsOwn) {
  const std::string url = test::PostgresEnvironment::server().fresh_database_url();
  auto a = open_pg(url);
  auto b = open_pg(url);
  ASSERT_TRUE(a->listen("tb_events").ok());
  ASSERT_TRUE(b->listen("tb_events").ok());
  ASSERT_TRUE(a->notify("tb_events", R"({"t":"notice","u":1})").ok());
  ASSERT_TRUE(a->notify("elsewhere", "x").ok());
  std::vector<Notification> got;
  for (int i = 0; i < 200 && got.empty(); ++i) {
    got = *b->take();
    if (got.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].channel, "tb_events");
  EXPECT_EQ(got[0].payload, R"({"t":"notice","u":1})");
  EXPECT_FALSE(got[0].own);
  EXPECT_GE(b->socket(), 0);
  auto own = *a->take();  // the sender hears its own, marked so
  ASSERT_EQ(own.size(), 1u);
  EXPECT_TRUE(own[0].own);
  EXPECT_EQ(own[0].payload, R"({"t":"notice","u":1})");
}

TEST(PostgresCoordination, ALostSessionIsReplacedListeningAgainAndItsLocksAreGone) {
  auto& server = test::PostgresEnvironment::server();
  const std::string url = server.fresh_database_url();
  auto a = open_pg(url);
  auto b = open_pg(url);
  ASSERT_TRUE(a->listen("tb_events").ok());
  EXPECT_TRUE(*a->try_lock(5));
  EXPECT_TRUE(*a->check());
  // The server ends every other session of the database (as a dropped connection or a restart would).
  const std::string db = url.substr(url.rfind('/') + 1);
  auto admin = pg::PgConn::connect(server.conninfo(db));
  ASSERT_TRUE(admin.ok());
  ASSERT_TRUE((*admin)
                  ->script("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")
                  .ok());
  b = open_pg(url);
  EXPECT_TRUE(soon_locks(*b, 5));  // a's lock went with its session
  auto again = a->check();
  ASSERT_TRUE(again.ok()) << again.error().describe();
  EXPECT_FALSE(*again);  // a learns it lost them
  EXPECT_FALSE(*a->try_lock(5));
  ASSERT_TRUE(b->notify("tb_events", "after").ok());  // and listens again on its new session
  std::vector<Notification> got;
  for (int i = 0; i < 200 && got.empty(); ++i) {
    got = *a->take();
    if (got.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, "after");
}

TEST(SqliteCoordination, AFileLockIsHeldByOneProcessAndFreedWhenItDies) {
  const auto dir = std::filesystem::temp_directory_path() / ("tb-coord-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto url = DatabaseUrl::sqlite((dir / "tb.db").string());
  auto mine = open_coordination(url);
  ASSERT_TRUE(mine.ok());
  EXPECT_FALSE((*mine)->shared());
  EXPECT_TRUE(*(*mine)->try_lock(3));
  int to_child[2], from_child[2];
  ASSERT_EQ(::pipe(to_child), 0);
  ASSERT_EQ(::pipe(from_child), 0);
  pid_t child = ::fork();
  if (child == 0) {  // another process: 3 is taken, 4 is free and then held until it dies
    auto theirs = open_coordination(url);
    char answer[2] = {theirs && !*(*theirs)->try_lock(3) ? 'y' : 'n', theirs && *(*theirs)->try_lock(4) ? 'y' : 'n'};
    ssize_t n = ::write(from_child[1], answer, 2);
    char c;
    n = ::read(to_child[0], &c, 1);  // until told to die
    ::_exit(n == 1 ? 0 : 1);
  }
  char answer[2] = {};
  ASSERT_EQ(::read(from_child[0], answer, 2), 2);
  EXPECT_EQ(answer[0], 'y') << "the child took a lock this process holds";
  EXPECT_EQ(answer[1], 'y');
  EXPECT_FALSE(*(*mine)->try_lock(4));
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_TRUE(*(*mine)->try_lock(4));  // the kernel let it go with the process
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tb::store
