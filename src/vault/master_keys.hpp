#pragma once
// Master keys: numbered 32-byte keys that wrap the per-account data keys. They come from a key file or
// the environment, never from the database. The highest version is the current one (new data keys are
// wrapped under it); older versions stay in the ring until every data key has been re-wrapped.
//
// Text form, one key per line: `version:key`, the key as 64 hex digits or 44 base64 characters.
// Blank lines and lines starting with '#' are ignored. TRADEBRIDGE_MASTER_KEY takes the same lines
// (separated by newlines, commas or spaces), or a bare key, which is version 1.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "crypto/aead.hpp"

namespace tb::vault {

inline constexpr const char* kMasterKeyEnv = "TRADEBRIDGE_MASTER_KEY";

class MasterKeyRing {
 public:
  MasterKeyRing() = default;

  // Reads a key file. Refuses a file that group or others may read or write, with the chmod to run.
  static Result<MasterKeyRing> from_file(const std::string& path);
  // The value of TRADEBRIDGE_MASTER_KEY (passed in: the caller reads the environment).
  static Result<MasterKeyRing> from_env_value(std::string_view value);
  // Lines as in a key file; `origin` names the source in errors (never the key bytes).
  static Result<MasterKeyRing> parse(std::string_view text, std::string_view origin);

  Status add(int version, crypto::AeadKey key);  // refuses version < 1 and duplicates
  bool has(int version) const { return keys_.count(version) != 0; }
  const crypto::AeadKey* key(int version) const;    // nullptr if unknown
  int current_version() const { return current_; }  // 0 when empty
  bool empty() const { return keys_.empty(); }
  std::vector<int> versions() const;

 private:
  std::map<int, crypto::AeadKey> keys_;
  int current_ = 0;
};

// First start: creates `path` with mode 0600 holding version 1 and a fresh random key. Never
// overwrites: an existing file is an error (O_CREAT|O_EXCL). The key is not printed anywhere.
Status generate_master_key_file(const std::string& path);

// Rotation, first step: appends a fresh key as the next version to an existing key file (which must
// pass the same permission check) and returns that version.
Result<int> append_master_key_version(const std::string& path);

// Where `serve` and `keys` take their master keys from. The environment wins when it is set (a
// container secret); otherwise the file, created on first start when `generate_if_missing` is set
// (the embedded default of `make run`).
struct MasterKeySource {
  std::optional<std::string> env_value;  // TRADEBRIDGE_MASTER_KEY as read by the caller, if set
  std::string file;                      // --master-key-file or <data-dir>/master.key
  bool generate_if_missing = false;
};
Result<MasterKeyRing> load_master_keys(const MasterKeySource& source);

}  // namespace tb::vault
