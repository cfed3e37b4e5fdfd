#include "app/process_hygiene.hpp"

#include <gtest/gtest.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

extern char** environ;

namespace tb::app {
namespace {

TEST(ProcessHygiene, TakeEnvRemovesTheVariableAndOverwritesItsBytes) {
  ASSERT_EQ(::setenv("TB_TEST_SECRET_VAR", "hunter2-secret-value", 1), 0);
  char* entry = nullptr;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "TB_TEST_SECRET_VAR=", 19) == 0) entry = *e;
  ASSERT_NE(entry, nullptr);
  size_t n = std::strlen(entry);
  auto value = take_env("TB_TEST_SECRET_VAR");
  ASSERT_TRUE(value);
  EXPECT_EQ(*value, "hunter2-secret-value");
  EXPECT_EQ(std::getenv("TB_TEST_SECRET_VAR"), nullptr);
  // setenv's entry is still allocated (glibc keeps it): its bytes must be zeros now.
  EXPECT_EQ(std::string(entry, n), std::string(n, '\0'));
  EXPECT_FALSE(take_env("TB_TEST_SECRET_VAR"));
}

TEST(ProcessHygiene, NoCoreDumpsAndNotDumpable) {
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {  // in a child, so the test process keeps its own settings
    forbid_core_dumps();
    struct rlimit core {};
    ::getrlimit(RLIMIT_CORE, &core);
    ::_exit(core.rlim_cur == 0 && core.rlim_max == 0 && ::prctl(PR_GET_DUMPABLE) == 0 ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(ProcessHygiene, IsInsideResolvesRelativePaths) {
  EXPECT_TRUE(is_inside("./var/master.key", "var"));
  EXPECT_TRUE(is_inside("/srv/tb/data/keys/master.key", "/srv/tb/data/"));
  EXPECT_FALSE(is_inside("/etc/tradebridge/master.key", "/srv/tb/data"));
  EXPECT_FALSE(is_inside("/srv/tb/data-other/master.key", "/srv/tb/data"));
  EXPECT_FALSE(is_inside("/srv/tb/data/../master.key", "/srv/tb/data"));
}

}  // namespace
}  // namespace tb::app
