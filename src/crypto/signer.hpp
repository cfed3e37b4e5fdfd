#pragma once
// Connectors never hold secrets: they hand the exact bytes to sign to a Signer, which owns the key pair.
// Today the signer runs in-process; the seam lets it move into a process that holds the master key alone.
#include <array>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "crypto/hash.hpp"
#include "crypto/secret.hpp"

namespace tb::crypto {

// How a venue expects the secret to be turned into HMAC key bytes.
enum class SecretForm {
  Raw,     // the secret's characters as they are
  Base64,  // the secret is base64; the key is its decoded bytes
};

class Signer {
 public:
  virtual ~Signer() = default;
  // The public API key, sent in a header; not secret.
  virtual const std::string& api_key() const = 0;
  // Raw MAC bytes of `message` under the secret; empty if the secret cannot be used in that form
  // (for example not valid base64).
  virtual std::string hmac(HmacAlgo algo, SecretForm form, std::string_view message) const = 0;
};

// Holds the key pair in memory (zeroed on destruction). The MAC key is prepared once per algorithm and
// form on first use, so a robot signing many orders pays for the key schedule once.
class LocalSigner final : public Signer {
 public:
  LocalSigner(std::string api_key, Secret secret) : api_key_(std::move(api_key)), secret_(std::move(secret)) {}
  const std::string& api_key() const override { return api_key_; }
  std::string hmac(HmacAlgo algo, SecretForm form, std::string_view message) const override;

 private:
  const HmacKey* key_for(HmacAlgo algo, SecretForm form) const;  // nullptr if the secret has no such form
  std::string api_key_;
  Secret secret_;
  mutable std::mutex mu_;
  mutable std::array<std::unique_ptr<HmacKey>, 6> keys_;  // [algo * 2 + form]
  mutable std::array<bool, 6> tried_{};
};

}  // namespace tb::crypto
