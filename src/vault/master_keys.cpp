#include "vault/master_keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "crypto/encoding.hpp"
#include "crypto/secret.hpp"

namespace tb::vault {
namespace {

Error config_error(std::string message) { return Error::make(ErrorKind::InvalidArgument, std::move(message)); }

std::string errno_text() { return std::strerror(errno); }

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Wipes a string of key material when the scope ends, on every path.
struct Wiped {
  std::string s;
  ~Wiped() { crypto::secure_zero(s); }
};

std::optional<crypto::AeadKey> decode_key(std::string_view text) {
  Wiped raw;
  if (text.size() == 2 * crypto::kAeadKeyBytes) {
    if (auto b = crypto::from_hex(text)) raw.s = std::move(*b);
  } else if (auto b = crypto::from_base64(text)) {
    raw.s = std::move(*b);
  }
  return crypto::AeadKey::from_bytes(raw.s);
}

std::optional<int> parse_version(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < 1) return std::nullopt;
  return v;
}

// Opens a key file for reading (and appending), refusing links, non-files and loose permissions.
Result<int> open_checked(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return config_error("cannot open master key file " + path + ": " + errno_text());
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return config_error("master key file " + path + " is not a regular file");
  }
  if (st.st_mode & 077) {
    ::close(fd);
    return config_error("master key file " + path + " has mode " + octal_mode(st.st_mode) +
                        ": group or others may read it; run `chmod 600 " + path + "`");
  }
  if (st.st_uid != ::geteuid()) {
    ::close(fd);
    return config_error("master key file " + path + " belongs to another user");
  }
  return fd;
}

Result<std::string> read_all(int fd, const std::string& path) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      crypto::secure_zero(buf, sizeof buf);
      crypto::secure_zero(out);
      return config_error("cannot read master key file " + path + ": " + errno_text());
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  crypto::secure_zero(buf, sizeof buf);
  return out;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string key_line(int version) {
  Wiped raw{crypto::random_bytes(crypto::kAeadKeyBytes)};
  return std::to_string(version) + ":" + crypto::hex(raw.s) + "\n";
}

}  // namespace

Status MasterKeyRing::add(int version, crypto::AeadKey key) {
  if (version < 1) return config_error("master key version must be 1 or more");
  if (has(version)) return config_error("master key version " + std::to_string(version) + " appears twice");
  keys_.emplace(version, std::move(key));
  current_ = keys_.rbegin()->first;
  return ok_status();
}

const crypto::AeadKey* MasterKeyRing::key(int version) const {
  auto it = keys_.find(version);
  return it == keys_.end() ? nullptr : &it->second;
}

std::vector<int> MasterKeyRing::versions() const {
  std::vector<int> out;
  for (const auto& [v, k] : keys_) out.push_back(v);
  return out;
}

Result<MasterKeyRing> MasterKeyRing::parse(std::string_view text, std::string_view origin) {
  MasterKeyRing ring;
  int line_no = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_no;
    const std::string where = std::string(origin) + " line " + std::to_string(line_no);
    // A line may hold several `version:key` entries separated by commas or blanks (the env form).
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && std::strchr(" \t\r,", line[i])) ++i;
      if (i >= line.size() || line[i] == '#') break;
      size_t j = i;
      while (j < line.size() && !std::strchr(" \t\r,", line[j])) ++j;
      std::string_view entry = line.substr(i, j - i);
      i = j;
      size_t colon = entry.find(':');
      if (colon == std::string_view::npos) return config_error(where + ": expected `version:key`");
      auto version = parse_version(entry.substr(0, colon));
      if (!version) return config_error(where + ": the version must be a positive integer");
      auto key = decode_key(entry.substr(colon + 1));
      if (!key) return config_error(where + ": the key must be 32 bytes, as 64 hex digits or 44 base64 characters");
      if (auto st = ring.add(*version, std::move(*key)); !st) return config_error(where + ": " + st.error().message);
    }
  }
  if (ring.empty()) return config_error(std::string(origin) + " holds no master key");
  return ring;
}

Result<MasterKeyRing> MasterKeyRing::from_env_value(std::string_view value) {
  const std::string origin = std::string(kMasterKeyEnv);
  size_t b = value.find_first_not_of(" \t\r\n");
  size_t e = value.find_last_not_of(" \t\r\n");
  std::string_view trimmed = b == std::string_view::npos ? std::string_view() : value.substr(b, e - b + 1);
  if (!trimmed.empty() && trimmed.find(':') == std::string_view::npos) {
    auto key = decode_key(trimmed);
    if (!key) return config_error(origin + ": the key must be 32 bytes, as 64 hex digits or 44 base64 characters");
    MasterKeyRing ring;
    if (auto added = ring.add(1, std::move(*key)); !added) return added.error();
    return ring;
  }
  return parse(trimmed, origin);
}

Result<MasterKeyRing> MasterKeyRing::from_file(const std::string& path) {
  auto fd = open_checked(path, O_RDONLY);
  if (!fd) return fd.error();
  auto text = read_all(*fd, path);
  ::close(*fd);
  if (!text) return text.error();
  Wiped wiped{std::move(*text)};
  return parse(wiped.s, "master key file " + path);
}

Status generate_master_key_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return config_error("master key file " + path + " already exists; not overwriting it");
    return config_error("cannot create master key file " + path + ": " + errno_text());
  }
  // The umask may only have taken bits away; say 0600 exactly.
  Wiped content{"# tradebridge master keys: version:key (hex). Keep this file private (mode 0600).\n" + key_line(1)};
  bool ok = ::fchmod(fd, 0600) == 0 && write_all(fd, content.s) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return config_error("cannot write master key file " + path + ": " + errno_text());
  }
  return ok_status();
}

Result<int> append_master_key_version(const std::string& path) {
  auto fd = open_checked(path, O_RDWR | O_APPEND);
  if (!fd) return fd.error();
  auto text = read_all(*fd, path);
  if (!text) {
    ::close(*fd);
    return text.error();
  }
  Wiped existing{std::move(*text)};
  auto ring = MasterKeyRing::parse(existing.s, "master key file " + path);
  if (!ring) {
    ::close(*fd);
    return ring.error();
  }
  const int version = ring->current_version() + 1;
  Wiped line{(existing.s.empty() || existing.s.back() == '\n' ? "" : "\n") + key_line(version)};
  bool ok = write_all(*fd, line.s) && ::fsync(*fd) == 0;
  ::close(*fd);
  if (!ok) return config_error("cannot append to master key file " + path + ": " + errno_text());
  return version;
}

Result<MasterKeyRing> load_master_keys(const MasterKeySource& source) {
  if (source.env_value && !source.env_value->empty()) return MasterKeyRing::from_env_value(*source.env_value);
  if (source.file.empty()) return config_error(std::string("no master key: set ") + kMasterKeyEnv + " or give a key file");
  if (source.generate_if_missing) {
    auto created = generate_master_key_file(source.file);
    // An existing file is the normal case after the first start; any other failure is real.
    if (!created && ::access(source.file.c_str(), F_OK) != 0) return created.error();
  }
  return MasterKeyRing::from_file(source.file);
}

}  // namespace tb::vault
