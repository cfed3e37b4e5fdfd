#include "app/process_hygiene.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "crypto/secret.hpp"

extern char** environ;

namespace tb::app {

void forbid_core_dumps() {
  struct rlimit none {};
  ::setrlimit(RLIMIT_CORE, &none);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

std::optional<std::string> take_env(const char* name) {
  size_t name_len = std::strlen(name);
  char* entry = nullptr;  // "NAME=value" where the environment keeps it
  for (char** e = environ; e && *e; ++e)
    if (std::strncmp(*e, name, name_len) == 0 && (*e)[name_len] == '=') entry = *e;
  if (!entry) return std::nullopt;
  std::string value(entry + name_len + 1);
  ::unsetenv(name);
  // unsetenv only drops the pointer: the bytes stay where /proc/PID/environ reads them.
  crypto::secure_zero(entry, std::strlen(entry));
  if (value.empty()) return std::nullopt;
  return value;
}

bool is_inside(const std::string& file, const std::string& dir) {
  std::error_code ec;
  auto f = std::filesystem::weakly_canonical(std::filesystem::absolute(file, ec), ec);
  auto d = std::filesystem::weakly_canonical(std::filesystem::absolute(dir, ec), ec);
  if (d.filename().empty()) d = d.parent_path();  // "data/" → "data"
  auto rel = f.lexically_relative(d);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace tb::app
