#pragma once
// Digests and MACs on OpenSSL 3. Outputs are raw bytes in a std::string; encode with hex() or base64().
#include <string>
#include <string_view>

namespace tb::crypto {

enum class HmacAlgo { Sha256, Sha384, Sha512 };

std::string sha256(std::string_view data);
std::string hmac(HmacAlgo algo, std::string_view key, std::string_view message);
inline std::string hmac_sha256(std::string_view key, std::string_view msg) { return hmac(HmacAlgo::Sha256, key, msg); }
inline std::string hmac_sha384(std::string_view key, std::string_view msg) { return hmac(HmacAlgo::Sha384, key, msg); }
inline std::string hmac_sha512(std::string_view key, std::string_view msg) { return hmac(HmacAlgo::Sha512, key, msg); }
// HMAC-SHA-1: only for TOTP (RFC 6238), whose authenticator apps still default to it; never for venues.
std::string hmac_sha1(std::string_view key, std::string_view message);

// A MAC key made ready once: the inner and outer padded key blocks are hashed ahead, so each MAC costs
// only the message's own blocks. The key bytes are wiped as soon as the states are built.
class HmacKey {
 public:
  HmacKey(HmacAlgo algo, std::string_view key);
  ~HmacKey();
  HmacKey(const HmacKey&) = delete;
  HmacKey& operator=(const HmacKey&) = delete;
  std::string mac(std::string_view message) const;  // raw bytes; safe to call from several threads

 private:
  struct State;
  State* state_;
};

// Compares in time independent of where the inputs differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace tb::crypto
