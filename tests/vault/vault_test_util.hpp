#pragma once
// Fixed master keys and a scratch directory for the vault tests.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "vault/vault.hpp"

namespace tb::vault::test {

inline const std::string kHexKey1 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
inline const std::string kHexKey2 = "f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff";

inline MasterKeyRing ring_of(std::string_view text) {
  auto r = MasterKeyRing::parse(text, "test");
  if (!r) throw std::runtime_error(r.error().message);
  return std::move(*r);
}

// A fresh directory under the system temp dir, removed with everything in it at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tb-vault-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

  std::string write(const std::string& name, const std::string& content, mode_t mode) const {
    std::string p = file(name);
    std::ofstream(p) << content;
    ::chmod(p.c_str(), mode);
    return p;
  }

 private:
  std::filesystem::path path_;
};

inline mode_t mode_of(const std::string& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

}  // namespace tb::vault::test
