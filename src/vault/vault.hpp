#pragma once
// The key vault: envelope encryption of exchange secrets at rest.
//
//   master key (version N, from a file or the environment)
//     └─ wraps a random data key per account      (AD: user, account, venue, master version)
//          └─ encrypts each field: key, secret, passphrase   (AD: user, account, venue, field)
//
// XChaCha20-Poly1305 with a random 24-byte nonce per encryption. Because the associated data names the
// row and the field, a ciphertext copied to another account, user, venue or field does not open.
// Rotation re-wraps the data key under a newer master version; the field's nonce and ciphertext stay.
// A Vault is immutable after construction and safe to share between threads.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "crypto/aead.hpp"
#include "crypto/secret.hpp"
#include "vault/master_keys.hpp"

namespace tb::vault {

// Which stored value this is: the associated data of its encryption.
struct FieldContext {
  int64_t user_id = 0;
  int64_t account_id = 0;
  std::string venue;  // the venue's id (venues/registry.hpp)
  std::string field;  // "api_key", "secret", "passphrase"
};

// One encrypted field, all parts raw bytes. Stored as text with to_text(): `v<version>.<b64>.<b64>.<b64>`
// (wrapped data key, nonce, ciphertext). Holds no plaintext.
struct SealedField {
  int master_version = 0;
  std::string wrapped_data_key;  // nonce(24) ‖ AEAD(master key, data key)(48)
  std::string nonce;             // 24 bytes
  std::string ciphertext;        // plaintext size + 16-byte tag

  std::string to_text() const;
  static Result<SealedField> from_text(std::string_view text);  // errors never echo the text
  bool operator==(const SealedField&) const = default;
};

// A plaintext data key, in locked memory and zeroed when it goes away.
using DataKey = crypto::AeadKey;

class Vault {
 public:
  explicit Vault(MasterKeyRing ring) : ring_(std::move(ring)) {}

  const MasterKeyRing& keys() const { return ring_; }
  int current_version() const { return ring_.current_version(); }

  // Seals under a fresh data key wrapped with the current master key.
  Result<SealedField> seal(const FieldContext& ctx, const crypto::Secret& plaintext) const;
  // Seals under the account's own data key, wrapping it afresh under the current master key.
  Result<SealedField> seal(const FieldContext& ctx, const crypto::Secret& plaintext, const DataKey& data_key) const;
  // Seals under a data key the caller has already wrapped (wrap() for this account under
  // `master_version`), so every field of an account stores the same wrapped bytes.
  SealedField seal_under(const FieldContext& ctx, const crypto::Secret& plaintext, const DataKey& data_key, int master_version,
                         std::string wrapped_data_key) const;
  // The plaintext, or an Error naming the field and the reason (unknown master version, or wrong
  // context / tampered data); never any of the bytes.
  Result<crypto::Secret> open(const FieldContext& ctx, const SealedField& sealed) const;
  // open() with the account's data key already unwrapped (unwrap()): one unwrap for several of its fields.
  Result<crypto::Secret> open_under(const FieldContext& ctx, const SealedField& sealed, const DataKey& data_key) const;
  // Opens and wipes at once: does this stored field still decrypt?
  Status verify(const FieldContext& ctx, const SealedField& sealed) const;

  DataKey new_data_key() const { return DataKey::random(); }
  // Data key wrapping; `ctx.field` is not part of it (one data key serves every field of an account).
  Result<std::string> wrap(const FieldContext& ctx, const DataKey& data_key, int master_version) const;
  Result<DataKey> unwrap(const FieldContext& ctx, const std::string& wrapped, int master_version) const;

  // Rotation: the same field with its data key re-wrapped under `new_version` (which must be in the
  // ring); nonce and ciphertext are untouched. Checks the field still opens before it says yes.
  Result<SealedField> rewrap(const FieldContext& ctx, const SealedField& sealed, int new_version) const;
  bool needs_rewrap(const SealedField& sealed) const { return sealed.master_version != current_version(); }

 private:
  MasterKeyRing ring_;
};

}  // namespace tb::vault
